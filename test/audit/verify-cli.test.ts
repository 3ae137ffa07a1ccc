/**
 * `policylayer audit verify` and `audit keygen` as a user sees them: every kind of problem named
 * precisely (which line, what is wrong), a closing summary that agrees with it, and the exit codes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAuditKey } from '../../src/audit/key.js';
import { appendRuns, KEY_A, KEY_B } from '../helpers/audit-runs.js';
import { ROOT, runCli } from '../helpers/cli.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policylayer-verify-'));
  path = join(dir, 'audit.jsonl');
  writeFileSync(join(dir, 'a.key'), `${KEY_A.bytes.toString('hex')}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'b.key'), `${KEY_B.bytes.toString('hex')}\n`, { mode: 0o600 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const verify = (...args: string[]) => runCli(['audit', 'verify', 'audit.jsonl', ...args], { cwd: dir });
const lines = () => readFileSync(path, 'utf8').trimEnd().split('\n');
const rewrite = (edit: (lines: string[]) => string[]) => writeFileSync(path, `${edit(lines()).join('\n')}\n`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const headOf = (line: string) => (JSON.parse(line) as { head: string }).head;

/** One keyed run: start, call, result, call, result, stop, seal (7 lines). */
function keyedLog(): void {
  appendRuns(path, [{ key: KEY_A, calls: 2 }], 100);
}

