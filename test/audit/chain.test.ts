import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../src/audit/hash.js';
import { GENESIS_HASH } from '../../src/audit/types.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { AuditWriter, SOON_MS } from '../../src/audit/writer.js';
import { KEY_A } from '../helpers/audit-runs.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-'));
  path = join(dir, 'audit.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run of `count` lines before its seal. */
function writeLog(count: number, options: Parameters<typeof AuditWriter.open>[2] = {}): string[] {
  const writer = AuditWriter.open(path, path, options);
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
    expect(lines).toHaveLength(5);
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

  it('names the chain on the run\'s first line and ends the run with a seal whose head covers itself', () => {
    const lines = writeLog(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'start', chain: 'sha256' });
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('key_id');
    expect(JSON.parse(lines[1]!)).not.toHaveProperty('chain');
    const seal = JSON.parse(lines[2]!) as Record<string, unknown>;
    expect(Object.keys(seal)).toEqual(['v', 'ts', 'seq', 'prev', 'event', 'count', 'head']);
    expect(seal).toMatchObject({ event: 'seal', seq: 3, count: 3, prev: sha256Hex(lines[1]!) });
    // The head is the SHA-256 of the seal line as it reads without its head member.
    expect(seal.head).toBe(sha256Hex(lines[2]!.replace(/,"head":"[0-9a-f]{64}"\}$/, '}')));
  });

  it('with a key, chains HMAC-SHA256 values, names the key by its id, and never writes the key', () => {
    const lines = writeLog(3, { key: KEY_A });
    const hmac = (text: string) => createHmac('sha256', KEY_A.bytes).update(text).digest('hex');
    expect(JSON.parse(lines[0]!)).toMatchObject({ chain: 'hmac-sha256', key_id: KEY_A.id });
    for (let i = 1; i < lines.length; i++) expect(JSON.parse(lines[i]!).prev).toBe(hmac(lines[i - 1]!));
    const seal = JSON.parse(lines.at(-1)!) as { head: string };
    expect(seal.head).toBe(hmac(lines.at(-1)!.replace(/,"head":"[0-9a-f]{64}"\}$/, '}')));
    expect(readFileSync(path, 'utf8')).not.toContain(KEY_A.bytes.toString('hex'));
  });

  it('writes a checkpoint (count and head) after every N lines not yet covered', () => {
    const lines = writeLog(7, { checkpointLines: 3 });
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['start', 'result', 'result', 'checkpoint', 'result', 'result', 'result', 'checkpoint', 'result', 'seal']);
    const checkpoint = JSON.parse(lines[3]!) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({ seq: 4, count: 4, head: sha256Hex(lines[3]!.replace(/,"head":"[0-9a-f]{64}"\}$/, '}')) });
  });

  it('writes a checkpoint some time after the first line not yet covered, when no more lines come', () => {
    vi.useFakeTimers();
    try {
      const writer = AuditWriter.open(path, path, { checkpointMs: 60_000 });
      writer.append({ event: 'start' });
      writer.append({ event: 'stop' });
      vi.advanceTimersByTime(59_999);
      expect(readFileSync(path, 'utf8')).not.toContain('"checkpoint"');
      vi.advanceTimersByTime(1);
      expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line).event)).toEqual(['start', 'stop', 'checkpoint']);
      // Nothing new: no further checkpoint.
      vi.advanceTimersByTime(600_000);
      writer.close();
      expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line).event)).toEqual(['start', 'stop', 'checkpoint', 'seal']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a result appended "soon" is on file within SOON_MS even when its timer fires inside a hold', () => {
    vi.useFakeTimers();
    try {
      const writer = AuditWriter.open(path, path);
      writer.append({ event: 'start' });
      writer.hold();
      writer.appendMembersSoon('"event":"result","request_id":1}');
      vi.advanceTimersByTime(SOON_MS);
      expect(readFileSync(path, 'utf8')).not.toContain('"result"');
      // The hold ends after the timer: the release writes the waiting result.
      writer.release();
      expect(readFileSync(path, 'utf8')).toContain('"result"');
      writer.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('creates the log readable by its owner only (mode 0600): it names tools and grants', () => {
    writeLog(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('creates missing folders above a new log (mode 0700), and says in one line when it cannot', () => {
    const nested = join(dir, 'a', 'b', 'audit.jsonl');
    AuditWriter.open(nested).close();
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(statSync(nested).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, 'file'), '');
    expect(() => AuditWriter.open(join(dir, 'file', 'audit.jsonl'))).toThrow(`${join(dir, 'file', 'audit.jsonl')}: cannot create its folder ${join(dir, 'file')} (EEXIST)`);
  });

  it('closes the file and releases the lock even when the seal cannot be written, then says why', () => {
    symlinkSync('/dev/full', path); // every write fails with ENOSPC
    const writer = AuditWriter.open(path, 'audit.jsonl');
    writer.hold();
    writer.append({ event: 'start' });
    expect(() => writer.close()).toThrow(/ENOSPC/);
    expect(existsSync(`${path}.lock`)).toBe(false);
    AuditWriter.open(path).close();
  });

  it('writes nothing, not even a seal, for a run that appended nothing', () => {
    AuditWriter.open(path).close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('continues an existing log across runs: the new run links by SHA-256, whatever key the last one used, and the whole file verifies', async () => {
    writeLog(3, { key: KEY_A });
    const writer = AuditWriter.open(path);
    expect(writer.warning).toBeUndefined();
    writer.append({ event: 'start' });
    writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[4]!)).toMatchObject({ seq: 5, prev: sha256Hex(lines[3]!), chain: 'sha256' });
    const result = await verifyAuditLog(path, { keys: [KEY_A] });
    // A key was given, so the unkeyed second run is a finding; without the key, the keyed first run needs one.
    expect(result.problem).toMatchObject({ kind: 'unkeyed', line: 5 });
    expect((await verifyAuditLog(path)).problem).toMatchObject({ kind: 'key-needed', line: 1 });
  });

  it('says when the run before did not end with a seal (its proxy was killed)', () => {
    writeLog(2);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    const writer = AuditWriter.open(path, 'audit.jsonl');
    expect(writer.warning).toBe('audit.jsonl: the previous run has no seal (its proxy was killed or crashed, or a policylayer older than seals wrote it); continuing after it');
    writer.close();
  });

  it('continues after a line torn by a crash, which verify then reports', async () => {
    writeLog(2);
    appendFileSync(path, '{"v":1,"ts":"2026-');
    const writer = AuditWriter.open(path);
    expect(writer.warning).toContain('incomplete');
    writer.append({ event: 'start' });
    writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[4]!)).toMatchObject({ seq: 5, prev: sha256Hex(lines[3]!) });
    expect((await verifyAuditLog(path)).problem).toMatchObject({ kind: 'unreadable', line: 4, message: expect.stringMatching(/^line 4 is not an audit entry: not JSON/) });
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
    // Killed: no seal, so the log verifies only as one that may still be open, and says so.
    expect((await verifyAuditLog(path)).problem).toMatchObject({ kind: 'unsealed' });
    const result = await verifyAuditLog(path, { open: true });
    expect(result.problem).toBeUndefined();
    expect(result.notes.at(-1)?.message).toMatch(/^the last run \(lines 1–\d+\) has no seal yet/);
    expect(result.lines).toBeGreaterThanOrEqual(reported);
  });
});
