import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer, STATE_UNAVAILABLE } from '../../src/engine/enforcer.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { CounterStore, ReserveResult } from '../../src/engine/store.js';
import type { Reservation } from '../../src/engine/types.js';
import { windowEnd, windowStart } from '../../src/engine/windows.js';

const policy = compilePolicy({
  version: '1',
  default: 'deny',
  hide: ['secret'],
  tools: {
    limited: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'global' }], deny_if: [{ conditions: [{ path: 'args.mode', op: 'eq', value: 'bad' }], on_deny: 'bad mode' }] },
    free: {},
  },
});

/** A store that fails every operation the way a dead or hung server does. */
class BrokenStore implements CounterStore {
  calls = 0;
  constructor(private readonly how: 'reject' | 'hang') {}
  private fail<T>(): Promise<T> {
    this.calls++;
    return this.how === 'reject' ? Promise.reject(new Error('redis://10.0.0.1:6379/0 unreachable: connection refused')) : new Promise<T>(() => {});
  }
  read(): Promise<number[]> {
    return this.fail();
  }
  reserve(): Promise<ReserveResult> {
    return this.fail();
  }
  commit(): Promise<void> {
    return this.fail();
  }
  rollback(): Promise<void> {
    return this.fail();
  }
  async close(): Promise<void> {}
}