describe('an intact log', () => {
  it('says intact with the line and run counts and the head to keep, exit 0', async () => {
    keyedLog();
    const result = await verify('--key', 'a.key');
    expect(result).toEqual({ code: 0, stderr: '', stdout: `audit.jsonl: intact: 7 lines, 1 run, sealed; head ${headOf(lines()[6]!)} (lines 1–7)\n` });
  });

  it('verifies runs written with different keys, each with its own --key', async () => {
    appendRuns(path, [{ key: KEY_A, calls: 1 }, { key: KEY_B, calls: 1 }], 100);
    expect((await verify('--key', 'a.key', '--key', 'b.key')).stdout).toMatch(/^audit\.jsonl: intact: 10 lines, 2 runs, the last sealed; head [0-9a-f]{64} \(lines 1–10\)\n$/);
  });

  it('says an empty file has nothing to verify', async () => {
    writeFileSync(path, '');
    expect(await verify()).toEqual({ code: 0, stderr: '', stdout: 'audit.jsonl: empty: nothing to verify\n' });
  });

  it('still verifies a log written before seals existed (a fixture of the first format), with a note on what it cannot check', async () => {
    const fixture = 'fixtures/recordings/slicer-segmentation.audit.jsonl';
    const result = await runCli(['audit', 'verify', fixture], { cwd: ROOT });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${fixture}:1: note: lines 1–35 were written before runs ended with a seal: lines cut off their end cannot be detected (unless you kept a head: --head)\n` +
        `${fixture}: intact: 35 lines, 1 run, written before seals; head ${sha256(readFileSync(join(ROOT, fixture), 'utf8').trimEnd().split('\n')[34]!)} (lines 1–35)\n`,
    );
  });
});

describe('each problem, named once, with a summary that agrees', () => {
  it('a changed line: names that line, and only the lines before it verify (issue 20: no contradiction)', async () => {
    keyedLog();
    rewrite((l) => l.map((line, i) => (i === 2 ? line.replace('"latency_ms":3', '"latency_ms":4') : line)));
    expect(await verify('--key', 'a.key')).toEqual({
      code: 1,
      stderr: '',
      stdout:
        'audit.jsonl:3: line 3 was changed: its HMAC does not match the "prev" recorded on line 4 (or that "prev" was changed)\n' +
        'audit.jsonl: not intact: lines 1–2 verify; line 3 was changed\n',
    });
  });

  it('the last line edited: the seal vouches for itself', async () => {
    keyedLog();
    rewrite((l) => l.map((line, i) => (i === 6 ? line.replace(/"ts":"[^"]+"/, '"ts":"2026-11-24T10:00:00.000Z"') : line)));
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:7: line 7 (the seal) was changed: its head does not match its content\naudit.jsonl: not intact: lines 1–6 verify; line 7 was changed\n',
    );
  });

  it('the last lines deleted: the log ends without a seal (exit 1), or, with --open, is intact so far', async () => {
    keyedLog();
    rewrite((l) => l.slice(0, 5));
    expect(await verify('--key', 'a.key')).toEqual({
      code: 1,
      stderr: '',
      stdout:
        'audit.jsonl:5: the log ends without a seal after line 5: lines were cut off its end, or its proxy is still running, or was killed or crashed (if so, verify with --open)\n' +
        'audit.jsonl: not intact: lines 1–5 verify; it ends without a seal\n',
    });
    const open = await verify('--key', 'a.key', '--open');
    expect(open.code).toBe(0);
    expect(open.stdout).toBe(
      'audit.jsonl:5: note: the last run (lines 1–5) has no seal yet: its proxy is still running, or was killed or crashed\n' +
        `audit.jsonl: intact so far: 5 lines, 1 run, not sealed yet; head ${createHmacHex(lines()[4]!)} (lines 1–5)\n`,
    );
  });

  it('a deleted line in the middle', async () => {
    keyedLog();
    rewrite((l) => l.filter((_, i) => i !== 2));
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:3: 1 line is missing before line 3: its seq is 4, the line before has 2 (removed, or moved elsewhere)\naudit.jsonl: not intact: lines 1–2 verify; lines are missing before line 3\n',
    );
  });

  it('a duplicated line', async () => {
    keyedLog();
    rewrite((l) => [...l.slice(0, 3), l[2]!, ...l.slice(3)]);
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:4: line 4 has seq 3 after seq 3: it was inserted, duplicated or moved here\naudit.jsonl: not intact: lines 1–3 verify; line 4 was inserted or moved\n',
    );
  });

  it('a line added after the seal, even one that chains', async () => {
    appendRuns(path, [{ calls: 1 }], 100);
    rewrite((l) => [...l, JSON.stringify({ v: 1, ts: '2026-11-24T10:05:00.000Z', seq: 6, prev: sha256(l[4]!), event: 'stop' })]);
    expect((await verify()).stdout).toBe(
      'audit.jsonl:6: line 6 follows the seal on line 5 but does not start a new run: it was added after the seal\naudit.jsonl: not intact: lines 1–5 verify; line 6 was added after a seal\n',
    );
  });

  it('the front cut off', async () => {
    keyedLog();
    rewrite((l) => l.slice(2));
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:1: the log starts at seq 3, not 1: 2 lines are missing before line 1 (cut off the front, or the log was rotated)\naudit.jsonl: not intact: no line verifies; its first lines are missing\n',
    );
  });

  it('a line that is not an audit entry', async () => {
    keyedLog();
    rewrite((l) => [...l.slice(0, 2), '{"hello":"world"}', ...l.slice(2)]);
    expect((await verify('--key', 'a.key')).stdout).toBe('audit.jsonl:3: line 3 is not an audit entry: no format version "v"\naudit.jsonl: not intact: lines 1–2 verify; line 3 is not an audit entry\n');
  });

  it('an incomplete last line: a problem, or with --open a note (the proxy may be writing it)', async () => {
    keyedLog();
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -20));
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:7: line 7 is incomplete: it has no newline (the writer stopped in the middle of it, or the file was cut there)\naudit.jsonl: not intact: lines 1–6 verify; line 7 is incomplete\n',
    );
    const open = await verify('--key', 'a.key', '--open');
    expect(open.code).toBe(0);
    expect(open.stdout.split('\n').slice(0, 2)).toEqual([
      'audit.jsonl:7: note: line 7 is incomplete (no newline yet): the proxy is writing it, or stopped in the middle of it; not checked',
      'audit.jsonl:6: note: the last run (lines 1–6) has no seal yet: its proxy is still running, or was killed or crashed',
    ]);
  });

  it('a run in the middle that ended without a seal (its proxy killed): a problem, or with --open a note', async () => {
    appendRuns(path, [{ key: KEY_A, calls: 1, crash: true }, { key: KEY_A, calls: 1 }], 100);
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:4: the run of lines 1–4 ends without a seal: lines were removed from its end, or its proxy was killed or crashed (if so, verify with --open)\n' +
        'audit.jsonl: not intact: lines 1–4 verify; the run of lines 1–4 has no seal\n',
    );
    const open = await verify('--key', 'a.key', '--open');
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/^audit\.jsonl:4: note: the run of lines 1–4 has no seal: its proxy was killed or crashed\naudit\.jsonl: intact: 9 lines, 2 runs, the last sealed; head [0-9a-f]{64} \(lines 1–9\)\n$/);
  });

  it('the whole chain rewritten without the key (every hash recomputed): the run has no key', async () => {
    keyedLog();
    rewrite((l) => {
      const out: string[] = [];
      for (const line of l) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        entry.prev = out.length === 0 ? '0'.repeat(64) : sha256(out.at(-1)!);
        if (entry.chain) {
          entry.chain = 'sha256';
          delete entry.key_id;
        }
        if (entry.outcome === 'deny') entry.outcome = 'allow';
        let text = JSON.stringify(entry);
        if (typeof entry.head === 'string') text = text.replace(/,"head":"[0-9a-f]{64}"\}$/, '}').replace(/\}$/, `,"head":"${sha256(text.replace(/,"head":"[0-9a-f]{64}"\}$/, '}'))}"}`);
        out.push(text);
      }
      return out;
    });
    expect((await verify()).code).toBe(0); // without the key, nothing can tell: that is what the key is for
    expect((await verify('--key', 'a.key')).stdout).toBe(
      'audit.jsonl:1: line 1 starts a run without a key, but --key was given: the log was rewritten without the key, or a proxy without --audit-key wrote this run\n' +
        'audit.jsonl: not intact: no line verifies; line 1\'s run has no key\n',
    );
  });

  it('the wrong key', async () => {
    keyedLog();
    expect(await verify('--key', 'b.key')).toEqual({
      code: 1,
      stderr: '',
      stdout: `audit.jsonl:1: wrong key: line 1 starts a run written with key id ${KEY_A.id}, but the key given has key id ${KEY_B.id}\naudit.jsonl: not intact: no line verifies; line 1's run was written with another key\n`,
    });
  });

  it('a run under a key not given, among several keys', async () => {
    appendRuns(path, [{ key: KEY_A, calls: 1 }, { key: KEY_B, calls: 1 }], 100);
    writeFileSync(join(dir, 'c.key'), `${'c3'.repeat(32)}\n`);
    const c = parseAuditKey('c3'.repeat(32)) as { id: string };
    expect((await verify('--key', 'a.key', '--key', 'c.key')).stdout.split('\n')[0]).toBe(
      `audit.jsonl:6: wrong key: line 6 starts a run written with key id ${KEY_B.id}, but the keys given have key ids ${KEY_A.id}, ${c.id}`,
    );
  });

  it('a keyed log without --key: exit 2, it cannot be checked', async () => {
    keyedLog();
    expect(await verify()).toEqual({ code: 2, stdout: '', stderr: `policylayer: audit.jsonl:1: line 1 starts a run chained with a key (key id ${KEY_A.id}): give that key with --key FILE\n` });
  });
});

