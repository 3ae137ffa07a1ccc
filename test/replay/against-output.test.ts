/**
 * `replay --against` prints what the README says: only the calls whose outcome changes, in aligned
 * columns; a failed expectation whose outcome did not change is listed in the expectations section
 * after the summary (and JSON, for scripts, still has it as a call with "changed": false).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const SEED = join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json');
const READ_LOW = join(ROOT, 'fixtures/policies/valid/recommended/read-low.json');
const dir = mkdtempSync(join(tmpdir(), 'policylayer-against-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (second: number, tool: string, expect: string, grant = 'alice') => JSON.stringify({ ts: `2026-11-24T10:00:0${second}.000Z`, tool, args: {}, grant, session: 's', expect });
writeFileSync(
  join(dir, 'session.jsonl'),
  [
    call(1, 'list_nodes', 'allow'), // deny → allow: a change, expectation met
    call(2, 'capture_screenshot', 'allow'), // deny under both: unchanged, expectation failed
    call(3, 'execute_python_code', 'deny', 'a-much-longer-grant'), // allow → deny: a change, met
    call(4, 'list_nodes', 'deny'), // deny → allow: a change, failed
  ].join('\n'),
);

describe('policylayer replay --against', () => {
  it('prints only the changes, in aligned columns, and the unchanged failure under Expectations', async () => {
    const result = await runCli(['replay', '--policy', READ_LOW, '--against', SEED, 'session.jsonl'], { cwd: dir });
    expect(result.code).toBe(1);
    const [calls, summary] = result.stdout.split('\n\n') as [string, string];
    const rows = calls.split('\n');
    expect(rows.map((row) => row.slice(0, row.indexOf(' '))).join(' ')).toBe('session.jsonl:1 session.jsonl:3 session.jsonl:4');
    for (const column of ['2026-', 'alice', '→', '✓']) {
      const at = rows.filter((row) => row.includes(column)).map((row) => row.indexOf(column));
      expect(new Set(at).size, `${column} at ${at.join(', ')}\n${calls}`).toBe(1);
    }
    expect(summary).toContain('3 changes compared with');
    expect(summary).toContain('Expectations: 4 checked, 2 failed\n  session.jsonl:2  capture_screenshot  expected allow, got deny by (default deny)');
    expect(summary).toContain('  session.jsonl:4  list_nodes  expected deny, got allow by /tools/list_nodes');
  });

  it('keeps every failed expectation in the JSON lines, marked unchanged where it is', async () => {
    const result = await runCli(['replay', '--policy', READ_LOW, '--against', SEED, '--format', 'json', 'session.jsonl'], { cwd: dir });
    const calls = result.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.type === 'call');
    expect(calls.map((c) => [c.line, c.changed, c.expect_met])).toEqual([
      [1, true, true],
      [2, false, false],
      [3, true, true],
      [4, true, false],
    ]);
  });
});

describe('policylayer replay -o', () => {
  it('writes every format to the --output-file, the same text as on stdout', async () => {
    const { REPLAY_FORMATS } = await import('../../src/replay/formats.js');
    const untimed = (text: string) => text.replace(/ in \d+\.\d s/g, '').replace(/time="[\d.]+"/g, '').replace(/"duration_ms":\d+/g, '');
    for (const format of REPLAY_FORMATS) {
      const args = ['replay', '--policy', READ_LOW, '--against', SEED, '--format', format, 'session.jsonl'];
      const direct = await runCli(args, { cwd: dir });
      const file = await runCli([...args, '-o', `out/replay.${format}`], { cwd: dir });
      expect(file, format).toMatchObject({ code: direct.code, stdout: '' });
      const { readFileSync } = await import('node:fs');
      expect(untimed(readFileSync(join(dir, `out/replay.${format}`), 'utf8')), format).toBe(untimed(direct.stdout));
    }
  });
});
