import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy, type CompiledPolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { counterKey, parseCounterKey } from '../../src/engine/keys.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { Call, Decision } from '../../src/engine/types.js';
import { windowEnd, windowStart } from '../../src/engine/windows.js';
import type { Limit, PolicyDocument } from '../../src/policy/schema.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

/** Decides calls in sequence and reserves what they ask, as the proxy does. */
class Run {
  readonly policy: CompiledPolicy;
  readonly store = new MemoryCounterStore();
  constructor(document: PolicyDocument) {
    this.policy = compilePolicy(document);
  }
  call(call: Call, at: number): Decision {
    const decision = decide(this.policy, call, this.store, at);
    if (decision.outcome !== 'deny') expect(this.store.tryReserve(decision.reservations, at)).toEqual({ ok: true });
    return decision;
  }
  outcomes(calls: Array<[Call, number]>): string[] {
    return calls.map(([call, at]) => this.call(call, at).outcome);
  }
}

const limit = (extra: Partial<Limit> = {}): Limit => ({ counter: 'c', window: 'minute', max: 3, scope: 'grant', ...extra });
const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('windows', () => {
  it('are fixed and aligned to UTC', () => {
    const t = Date.UTC(2026, 10, 24, 10, 17, 42, 123);
    expect(windowStart('minute', t)).toBe(Date.UTC(2026, 10, 24, 10, 17));
    expect(windowEnd('minute', t)).toBe(Date.UTC(2026, 10, 24, 10, 18));
    expect(windowStart('hour', t)).toBe(Date.UTC(2026, 10, 24, 10));
    expect(windowEnd('hour', t)).toBe(Date.UTC(2026, 10, 24, 11));
    expect(windowStart('day', t)).toBe(Date.UTC(2026, 10, 24));
    expect(windowEnd('day', t)).toBe(Date.UTC(2026, 10, 25));
    expect(windowStart('minute', Date.UTC(2026, 10, 24, 10, 18))).toBe(Date.UTC(2026, 10, 24, 10, 18));
  });

  it('let up to 2×max calls through around a boundary (fixed, not sliding)', () => {
    const run = new Run({ version: '1', default: 'deny', tools: { t: { limits: [limit()] } } });
    const late = repeat(4, (i) => [makeCall('t'), T0 + 59_000 + i] as [Call, number]);
    const early = repeat(4, (i) => [makeCall('t'), T0 + MINUTE + i] as [Call, number]);
    expect(run.outcomes([...late, ...early])).toEqual(['allow', 'allow', 'allow', 'deny', 'allow', 'allow', 'allow', 'deny']);
  });
});

describe('retry_after_ms', () => {
  it('is the exact time until the denying window resets', () => {
    const run = new Run({ version: '1', default: 'deny', tools: { t: { limits: [limit({ window: 'hour', max: 1 })] } } });
    run.call(makeCall('t'), T0);
    const at = T0 + 25 * MINUTE + 1234;
    const d = run.call(makeCall('t'), at);
    expect(d).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0', retryAfterMs: 60 * MINUTE - 25 * MINUTE - 1234 });
    expect(d.message).toBe('Rate limit of 1 calls per hour reached for "c" (grant local); try again in 2099 s');
  });

  it('waits for every full limit, not just the first one that denied', () => {
    const run = new Run({
      version: '1',
      default: 'deny',
      tools: { t: { limits: [limit({ counter: 'per_minute', max: 2 }), limit({ counter: 'per_hour', window: 'hour', max: 2 })] } },
    });
    run.call(makeCall('t'), T0);
    run.call(makeCall('t'), T0 + 1000);
    const d = run.call(makeCall('t'), T0 + 2000);
    expect(d.rule).toBe('/tools/t/limits/0');
    expect(d.retryAfterMs).toBe(60 * MINUTE - 2000);
    // After the minute resets, the hour limit still denies: the first retry time would have been a lie.
    expect(run.call(makeCall('t'), T0 + MINUTE).rule).toBe('/tools/t/limits/1');
  });

  it('is absent when the call can never fit (amount above max, or max 0)', () => {
    const run = new Run({
      version: '1',
      default: 'deny',
      tools: {
        spend: { limits: [limit({ counter: 'budget', window: 'day', max: 100, increment_from: 'args.amount' })] },
        never: { limits: [limit({ max: 0 })] },
      },
    });
    const d = run.call(makeCall('spend', { args: { amount: 101 } }), T0);
    expect(d).toMatchObject({ outcome: 'deny', rule: '/tools/spend/limits/0' });
    expect(d.retryAfterMs).toBeUndefined();
    expect(d.message).toMatch(/counts 101 against limit "budget" .* at most 100 \(args\.amount\) per day; it can never pass/);
    const zero = run.call(makeCall('never'), T0);
    expect(zero.retryAfterMs).toBeUndefined();
  });

  it('uses on_deny for the message but still reports the retry time', () => {
    const run = new Run({ version: '1', default: 'deny', tools: { t: { limits: [limit({ max: 0, on_deny: 'No more.' }), limit({ counter: 'd' })] } } });
    const d = run.call(makeCall('t'), T0 + 10_000);
    expect(d.message).toBe('No more.');
  });
});

