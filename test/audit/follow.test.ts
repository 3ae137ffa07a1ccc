import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileFollower, type FollowReset } from '../../src/audit/follow.js';

let dir: string;
let followers: FileFollower[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-follow-'));
});
afterEach(async () => {
  await Promise.all(followers.map((f) => f.close()));
  followers = [];
  rmSync(dir, { recursive: true, force: true });
});

function follow(path: string, options: ConstructorParameters<typeof FileFollower>[2] = {}) {
  const seen = { lines: [] as string[], resets: [] as FollowReset[], overlong: [] as number[], presence: [] as boolean[], errors: [] as Error[] };
  const follower = new FileFollower(
    path,
    {
      lines: (lines) => seen.lines.push(...lines),
      reset: (reason) => seen.resets.push(reason),
      overlong: (bytes) => seen.overlong.push(bytes),
      presence: (exists) => seen.presence.push(exists),
      error: (error) => seen.errors.push(error),
    },
    options,
  );
  followers.push(follower);
  return { follower, seen };
}

describe('FileFollower', () => {
  it('delivers the existing lines, then appends, and holds back a line until its newline arrives', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, 'one\ntwo\nthr');
    const { follower, seen } = follow(path);
    await follower.readNow();
    expect(seen.lines).toEqual(['one', 'two']);
    appendFileSync(path, 'ee\nfour\n');
    await follower.readNow();
    expect(seen.lines).toEqual(['one', 'two', 'three', 'four']);
  });

  it('keeps multi-byte characters split across reads intact', async () => {
    const path = join(dir, 'audit.jsonl');
    const text = 'naïve ☃ 🧪\n'.repeat(50);
    writeFileSync(path, text);
    const { follower, seen } = follow(path, { chunkBytes: 7 });
    await follower.readNow();
    expect(seen.lines).toEqual(Array(50).fill('naïve ☃ 🧪'));
  });

  it('notices appends by itself (fs.watch), without being asked', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, '');
    const { follower, seen } = follow(path, { pollMs: 60_000 });
    await follower.start();
    appendFileSync(path, 'a\nb\n');
    await vi.waitFor(() => expect(seen.lines).toEqual(['a', 'b']), { timeout: 5000, interval: 5 });
  });

  it('finishes the old file and continues with the new one when the log is rotated by rename', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, 'old-1\n');
    const { follower, seen } = follow(path);
    await follower.readNow();
    appendFileSync(path, 'old-2\n');
    renameSync(path, `${path}.1`);
    // The writer still had the old file open and wrote one more line before reopening.
    appendFileSync(`${path}.1`, 'old-3\n');
    writeFileSync(path, 'new-1\n');
    await follower.readNow();
    expect(seen.lines).toEqual(['old-1', 'old-2', 'old-3', 'new-1']);
    expect(seen.resets).toEqual(['rotated']);
  });

  it('starts again from the top when the file is truncated in place (copytruncate)', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, 'a-long-first-line\nanother-line\n');
    const { follower, seen } = follow(path);
    await follower.readNow();
    truncateSync(path, 0);
    appendFileSync(path, 'fresh\n');
    await follower.readNow();
    expect(seen.lines).toEqual(['a-long-first-line', 'another-line', 'fresh']);
    expect(seen.resets).toEqual(['truncated']);
  });

  it('waits for a file that does not exist yet and reads it once it appears', async () => {
    const path = join(dir, 'later.jsonl');
    const { follower, seen } = follow(path, { pollMs: 60_000 });
    await follower.start();
    expect(seen.presence).toEqual([false]);
    writeFileSync(path, 'hello\n');
    await vi.waitFor(() => expect(seen.lines).toEqual(['hello']), { timeout: 5000, interval: 5 });
    expect(seen.presence).toEqual([false, true]);
  });

  it('waits for a folder that does not exist yet, without reporting an error', async () => {
    const path = join(dir, 'logs', 'audit.jsonl');
    const { follower, seen } = follow(path, { pollMs: 20 });
    await follower.start();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(path, 'first\n');
    await vi.waitFor(() => expect(seen.lines).toEqual(['first']), { timeout: 5000, interval: 5 });
    // Once the folder exists it is watched; following goes on without an error.
    appendFileSync(path, 'second\n');
    await vi.waitFor(() => expect(seen.lines).toEqual(['first', 'second']), { timeout: 5000, interval: 5 });
    expect(seen.errors).toEqual([]);
  });

  it('skips a line longer than the limit, reports its size, and reads on', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, `ok\n${'x'.repeat(5000)}\nafter\n`);
    const { follower, seen } = follow(path, { maxLineBytes: 1000, chunkBytes: 512 });
    await follower.readNow();
    expect(seen.lines).toEqual(['ok', 'after']);
    expect(seen.overlong).toEqual([5000]);
  });

  it('reads nothing more after close', async () => {
    const path = join(dir, 'audit.jsonl');
    writeFileSync(path, 'a\n');
    const { follower, seen } = follow(path);
    await follower.start();
    await follower.close();
    appendFileSync(path, 'b\n');
    await follower.readNow();
    expect(seen.lines).toEqual(['a']);
  });
});
