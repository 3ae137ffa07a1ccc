/**
 * The audit log as the proxy process (BUILT binary) writes it: keyed with --audit-key, sealed on
 * every clean shutdown (the client leaving, SIGTERM, SIGINT, the server exiting), created mode 0600,
 * as are --record files; `audit verify` on the result.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { killAll, McpProcess } from '../helpers/mcp-stream.js';
import { SIM } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-proxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killAll);

const allowAll = join(dir, 'allow.json');
writeFileSync(allowAll, JSON.stringify({ version: '1', default: 'allow' }));

function proxy(args: string[]): McpProcess {
  return McpProcess.spawn(process.execPath, [BIN, 'proxy', ...args], { cwd: dir });
}
const events = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);

describe('--audit-key', () => {
  it('chains the log with the key: verify passes with it, needs it, and refuses another', async () => {
    expect((await runBin(['audit', 'keygen', 'proxy.key'], { cwd: dir })).code).toBe(0);
    expect((await runBin(['audit', 'keygen', 'other.key'], { cwd: dir })).code).toBe(0);
    const audit = join(dir, 'keyed.jsonl');
    const proc = proxy(['--policy', allowAll, '--audit', audit, '--audit-key', 'proxy.key', '--', process.execPath, SIM]);
    await proc.initialize();
    await proc.request('tools/call', { name: 'list_nodes', arguments: {} });
    proc.end();
    expect(await proc.exit()).toEqual({ code: 0, signal: null });
    expect(proc.stderr).not.toContain('readable by other users');

    expect(statSync(audit).mode & 0o777).toBe(0o600);
    expect(events(audit)).toEqual(['start', 'call', 'result', 'stop', 'seal']);
    const start = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    expect(start).toMatchObject({ chain: 'hmac-sha256', key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(readFileSync(audit, 'utf8')).not.toContain(readFileSync(join(dir, 'proxy.key'), 'utf8').trim());

    const good = await runBin(['audit', 'verify', '--key', 'proxy.key', 'keyed.jsonl'], { cwd: dir });
    expect(good).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^keyed\.jsonl: intact: 5 lines, 1 run, sealed; head [0-9a-f]{64} \(lines 1–5\)\n$/) });
    expect(await runBin(['audit', 'verify', 'keyed.jsonl'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('give that key with --key FILE') });
    expect(await runBin(['audit', 'verify', '--key', 'other.key', 'keyed.jsonl'], { cwd: dir })).toMatchObject({ code: 1, stdout: expect.stringContaining('wrong key') });
  });

  it('warns about a key other users can read, and refuses a key without --audit or a missing key file (exit 2)', async () => {
    writeFileSync(join(dir, 'open.key'), `${'5a'.repeat(32)}\n`);
    chmodSync(join(dir, 'open.key'), 0o644);
    const proc = proxy(['--policy', allowAll, '--audit', join(dir, 'warned.jsonl'), '--audit-key', 'open.key', '--', process.execPath, SIM]);
    await proc.initialize();
    proc.end();
    await proc.exit();
    expect(proc.stderr).toContain('policylayer proxy: open.key is readable by other users (mode 0644); `chmod 600 open.key`');

    const noAudit = await runBin(['proxy', '--policy', allowAll, '--audit-key', 'open.key', '--', process.execPath, SIM], { cwd: dir });
    expect(noAudit).toMatchObject({ code: 2, stdout: '', stderr: 'policylayer: --audit-key: only with --audit FILE (the key chains the audit log)\n' });
    const missing = await runBin(['proxy', '--policy', allowAll, '--audit', 'x.jsonl', '--audit-key', 'none.key', '--', process.execPath, SIM], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: 'policylayer: none.key: no such key file (create one with `policylayer audit keygen FILE`)\n' });
  });
});

describe('a clean shutdown seals the run', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: the stop line, then the seal; verify needs no --open`, async () => {
      const audit = join(dir, `${signal}.jsonl`);
      const proc = proxy(['--policy', allowAll, '--audit', audit, '--', process.execPath, SIM]);
      await proc.initialize();
      proc.child.kill(signal);
      await proc.exit();
      expect(events(audit)).toEqual(['start', 'stop', 'seal']);
      expect(await runBin(['audit', 'verify', `${signal}.jsonl`], { cwd: dir })).toMatchObject({ code: 0, stdout: expect.stringContaining('intact: 3 lines, 1 run, sealed') });
    });
  }

  it('when the server exits by itself, and each restart is a run of its own', async () => {
    const audit = join(dir, 'restarts.jsonl');
    for (let run = 0; run < 2; run++) {
      const proc = proxy(['--policy', allowAll, '--audit', audit, '--', process.execPath, '-e', 'setTimeout(() => {}, 100)']);
      await proc.exit();
    }
    expect(events(audit)).toEqual(['start', 'stop', 'seal', 'start', 'stop', 'seal']);
    expect(await runBin(['audit', 'verify', 'restarts.jsonl'], { cwd: dir })).toMatchObject({ code: 0, stdout: expect.stringContaining('intact: 6 lines, 2 runs, the last sealed') });
  });
});

describe('a seal that cannot be written', () => {
  it('is reported like any other line, and the proxy still stops cleanly (no stack trace)', async () => {
    const audit = join(dir, 'full.jsonl');
    symlinkSync('/dev/full', audit); // every write fails with ENOSPC
    const proc = proxy(['--policy', allowAll, '--audit', audit, '--', process.execPath, SIM]);
    await proc.initialize();
    proc.end();
    expect(await proc.exit()).toEqual({ code: 0, signal: null });
    expect(proc.stderr).toContain('cannot write the audit log');
    expect(proc.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('files that hold what the proxy saw are readable by their owner only', () => {
  it('--record (full arguments: that is its job) is created with mode 0600', async () => {
    const recording = join(dir, 'recorded.jsonl');
    const proc = proxy(['--policy', allowAll, '--record', recording, '--', process.execPath, SIM]);
    await proc.initialize();
    await proc.request('tools/call', { name: 'execute_python_code', arguments: { code: 'SECRET = 1' } });
    proc.end();
    await proc.exit();
    expect(readFileSync(recording, 'utf8')).toContain('SECRET = 1');
    expect(statSync(recording).mode & 0o777).toBe(0o600);
  });
});
