import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditWriter, demoLog } from '../helpers/audit.js';
import { ROOT, runBin, runCli } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const GOLDEN = join(ROOT, 'test/ui/golden');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-top-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function writeLog(lines: string[]): string {
  writeFileSync(join(dir, 'audit.jsonl'), `${lines.join('\n')}\n`);
  return 'audit.jsonl';
}

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it. */
function expectGolden(actual: string, name: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('policylayer top --once (summary)', () => {
  it('prints the text summary of the demo session (golden)', async () => {
    writeLog(demoLog(T0));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 20_000);
    const result = await runCli(['top', '--audit', 'audit.jsonl', '--once'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectGolden(result.stdout, 'top-once.txt');
  });

  it('prints the same figures as JSON (golden)', async () => {
    writeLog(demoLog(T0));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 20_000);
    const result = await runCli(['top', '--audit', 'audit.jsonl', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expectGolden(result.stdout, 'top-once.json');
    expect(JSON.parse(result.stdout).totals).toMatchObject({ calls: 15, limited: 1 });
  });

  it('exits 1 on unreadable lines by default, and on the classes named by --fail-on', async () => {
    writeLog(demoLog(T0));
    expect((await runCli(['top', '--audit', 'audit.jsonl', '--once'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['top', '--audit', 'audit.jsonl', '--once', '--fail-on', 'limited'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['top', '--audit', 'audit.jsonl', '--once', '--fail-on', 'asked,errors'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['top', '--audit', 'audit.jsonl', '--once', '--fail-on', 'asked'], { cwd: dir })).code).toBe(0);
    writeLog([...demoLog(T0), 'garbage']);
    const broken = await runCli(['top', '--audit', 'audit.jsonl', '--once'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('1 unreadable (last: line 28, not JSON)');
    expect((await runCli(['top', '--audit', 'audit.jsonl', '--once', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
  });

  it('reports missing lines in the sequence and exits 1', async () => {
    const w = new AuditWriter(T0);
    const lines = Array.from({ length: 5 }, () => w.call({ tool: 'a', outcome: 'allow' }));
    writeLog([lines[0]!, lines[3]!, lines[4]!]);
    const result = await runCli(['top', '--audit', 'audit.jsonl', '--once'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 missing in 1 sequence gap');
  });

  it('summarises an empty log', async () => {
    writeFileSync(join(dir, 'audit.jsonl'), '');
    const result = await runCli(['top', '--audit', 'audit.jsonl', '--once'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No calls yet.');
    expect(result.stdout).toContain('No counters reported.');
  });

  it('takes the log from POLICYLAYER_AUDIT', async () => {
    writeLog(demoLog(T0));
    const result = await runCli(['top', '--once'], { cwd: dir, env: { POLICYLAYER_AUDIT: 'audit.jsonl' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('execute_python_code');
  });

  it('gives one-line errors with exit 2 for a missing log, a folder, no --audit, and bad flags', async () => {
    mkdirSync(join(dir, 'sub'));
    const cases: Array<[string[], RegExp]> = [
      [['top', '--once', '--audit', 'nope.jsonl'], /^policylayer: nope\.jsonl: no such file\n$/],
      [['top', '--once', '--audit', 'sub'], /^policylayer: sub: is a folder, not an audit log\n$/],
      [['top', '--once'], /^policylayer: top needs an audit log: pass --audit FILE .*\n$/],
      [['top', '--audit', 'x', '--format', 'xml'], /^policylayer: --format: .*\n$/],
      [['top', '--audit', 'x', '--fail-on', 'denied,maybe'], /^policylayer: --fail-on: expected "none" or a comma-separated list of .*; got "denied,maybe"\n$/],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(stderr);
      expect(result.stdout).toBe('');
    }
  });

  it('prints the summary from the built binary when stdout is not a terminal, without loading ink or react', async () => {
    writeLog(demoLog(T0));
    const trace = { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test/helpers/trace-imports.mjs')).href}` };
    // The tracer works: importing ink is reported.
    const control = spawnSync(process.execPath, ['-e', "import('ink')"], { cwd: ROOT, env: { ...process.env, ...trace }, encoding: 'utf8' });
    expect(control.stderr).toContain('[import] ink');
    const result = await runBin(['top', '--audit', join(dir, 'audit.jsonl')], { env: trace });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^policylayer top: .*audit\.jsonl at /);
    expect(result.stdout).toContain('TOTAL');
    expect(result.stderr).toBe('');
  });
});