describe('Enforcer fail modes', () => {
  it('closed: denies a call that needs counters with rule (state unavailable), a clear message and the audit flag', async () => {
    const enforcer = new Enforcer(policy, new BrokenStore('reject'), { failMode: 'closed', timeoutMs: 500 });
    const decision = await enforcer.decide(makeCall('limited'));
    expect(decision).toMatchObject({
      outcome: 'deny',
      rule: STATE_UNAVAILABLE,
      reservations: [],
      stateUnavailable: { failMode: 'closed', error: 'redis://10.0.0.1:6379/0 unreachable: connection refused' },
    });
    expect(decision.message).toBe(
      'Call denied: the counter store is unavailable (redis://10.0.0.1:6379/0 unreachable: connection refused) and the state fail mode is closed',
    );
  });

  it('open: allows the call without counting it, flagged for the audit log', async () => {
    const enforcer = new Enforcer(policy, new BrokenStore('reject'), { failMode: 'open', timeoutMs: 500 });
    const decision = await enforcer.decide(makeCall('limited'));
    expect(decision).toMatchObject({ outcome: 'allow', rule: '/tools/limited', reservations: [], stateUnavailable: { failMode: 'open' } });
  });

  it('defaults to closed', async () => {
    const decision = await new Enforcer(policy, new BrokenStore('reject')).decide(makeCall('limited'));
    expect(decision.rule).toBe(STATE_UNAVAILABLE);
  });

  it('never lets an outage change a decision that does not depend on counters', async () => {
    for (const failMode of ['closed', 'open'] as const) {
      const store = new BrokenStore('reject');
      const enforcer = new Enforcer(policy, store, { failMode, timeoutMs: 500 });
      expect(await enforcer.decide(makeCall('free'))).toEqual({ outcome: 'allow', rule: '/tools/free', message: '', reservations: [] });
      expect(await enforcer.decide(makeCall('secret'))).toMatchObject({ outcome: 'deny', rule: '(hidden)' });
      expect(await enforcer.decide(makeCall('unlisted'))).toMatchObject({ outcome: 'deny', rule: '(default deny)' });
      const bad = await enforcer.decide(makeCall('limited', { args: { mode: 'bad' } }));
      expect(bad).toMatchObject({ outcome: 'deny', rule: '/tools/limited/deny_if/0', message: 'bad mode' });
      expect(bad.stateUnavailable).toBeUndefined();
    }
  });

  it('bounds a hung store by the timeout and says so', async () => {
    const enforcer = new Enforcer(policy, new BrokenStore('hang'), { failMode: 'closed', timeoutMs: 150 });
    const started = performance.now();
    const decision = await enforcer.decide(makeCall('limited'));
    const elapsed = performance.now() - started;
    expect(decision.stateUnavailable).toEqual({ failMode: 'closed', error: 'counter store: no answer within 150 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it('commit and rollback never throw or hang; they report whether the store took them', async () => {
    const ok = new Enforcer(policy, new MemoryCounterStore());
    const allowed = await ok.decide(makeCall('limited'));
    expect(await ok.rollback(allowed)).toBe(true);
    const broken = new Enforcer(policy, new BrokenStore('hang'), { timeoutMs: 100 });
    expect(await broken.rollback(allowed)).toBe(false);
    expect(await broken.commit(allowed)).toBe(false);
    expect(await broken.commit({ ...allowed, reservations: [] })).toBe(true);
  });

  it('traces the outage for explain: limits not read (rather than "0 used"), then the fail mode', async () => {
    const open = await new Enforcer(policy, new BrokenStore('reject'), { failMode: 'open' }).decide(makeCall('limited'), undefined, { trace: true });
    expect(open.trace?.map((step) => [step.rule, step.result])).toEqual([
      ['(hidden)', 'passed'],
      ['/tools/limited', 'passed'],
      ['/tools/limited/deny_if/0', 'passed'],
      ['/tools/limited/limits/0', 'skipped'],
      [STATE_UNAVAILABLE, 'passed'],
      ['/tools/limited', 'matched'],
    ]);
    expect(open.trace?.[3]).toEqual({ rule: '/tools/limited/limits/0', kind: 'limit', result: 'skipped', note: 'counter not read: the counter store is unavailable' });
    const closed = await new Enforcer(policy, new BrokenStore('reject')).decide(makeCall('limited'), undefined, { trace: true });
    expect(closed.trace?.slice(-2).map((step) => [step.rule, step.result])).toEqual([
      ['/tools/limited/limits/0', 'skipped'],
      [STATE_UNAVAILABLE, 'matched'],
    ]);
    expect(closed.trace?.at(-1)?.note).toBe(closed.message);
  });

  it('lets engine bugs surface instead of hiding them as outages', async () => {
    const throwing = new Enforcer({ ...policy, get tools(): never { throw new Error('engine bug'); } } as never, new MemoryCounterStore(), { failMode: 'open' });
    await expect(throwing.decide(makeCall('limited'))).rejects.toThrow('engine bug');
  });
});

/** A store whose clock is ahead of the caller's, as a Redis server's can be: it refuses windows that are not current on its clock. */
class StoreWithItsOwnClock extends MemoryCounterStore {
  constructor(private readonly storeClockMs: number) {
    super();
  }
  now(): number {
    return this.storeClockMs;
  }
  override async reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult> {
    const failed = reservations.findIndex((r) => this.storeClockMs < r.windowStartMs || this.storeClockMs >= r.windowEndMs);
    if (failed >= 0) return { ok: false, failed, storeNowMs: this.storeClockMs };
    return super.reserve(reservations, nowMs);
  }
}

describe('Enforcer clock', () => {
  const T = Date.UTC(2026, 10, 24, 10, 0, 59, 500);

  it('decides live calls on the store clock: keys and retry-after follow it', async () => {
    const storeNow = T + 1000; // the store is already in the next minute
    const enforcer = new Enforcer(policy, new StoreWithItsOwnClock(storeNow));
    const first = await enforcer.decide(makeCall('limited'));
    expect(first.reservations[0]!.windowStartMs).toBe(windowStart('minute', storeNow));
    await enforcer.decide(makeCall('limited'));
    const third = await enforcer.decide(makeCall('limited'));
    expect(third.retryAfterMs).toBe(windowEnd('minute', storeNow) - storeNow);
  });

  it('moves an explicit time that is in another window on the store clock to the store time', async () => {
    const storeNow = T + 1000;
    const enforcer = new Enforcer(policy, new StoreWithItsOwnClock(storeNow));
    const decision = await enforcer.decide(makeCall('limited'), T);
    expect(decision.outcome).toBe('allow');
    expect(decision.reservations[0]!.windowStartMs).toBe(windowStart('minute', storeNow));
  });
});

/** Counts store round trips. */
class CountingStore extends MemoryCounterStore {
  reads = 0;
  reserves = 0;
  override async read(keys: readonly string[], nowMs: number): Promise<number[]> {
    this.reads++;
    return super.read(keys, nowMs);
  }
  override async reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult> {
    this.reserves++;
    return super.reserve(reservations, nowMs);
  }
}

describe('Enforcer round trips', () => {
  const T = Date.UTC(2026, 10, 24, 10, 0, 30);

  it('decides an allowed or a rate-limited call with one reservation and no read', async () => {
    const store = new CountingStore();
    const enforcer = new Enforcer(policy, store);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await enforcer.decide(makeCall('limited'), T)).outcome);
    expect(outcomes).toEqual(['allow', 'allow', 'deny']);
    expect({ reads: store.reads, reserves: store.reserves }).toEqual({ reads: 0, reserves: 3 });
    const denied = await enforcer.decide(makeCall('limited'), T);
    expect(denied).toMatchObject({ outcome: 'deny', rule: '/tools/limited/limits/0', retryAfterMs: 30_000 });
  });

  it('traces the counter values the store saw when it reserved', async () => {
    const enforcer = new Enforcer(policy, new MemoryCounterStore());
    const first = await enforcer.decide(makeCall('limited'), T, { trace: true });
    const second = await enforcer.decide(makeCall('limited'), T, { trace: true });
    const third = await enforcer.decide(makeCall('limited'), T, { trace: true });
    const used = (d: typeof first): number | undefined => d.trace?.find((step) => step.kind === 'limit')?.counter?.used;
    expect([used(first), used(second), used(third)]).toEqual([0, 1, 2]);
    expect(third.outcome).toBe('deny');
  });

  it('does not touch the store for calls decided before any limit', async () => {
    const store = new CountingStore();
    const enforcer = new Enforcer(policy, store);
    await enforcer.decide(makeCall('secret'));
    await enforcer.decide(makeCall('free'));
    expect({ reads: store.reads, reserves: store.reserves }).toEqual({ reads: 0, reserves: 0 });
  });
});
