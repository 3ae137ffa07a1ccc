import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer, STATE_UNAVAILABLE } from '../../src/engine/enforcer.js';
import type { CounterStore } from '../../src/engine/store.js';
import type { Decision } from '../../src/engine/types.js';
import { openCounterStore } from '../../src/state/open.js';
import { freePort, haveRedisServerBinary, requireRedisInCi, startRedisServer, type RedisServer } from '../helpers/redis.js';
import { awayFromHourBoundary, globalLimitPolicy } from '../helpers/state.js';

requireRedisInCi(true);

const TIMEOUT_MS = 500;
const policy = compilePolicy(globalLimitPolicy(10));

async function timed(enforcer: Enforcer): Promise<{ decision: Decision; ms: number }> {
  const started = performance.now();
  const decision = await enforcer.decide(makeCall('t'));
  return { decision, ms: performance.now() - started };
}

/** Decides until a decision is made with the store again (it reconnects every ≤ 1 s). */
async function untilStoreAnswers(enforcer: Enforcer, withinMs: number): Promise<Decision> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const decision = await enforcer.decide(makeCall('t'));
    if (!decision.stateUnavailable) return decision;
    if (Date.now() > deadline) throw new Error(`store still unavailable after ${withinMs} ms: ${decision.stateUnavailable.error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(haveRedisServerBinary)('redis:// state store outages', () => {
  const stores: CounterStore[] = [];
  const servers: RedisServer[] = [];
  const open = async (url: string): Promise<CounterStore> => {
    const store = await openCounterStore(url, { timeoutMs: TIMEOUT_MS });
    stores.push(store);
    return store;
  };
  const server = async (): Promise<RedisServer> => {
    const started = await startRedisServer();
    servers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('opens at once while Redis is down, and detects it within the timeout on the first call', async () => {
    const port = await freePort();
    const store = await open(`redis://127.0.0.1:${port}/0`);
    const { decision, ms } = await timed(new Enforcer(policy, store, { failMode: 'closed', timeoutMs: TIMEOUT_MS }));
    expect(ms).toBeLessThan(TIMEOUT_MS + 500);
    expect(decision).toMatchObject({ outcome: 'deny', rule: STATE_UNAVAILABLE, stateUnavailable: { failMode: 'closed' } });
    expect(decision.message).toBe(
      `Call denied: the counter store is unavailable (redis://127.0.0.1:${port}/0 unreachable: connection refused) and the state fail mode is closed`,
    );
  });

  it('detects a server that accepts connections but never answers within the timeout, then fails fast', async () => {
    const redis = await server();
    redis.pause();
    try {
      // A proxy starts while its Redis hangs: opening does not wait for the connection.
      const started = performance.now();
      const store = await open(redis.url);
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
      const enforcer = new Enforcer(policy, store, { failMode: 'closed', timeoutMs: TIMEOUT_MS });
      const first = await timed(enforcer);
      expect(first.decision.rule).toBe(STATE_UNAVAILABLE);
      expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(first.ms).toBeLessThan(TIMEOUT_MS + 500);
      const second = await timed(enforcer);
      expect(second.decision.rule).toBe(STATE_UNAVAILABLE);
      expect(second.ms).toBeLessThan(100);
      redis.resume();
      expect((await untilStoreAnswers(enforcer, 5000)).outcome).toBe('allow');

      // The same while connected: the command times out, then calls fail fast until Redis answers again.
      redis.pause();
      const hung = await timed(enforcer);
      expect(hung.decision).toMatchObject({ rule: STATE_UNAVAILABLE, stateUnavailable: { error: `${redis.url}: no answer within ${TIMEOUT_MS} ms` } });
      expect(hung.ms).toBeLessThan(TIMEOUT_MS + 500);
      expect((await timed(enforcer)).ms).toBeLessThan(100);
      redis.resume();
      expect((await untilStoreAnswers(enforcer, 5000)).outcome).toBe('allow');
    } finally {
      redis.resume();
    }
  });

  it('Redis stopped mid-run: closed denies, open allows and flags; back up: enforcement resumes', async () => {
    await awayFromHourBoundary();
    const redis = await server();
    const closedStore = await open(redis.url);
    const openStore = await open(redis.url);
    const closed = new Enforcer(policy, closedStore, { failMode: 'closed', timeoutMs: TIMEOUT_MS });
    const open_ = new Enforcer(policy, openStore, { failMode: 'open', timeoutMs: TIMEOUT_MS });
    for (let i = 0; i < 4; i++) expect((await closed.decide(makeCall('t'))).outcome).toBe('allow');
    for (let i = 0; i < 4; i++) expect((await open_.decide(makeCall('t'))).outcome).toBe('allow');

    await redis.stop();
    const down = await timed(closed);
    expect(down.ms).toBeLessThan(TIMEOUT_MS + 500);
    expect(down.decision).toMatchObject({ outcome: 'deny', rule: STATE_UNAVAILABLE, reservations: [], stateUnavailable: { failMode: 'closed' } });
    expect(down.decision.message).toMatch(/^Call denied: the counter store is unavailable \(redis:\/\/127\.0\.0\.1:\d+\/0.*\) and the state fail mode is closed$/);
    // Open: every call goes through while Redis is down, uncounted and flagged for the audit log.
    for (let i = 0; i < 12; i++) {
      const { decision, ms } = await timed(open_);
      expect(ms).toBeLessThan(TIMEOUT_MS + 500);
      expect(decision).toMatchObject({ outcome: 'allow', rule: '/tools/t', reservations: [], stateUnavailable: { failMode: 'open' } });
    }

    await redis.start();
    // This Redis keeps nothing across a restart (no persistence), so the window starts empty again:
    // exactly 10 more calls, shared by both proxies, then denials.
    const outcomes: string[] = [(await untilStoreAnswers(closed, 5000)).outcome];
    await untilStoreAnswers(open_, 5000).then((d) => outcomes.push(d.outcome));
    for (let i = 0; i < 10; i++) outcomes.push((await (i % 2 ? closed : open_).decide(makeCall('t'))).outcome);
    expect(outcomes.filter((o) => o === 'allow')).toHaveLength(10);
    const last = await open_.decide(makeCall('t'));
    expect(last).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0' });
    expect(last.stateUnavailable).toBeUndefined();
  }, 30_000);

  it('a rollback while Redis is down does not hang and reports that the budget stays used', async () => {
    const redis = await server();
    const enforcer = new Enforcer(policy, await open(redis.url), { timeoutMs: TIMEOUT_MS });
    const allowed = await enforcer.decide(makeCall('t'));
    expect(allowed.outcome).toBe('allow');
    await redis.stop();
    const started = performance.now();
    expect(await enforcer.rollback(allowed)).toBe(false);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
  });
});
