import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer, STATE_UNAVAILABLE } from '../../src/engine/enforcer.js';
import { UserError } from '../../src/errors.js';
import { FileCounterStore } from '../../src/state/file-store.js';
import { openCounterStore } from '../../src/state/open.js';
import { betterSqlite3, requireFor, sqlite } from '../helpers/requirements.js';
import { awayFromHourBoundary, checkAgainstMemoryModel, checkAllOrNone, globalLimitPolicy, globalReservation, runWorker, sum } from '../helpers/state.js';

const dir = mkdtempSync(join(tmpdir(), 'pl-file-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `state-${n++}.sqlite`);


requireFor('better-sqlite3', sqlite);
const Database = betterSqlite3!;

describe.runIf(sqlite.ok)('file: state store', () => {
  it('reserves all counters of a call or none, and rolls back without going below zero', async () => {
    const store = await FileCounterStore.open(freshPath(), { timeoutMs: 1000 });
    const now = Date.now();
    await checkAllOrNone(store, now);
    await store.close();
  });

  it('forgets a window once it has ended', async () => {
    const store = await FileCounterStore.open(freshPath(), { timeoutMs: 1000 });
    const now = Date.now();
    const r = globalReservation('a', 1, 1, now);
    await store.reserve([r], now);
    expect(await store.read([r.key], r.windowEndMs - 1)).toEqual([1]);
    expect(await store.read([r.key], r.windowEndMs)).toEqual([0]);
    await store.close();
  });

  it('behaves like the memory store for any sequence of reserve, rollback and read', async () => {
    const store = await FileCounterStore.open(freshPath(), { timeoutMs: 1000 });
    await checkAgainstMemoryModel(store);
    await store.close();
  });

  it('keeps the budget used before a restart, mid-window, even when the process was killed', async () => {
    await awayFromHourBoundary();
    const state = `file:${freshPath()}`;
    const config = { state, policy: globalLimitPolicy(10), tool: 't', concurrency: 2, startAtMs: 0 };
    const crashed = await runWorker({ ...config, calls: 7, hang: true });
    expect(crashed.allowed).toBe(7);
    crashed.kill();
    const restarted = await runWorker({ ...config, calls: 6 });
    expect(restarted).toMatchObject({ allowed: 3, denied: 3 });
    // And in-process, through openCounterStore and a fresh Enforcer: still full.
    const store = await openCounterStore(state);
    const enforcer = new Enforcer(compilePolicy(globalLimitPolicy(10)), store);
    expect(await enforcer.decide(makeCall('t'))).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0' });
    await store.close();
  });

  it('lets exactly max calls through when several processes share one file', async () => {
    // With max 10 the first process often takes the whole budget before the others start; with 200
    // of 400 calls, every process is reserving at the same time (a reserve without its transaction
    // lets 250-350 through there).
    await awayFromHourBoundary();
    for (const [max, calls] of [
      [10, 25],
      [200, 100],
    ] as const) {
      const state = `file:${freshPath()}`;
      const startAtMs = Date.now() + 2500;
      const results = await Promise.all(Array.from({ length: 4 }, () => runWorker({ state, policy: globalLimitPolicy(max), tool: 't', calls, concurrency: 4, startAtMs })));
      expect(sum(results, 'allowed')).toBe(max);
      expect(sum(results, 'denied')).toBe(4 * calls - max);
      expect(sum(results, 'unavailable')).toBe(0);
    }
  }, 60_000);

  it('treats a lock held past the timeout as an outage: bounded, and decided by the fail mode', async () => {
    const path = freshPath();
    const store = await FileCounterStore.open(path, { timeoutMs: 200 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const policy = compilePolicy(globalLimitPolicy(10));
      const closed = new Enforcer(policy, store, { failMode: 'closed', timeoutMs: 200 });
      const started = performance.now();
      const denied = await closed.decide(makeCall('t'));
      expect(performance.now() - started).toBeLessThan(2000);
      expect(denied).toMatchObject({ outcome: 'deny', rule: STATE_UNAVAILABLE, stateUnavailable: { failMode: 'closed' } });
      expect(denied.message).toContain(`file:${path}: database is locked`);
      const open = new Enforcer(policy, store, { failMode: 'open', timeoutMs: 200 });
      expect(await open.decide(makeCall('t'))).toMatchObject({ outcome: 'allow', stateUnavailable: { failMode: 'open' } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The lock is gone: enforcement resumes.
    const resumed = await new Enforcer(compilePolicy(globalLimitPolicy(10)), store).decide(makeCall('t'));
    expect(resumed.outcome).toBe('allow');
    expect(resumed.stateUnavailable).toBeUndefined();
    await store.close();
  });

  it('refuses files that are not policylayer state, with one clear line', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header\n'.repeat(20));
    await expect(FileCounterStore.open(text, { timeoutMs: 500 })).rejects.toThrow(new UserError(`file:${text}: cannot open the state file: file is not a database`));

    const foreign = freshPath();
    const db = new Database(foreign);
    db.exec('CREATE TABLE customers (id INTEGER)');
    db.close();
    await expect(FileCounterStore.open(foreign, { timeoutMs: 500 })).rejects.toThrow(`file:${foreign}: an SQLite database that is not policylayer state; choose another path`);

    const newer = freshPath();
    const db2 = new Database(newer);
    db2.pragma('user_version = 7');
    db2.close();
    await expect(FileCounterStore.open(newer, { timeoutMs: 500 })).rejects.toThrow('written by a newer policylayer (state format 7, this one reads 1)');
  });

  it('creates missing folders and uses WAL mode', async () => {
    const path = join(dir, 'nested', 'deeper', 'state.sqlite');
    const store = await openCounterStore(`file:${path}`);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