describe('increment_from', () => {
  const spend: PolicyDocument = {
    version: '1',
    default: 'deny',
    tools: { create_charge: { limits: [limit({ counter: 'daily_spend', window: 'day', max: 100, increment_from: 'args.amount', on_deny: 'Daily spend cap reached.' })] } },
  };

  it('adds the argument value, allowing while used + amount ≤ max', () => {
    const run = new Run(spend);
    const charge = (amount: number, at: number) => run.call(makeCall('create_charge', { args: { amount } }), at);
    expect(charge(60, T0).outcome).toBe('allow');
    expect(charge(40, T0 + 1).outcome).toBe('allow');
    expect(charge(0, T0 + 2).outcome).toBe('allow');
    const d = charge(0.5, T0 + 3);
    expect(d).toMatchObject({ outcome: 'deny', message: 'Daily spend cap reached.', retryAfterMs: Date.UTC(2026, 10, 25) - (T0 + 3) });
    expect(charge(0.5, Date.UTC(2026, 10, 25)).outcome).toBe('allow');
  });

  it('denies a missing, non-numeric or negative value with a clear message (not on_deny)', () => {
    const run = new Run(spend);
    const cases: Array<[unknown, string]> = [
      [{}, 'Limit /tools/create_charge/limits/0 counts args.amount, which is missing'],
      [{ amount: '10' }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is not a number (string "10")'],
      [{ amount: null }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is not a number (null)'],
      [{ amount: [10] }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is not a number (an array)'],
      [{ amount: { v: 1 } }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is not a number (an object)'],
      [{ amount: true }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is not a number (boolean true)'],
      [{ amount: -5 }, 'Limit /tools/create_charge/limits/0 counts args.amount, which is negative (-5)'],
    ];
    for (const [args, message] of cases) {
      const d = run.call(makeCall('create_charge', { args }), T0);
      expect({ args, outcome: d.outcome, rule: d.rule, message: d.message, retry: d.retryAfterMs, reservations: d.reservations }).toEqual({
        args,
        outcome: 'deny',
        rule: '/tools/create_charge/limits/0',
        message,
        retry: undefined,
        reservations: [],
      });
    }
    expect(run.store.snapshot(T0)).toEqual([]);
  });

  it('reads nested paths', () => {
    const run = new Run({ version: '1', default: 'deny', tools: { t: { limits: [limit({ max: 10, increment_from: 'args.order.total' })] } } });
    expect(run.call(makeCall('t', { args: { order: { total: 7 } } }), T0).reservations[0]!.amount).toBe(7);
  });
});

describe('shared counters', () => {
  it('one counter name in several tools is one budget', () => {
    const run = new Run({
      version: '1',
      default: 'deny',
      tools: { list_nodes: { limits: [limit({ counter: 'slicer', max: 3 })] }, capture_screenshot: { limits: [limit({ counter: 'slicer', max: 3 })] } },
    });
    expect(run.outcomes([[makeCall('list_nodes'), T0], [makeCall('capture_screenshot'), T0 + 1], [makeCall('list_nodes'), T0 + 2], [makeCall('capture_screenshot'), T0 + 3]])).toEqual([
      'allow',
      'allow',
      'allow',
      'deny',
    ]);
  });

  it('all_tools limits count every tool, and a tool limit of the same name shares the budget within one call', () => {
    const run = new Run({
      version: '1',
      default: 'allow',
      all_tools: { limits: [limit({ counter: 'calls', max: 4 })] },
      tools: { t: { limits: [limit({ counter: 'calls', max: 4 })] } },
    });
    // A call to t counts twice against "calls" (once per limit), other tools once.
    const first = run.call(makeCall('t'), T0);
    expect(first.reservations.map((r) => r.amount)).toEqual([1, 1]);
    expect(run.call(makeCall('other'), T0 + 1).outcome).toBe('allow');
    const d = run.call(makeCall('t'), T0 + 2);
    expect(d).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0' });
    expect(run.call(makeCall('other'), T0 + 3).outcome).toBe('allow');
    expect(run.call(makeCall('other'), T0 + 4).rule).toBe('/all_tools/limits/0');
  });

  it('all limits of a call are reserved together or not at all', () => {
    const run = new Run({
      version: '1',
      default: 'deny',
      all_tools: { limits: [limit({ counter: 'all', max: 100 })] },
      tools: { t: { limits: [limit({ counter: 'small', max: 1 })] } },
    });
    run.call(makeCall('t'), T0);
    const denied = run.call(makeCall('t'), T0 + 1);
    expect(denied.reservations).toEqual([]);
    const all = run.store.snapshot(T0).find((e) => parseCounterKey(e.key)!.counter === 'all')!;
    expect(all.value).toBe(1);
  });

  it('the same name with another window or scope is another counter', () => {
    const run = new Run({
      version: '1',
      default: 'deny',
      tools: { a: { limits: [limit({ counter: 'x', max: 1 })] }, b: { limits: [limit({ counter: 'x', max: 1, window: 'hour' })] }, c: { limits: [limit({ counter: 'x', max: 1, scope: 'global' })] } },
    });
    expect(run.outcomes([[makeCall('a'), T0], [makeCall('b'), T0], [makeCall('c'), T0]])).toEqual(['allow', 'allow', 'allow']);
  });
});

describe('scopes', () => {
  const scoped = (scope: Limit['scope']) => new Run({ version: '1', default: 'deny', tools: { t: { limits: [limit({ scope, max: 1 })] } } });

  it('grant: one budget per grant, shared by its sessions', () => {
    const run = scoped('grant');
    expect(
      run.outcomes([
        [makeCall('t', { grant: 'alice', session: 's1' }), T0],
        [makeCall('t', { grant: 'alice', session: 's2' }), T0],
        [makeCall('t', { grant: 'bob', session: 's1' }), T0],
      ]),
    ).toEqual(['allow', 'deny', 'allow']);
  });

  it('session: one budget per session, whatever the grant', () => {
    const run = scoped('session');
    expect(
      run.outcomes([
        [makeCall('t', { grant: 'alice', session: 's1' }), T0],
        [makeCall('t', { grant: 'bob', session: 's1' }), T0],
        [makeCall('t', { grant: 'alice', session: 's2' }), T0],
      ]),
    ).toEqual(['allow', 'deny', 'allow']);
  });

  it('global: one budget for everybody', () => {
    const run = scoped('global');
    expect(
      run.outcomes([
        [makeCall('t', { grant: 'alice', session: 's1' }), T0],
        [makeCall('t', { grant: 'bob', session: 's2' }), T0],
      ]),
    ).toEqual(['allow', 'deny']);
    expect(run.call(makeCall('t'), T0 + 1).message).toBe('Rate limit of 1 calls per minute reached for "c" (global); try again in 60 s');
  });

  it('the default grant is local and the default session is default', () => {
    const d = scoped('grant').call(makeCall('t'), T0);
    expect(d.reservations[0]).toMatchObject({ scope: 'grant', scopeId: 'local' });
    expect(scoped('session').call(makeCall('t'), T0).reservations[0]).toMatchObject({ scope: 'session', scopeId: 'default' });
  });
});

describe('counter keys', () => {
  it('round-trip, and names cannot collide whatever characters they use', () => {
    const keys = [
      counterKey('c', 'minute', T0, 'grant', 'a/b'),
      counterKey('b/c', 'minute', T0, 'grant', 'a'),
      counterKey('c', 'minute', T0, 'grant', 'a:1/'),
      counterKey('1/c', 'minute', T0, 'grant', 'a:'),
      counterKey('c', 'minute', T0, 'global', ''),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(parseCounterKey(keys[0]!)).toEqual({ window: 'minute', windowStartMs: T0, scope: 'grant', scopeId: 'a/b', counter: 'c' });
    expect(parseCounterKey(keys[3]!)).toEqual({ window: 'minute', windowStartMs: T0, scope: 'grant', scopeId: 'a:', counter: '1/c' });
    expect(parseCounterKey('nonsense')).toBeUndefined();
  });
});

describe('memory store', () => {
  const reservation = (key: string, amount: number, max: number) => ({
    key,
    amount,
    max,
    rule: '/r',
    counter: 'c',
    window: 'minute' as const,
    scope: 'global' as const,
    scopeId: '',
    windowStartMs: T0,
    windowEndMs: T0 + MINUTE,
  });

  it('reserves all or nothing and reports the first reservation that does not fit', () => {
    const store = new MemoryCounterStore();
    expect(store.tryReserve([reservation('a', 2, 3), reservation('b', 1, 1)], T0)).toEqual({ ok: true });
    expect(store.tryReserve([reservation('a', 1, 3), reservation('b', 1, 1)], T0)).toEqual({ ok: false, failed: 1 });
    expect(store.get('a')).toBe(2);
    expect(store.tryReserve([reservation('a', 1, 4), reservation('a', 1, 4)], T0)).toEqual({ ok: true });
    expect(store.get('a')).toBe(4);
  });

  it('rolls back, never below zero, and forgets expired windows', async () => {
    const store = new MemoryCounterStore();
    await store.reserve([reservation('a', 2, 5)], T0);
    await store.rollback([reservation('a', 1, 5)]);
    expect(await store.read(['a', 'zzz'], T0)).toEqual([1, 0]);
    await store.rollback([reservation('a', 5, 5)]);
    expect(await store.read(['a'], T0)).toEqual([0]);
    await store.reserve([reservation('a', 2, 5)], T0);
    expect(await store.read(['a'], T0 + MINUTE)).toEqual([0]);
  });
});
