import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/audit/hash.js';
import { GENESIS_HASH } from '../../src/audit/types.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { AuditWriter } from '../../src/audit/writer.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-'));
  path = join(dir, 'audit.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeLog(count: number): string[] {
  const writer = AuditWriter.open(path);
  writer.append({ event: 'start', policy: 'p.json', policy_sha256: 'f'.repeat(64) });
  for (let i = 1; i < count; i++) {
    writer.append({ event: 'result', request_id: i, tool: 'list_nodes', latency_ms: 1, error: null, rolled_back: false });
  }
  writer.close();
  return readFileSync(path, 'utf8').trimEnd().split('\n');
}

describe('AuditWriter', () => {
  it('chains every line to the one before: seq counts up, prev is the SHA-256 of the previous line', () => {
    const lines = writeLog(4);
    expect(lines).toHaveLength(4);
    lines.forEach((line, i) => {
      const entry = JSON.parse(line) as { v: number; seq: number; prev: string; ts: string };
      expect(entry.v).toBe(1);
      expect(entry.seq).toBe(i + 1);
      expect(entry.prev).toBe(i === 0 ? GENESIS_HASH : sha256Hex(lines[i - 1]!));
      expect(Object.keys(entry).slice(0, 4)).toEqual(['v', 'ts', 'seq', 'prev']);
      // Written as JSON.stringify would write the entry: no spaces, members in order, one line.
      expect(line).toBe(JSON.stringify(entry));
    });
  });

  it('continues an existing log across runs, and the whole file verifies', async () => {
    writeLog(3);
    const writer = AuditWriter.open(path);
    writer.append({ event: 'start' });
    writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[3]!)).toMatchObject({ seq: 4, prev: sha256Hex(lines[2]!) });
    expect(await verifyAuditLog(path)).toEqual({ lines: 4, lastHash: sha256Hex(lines[3]!) });
  });

  it('continues after a line torn by a crash, which verify then reports', async () => {
    writeLog(2);
    appendFileSync(path, '{"v":1,"ts":"2026-');
    const writer = AuditWriter.open(path);
    expect(writer.warning).toContain('incomplete');
    writer.append({ event: 'start' });
    writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[3]!)).toMatchObject({ seq: 4, prev: sha256Hex(lines[2]!) });
    expect((await verifyAuditLog(path)).problem).toEqual({ line: 3, message: expect.stringContaining('not JSON') });
  });

  it('refuses a second writer on the same log while the first is alive, and takes over a dead one\'s lock', () => {
    const first = AuditWriter.open(path, 'audit.jsonl');
    expect(() => AuditWriter.open(path, 'audit.jsonl')).toThrow(/audit\.jsonl is in use by another policylayer process \(pid \d+\); give each proxy its own --audit file/);
    first.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    writeFileSync(`${path}.lock`, '999999999\n'); // no such process
    AuditWriter.open(path).close();
  });
});

describe('verifyAuditLog and `policylayer audit verify`', () => {
  it('says intact and exits 0 for an untouched log', async () => {
    writeLog(5);
    const result = await runCli(['audit', 'verify', path], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^audit\.jsonl: intact, 5 lines, last line's SHA-256 [0-9a-f]{64}\n$/);
  });

  it('says intact for an empty log', async () => {
    writeFileSync(path, '');
    expect((await runCli(['audit', 'verify', 'audit.jsonl'], { cwd: dir })).stdout).toBe('audit.jsonl: intact, 0 lines\n');
  });

  const tamperings: Array<[string, (lines: string[]) => string[], number, RegExp]> = [
    ['a changed line', (l) => l.map((line, i) => (i === 2 ? line.replace('"latency_ms":1', '"latency_ms":2') : line)), 4, /prev does not match the SHA-256 of line 3: line 3 was changed/],
    ['a removed line', (l) => l.filter((_, i) => i !== 2), 3, /seq 4 follows 2: 1 line is missing before this line/],
    ['two removed lines', (l) => l.filter((_, i) => i !== 2 && i !== 3), 3, /seq 5 follows 2: 2 lines are missing before this line/],
    ['swapped lines', (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)], 2, /seq 3 follows 1: 1 line is missing/],
    ['a duplicated line', (l) => [...l.slice(0, 3), l[2]!, ...l.slice(3)], 4, /seq 3 follows 3: a line was duplicated or lines were reordered/],
    ['a cut-off front', (l) => l.slice(2), 1, /the log starts at seq 3, not 1: 2 earlier lines are missing/],
    ['an inserted foreign line', (l) => [...l.slice(0, 2), '{"hello":"world"}', ...l.slice(2)], 3, /unknown format version undefined/],
  ];
  for (const [what, tamper, line, message] of tamperings) {
    it(`finds ${what} and exits 1 naming the first broken line`, async () => {
      const lines = writeLog(6);
      writeFileSync(path, `${tamper(lines).join('\n')}\n`);
      const result = await runCli(['audit', 'verify', path], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^audit\\.jsonl:${line}: ${message.source}`));
      expect(result.stdout).toContain(`audit.jsonl: broken at line ${line}; lines before it are intact`);
    });
  }

  it('reports a last line without its newline', async () => {
    const lines = writeLog(3);
    writeFileSync(path, lines.join('\n'));
    const result = await runCli(['audit', 'verify', path], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('audit.jsonl:3: the last line has no newline: the writer stopped in the middle of it');
  });

  it('exits 2 for a file that does not exist', async () => {
    const result = await runCli(['audit', 'verify', 'missing.jsonl'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('policylayer: missing.jsonl: no such file\n');
  });
});

describe('nothing is lost when the writer is killed', () => {
  it('every line appended before SIGKILL is in the file, whole, and the chain verifies', async () => {
    // A child appends as fast as it can and reports (synchronously) how many lines it has appended.
    const script = `
      const { writeSync } = await import('node:fs');
      const { AuditWriter } = await import(${JSON.stringify(new URL('../../src/audit/writer.ts', import.meta.url).href)});
      const w = AuditWriter.open(${JSON.stringify(path)});
      for (let i = 1; ; i++) {
        w.append({ event: 'result', request_id: i, tool: 't', latency_ms: 0, error: null, rolled_back: false });
        if (i % 50 === 0) writeSync(1, i + '\\n');
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let reported = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const n of chunk.toString().split('\n')) if (n) reported = Math.max(reported, Number(n));
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (reported >= 500) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const result = await verifyAuditLog(path);
    expect(result.problem).toBeUndefined();
    expect(result.lines).toBeGreaterThanOrEqual(reported);
  });
});