describe('--head: a head kept elsewhere must still be in the log', () => {
  it('finds a checkpoint\'s head, and the final head verify printed', async () => {
    appendRuns(path, [{ key: KEY_A, calls: 4 }], 4);
    const checkpoint = lines().findIndex((line) => line.includes('"event":"checkpoint"'));
    const head = headOf(lines()[checkpoint]!);
    const final = headOf(lines().at(-1)!);
    const result = await verify('--key', 'a.key', '--head', head, '--head', final.toUpperCase());
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      `audit.jsonl:${checkpoint + 1}: head ${head} found: lines 1–${checkpoint + 1} are as they were when it was taken`,
      `audit.jsonl:${lines().length}: head ${final} found: lines 1–${lines().length} are as they were when it was taken`,
    ]);
  });

  it('a head that is not there: the lines it covered were changed or removed', async () => {
    keyedLog();
    const final = headOf(lines()[6]!);
    rewrite((l) => l.slice(0, 6));
    const result = await verify('--key', 'a.key', '--open', '--head', final);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      `audit.jsonl:6: the head ${final} is not in this log: lines it covered were changed or removed since it was taken, or it is another log's head`,
      `audit.jsonl: not intact: lines 1–6 verify; the head ${final.slice(0, 12)}… is not in it`,
      '',
    ]);
  });

  it('a head that is not 64 hex digits is a usage error', async () => {
    keyedLog();
    expect(await verify('--head', 'abc')).toEqual({ code: 2, stdout: '', stderr: 'policylayer: --head: expected 64 hex digits (a head from audit verify or a checkpoint line), got "abc"\n' });
  });
});

