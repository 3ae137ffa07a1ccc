import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer } from '../../src/engine/enforcer.js';
import type { CounterStore } from '../../src/engine/store.js';
import { windowStart } from '../../src/engine/windows.js';
import { openCounterStore } from '../../src/state/open.js';
import { EXPIRY_MARGIN_MS } from '../../src/state/redis-store.js';
import { haveRedis, requireRedisInCi, testRedisUrl, uniquePrefix, withPrefix } from '../helpers/redis.js';
import { awayFromHourBoundary, checkAgainstMemoryModel, checkAllOrNone, globalLimitPolicy, globalReservation, runWorker, sum } from '../helpers/state.js';

requireRedisInCi(false);


describe.runIf(haveRedis)('redis:// state store', () => {
  let url = '';
  let stop = async (): Promise<void> => {};
  let inspect: Redis;
  const opened: CounterStore[] = [];
  const open = async (prefix: string): Promise<CounterStore> => {
    const store = await openCounterStore(withPrefix(url, prefix), { timeoutMs: 2000 });
    opened.push(store);
    return store;
  };
  /** The server's own time, which windows are measured on. */
  const serverNow = async (): Promise<number> => {
    const [seconds, micros] = await inspect.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };

  beforeAll(async () => {
    ({ url, stop } = await testRedisUrl());
    inspect = new Redis(url);
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    inspect?.disconnect();
    await stop();
  });

  it('reserves all counters of a call or none, and rolls back without going below zero', async () => {
    const store = await open(uniquePrefix());
    const now = await serverNow();
    await checkAllOrNone(store, now);
  });

  it('keeps keys under the prefix, expiring at the window end plus a margin', async () => {
    const prefix = uniquePrefix();
    const store = await open(prefix);
    const now = await serverNow();
    const r = globalReservation('spend', 2.5, 10, now, 'minute');
    expect(await store.reserve([r], now)).toEqual({ ok: true, values: [0] });
    expect(await inspect.keys(`${prefix}*`)).toEqual([`${prefix}${r.key}`]);
    expect(await inspect.get(`${prefix}${r.key}`)).toBe('2.5');
    expect(Number(await inspect.call('PEXPIRETIME', `${prefix}${r.key}`))).toBe(r.windowEndMs + EXPIRY_MARGIN_MS);
    // A rollback after the key expired must not bring it back without an expiry.
    await inspect.del(`${prefix}${r.key}`);
    await store.rollback([r]);
    expect(await inspect.exists(`${prefix}${r.key}`)).toBe(0);
  });

  it('behaves like the memory store for any sequence of reserve, rollback and read', async () => {
    await awayFromHourBoundary(15_000, Date.now);
    await checkAgainstMemoryModel(await open(uniquePrefix()), 30);
  });

  it("measures windows on the server's clock: a reservation for another window is refused with the server's time", async () => {
    const store = await open(uniquePrefix());
    const now = await serverNow();
    const past = globalReservation('a', 1, 5, now - 60_000, 'minute');
    const result = await store.reserve([past], now - 60_000);
    expect(result).toMatchObject({ ok: false, failed: 0 });
    const storeNowMs = (result as { storeNowMs: number }).storeNowMs;
    expect(Math.abs(storeNowMs - now)).toBeLessThan(2000);
    expect(await inspect.keys('*:minute/*/global/0:/a')).toEqual([]);
    // The store's estimate of the server clock is what live decisions use.
    expect(Math.abs(store.now!() - (await serverNow()))).toBeLessThan(1000);
  });

  it('cannot be given extra calls by proxies whose clocks are minutes apart', async () => {
    await awayFromHourBoundary(15_000, Date.now);
    const prefix = uniquePrefix();
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 10, scope: 'global' }] } } });
    const skews = [-150_000, -61_000, 0, 59_000, 150_000];
    const enforcers = await Promise.all(skews.map(async () => new Enforcer(policy, await open(prefix))));
    // Each "proxy" passes its own skewed clock; a minute window may still turn over on the server meanwhile.
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => enforcers[i % 5]!.decide(makeCall('t'), Date.now() + skews[i % 5]!)));
    const allowedByWindow = new Map<number, number>();
    for (const d of decisions) if (d.outcome === 'allow') allowedByWindow.set(d.reservations[0]!.windowStartMs, (allowedByWindow.get(d.reservations[0]!.windowStartMs) ?? 0) + 1);
    const serverWindow = windowStart('minute', await serverNow());
    for (const [start, count] of allowedByWindow) {
      expect(count).toBeLessThanOrEqual(10);
      // Only windows that were current on the server during the test.
      expect(serverWindow - start).toBeLessThanOrEqual(60_000);
      expect(start).toBeLessThanOrEqual(serverWindow);
    }
    expect([...allowedByWindow.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
  });

  it('lets exactly 10 of 200 concurrent calls through from 8 clients in one process', async () => {
    await awayFromHourBoundary(15_000, Date.now);
    const prefix = uniquePrefix();
    const policy = compilePolicy(globalLimitPolicy(10));
    const enforcers = await Promise.all(Array.from({ length: 8 }, async () => new Enforcer(policy, await open(prefix))));
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => enforcers[i % 8]!.decide(makeCall('t'))));
    expect(decisions.filter((d) => d.outcome === 'allow')).toHaveLength(10);
    expect(decisions.filter((d) => d.stateUnavailable)).toHaveLength(0);
  });

  it('lets exactly max calls through from 4 processes, however their calls interleave', async () => {
    await awayFromHourBoundary(15_000, Date.now);
    for (const [max, calls] of [
      [10, 40],
      [200, 100],
    ] as const) {
      const state = withPrefix(url, uniquePrefix());
      const startAtMs = Date.now() + 2500;
      const results = await Promise.all(Array.from({ length: 4 }, () => runWorker({ state, policy: globalLimitPolicy(max), tool: 't', calls, concurrency: 8, startAtMs })));
      expect(sum(results, 'allowed')).toBe(max);
      expect(sum(results, 'unavailable')).toBe(0);
      expect(sum(results, 'denied')).toBe(4 * calls - max);
    }
  }, 60_000);
});