describe('unreadable input: exit 2', () => {
  it('a file that does not exist', async () => {
    expect(await runCli(['audit', 'verify', 'missing.jsonl'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'policylayer: missing.jsonl: no such file\n' });
  });

  it('a key file that does not exist, or is not a key', async () => {
    keyedLog();
    expect((await verify('--key', 'none.key')).stderr).toBe('policylayer: none.key: no such key file (create one with `policylayer audit keygen FILE`)\n');
    writeFileSync(join(dir, 'short.key'), 'abcd\n');
    expect(await verify('--key', 'short.key')).toEqual({ code: 2, stdout: '', stderr: 'policylayer: short.key: the key is 4 hex digits; it needs at least 64 (32 bytes)\n' });
  });
});

describe('policylayer audit keygen', () => {
  it('writes a new key readable by its owner only, and says how to use it', async () => {
    const result = await runCli(['audit', 'keygen', 'new.key'], { cwd: dir });
    expect(result.code).toBe(0);
    const key = parseAuditKey(readFileSync(join(dir, 'new.key'), 'utf8'));
    if (typeof key === 'string') throw new Error(key);
    expect(statSync(join(dir, 'new.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'new.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(result.stdout).toBe(
      `new.key: a new audit key (key id ${key.id}), readable by you only (mode 0600)\n` +
        'use it with `policylayer proxy --audit-key new.key` and `policylayer audit verify --key new.key`; keep it from whoever can change the log\n',
    );
  });

  it('never overwrites a key', async () => {
    const before = readFileSync(join(dir, 'a.key'), 'utf8');
    expect(await runCli(['audit', 'keygen', 'a.key'], { cwd: dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'policylayer: a.key: already exists; keygen never overwrites a key (logs written with it could no longer be verified)\n',
    });
    expect(readFileSync(join(dir, 'a.key'), 'utf8')).toBe(before);
  });
});

function createHmacHex(line: string): string {
  return createHmacSha256(KEY_A.bytes, line);
}

function createHmacSha256(key: Buffer, text: string): string {
  // node:crypto's HMAC, spelled out so the test does not lean on src/audit/chain.ts.
  const block = 64;
  const k = Buffer.alloc(block);
  key.copy(k);
  const inner = createHash('sha256').update(Buffer.from(k.map((b) => b ^ 0x36))).update(text).digest();
  return createHash('sha256').update(Buffer.from(k.map((b) => b ^ 0x5c))).update(inner).digest('hex');
}
