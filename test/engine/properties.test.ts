/**
 * The engine's four properties (issue 3), checked with fast-check. Each property takes the decision
 * function as a parameter, so the last block can show it FAILS for a deliberately broken engine:
 * a property that cannot fail proves nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy, type CompiledLimit, type CompiledPolicy } from '../../src/engine/compile.js';
import { allHold } from '../../src/engine/conditions.js';
import { decide, DEFAULT_DENY } from '../../src/engine/decide.js';
import { Enforcer } from '../../src/engine/enforcer.js';
import { counterKey, parseCounterKey } from '../../src/engine/keys.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { Call, CounterReader, Decision } from '../../src/engine/types.js';
import { windowLengthMs, windowStart } from '../../src/engine/windows.js';
import { SCOPES, WINDOWS, type Condition, type Limit, type PolicyDocument, type Rule } from '../../src/policy/schema.js';

type DecideFn = (policy: CompiledPolicy, call: Call, counters: CounterReader, nowMs: number) => Decision;
const engine: DecideFn = (policy, call, counters, nowMs) => decide(policy, call, counters, nowMs);

/** 2000-01-01 … 2100-01-01, whole milliseconds. */
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const grant = fc.constantFrom('local', 'alice', 'bob');
const session = fc.constantFrom('default', 's1', 's2');

function decideAndReserve(decideFn: DecideFn, policy: CompiledPolicy, store: MemoryCounterStore, call: Call, at: number): Decision {
  const decision = decideFn(policy, call, store, at);
  if (decision.outcome !== 'deny' && !store.tryReserve(decision.reservations, at).ok) throw new Error('a decision reserved more than fits');
  return decision;
}

// 1. For any sequence of calls inside one window against `max: N`, exactly min(N, count) are allowed.

const budgetScenario = fc
  .record({
    max: fc.integer({ min: 0, max: 12 }),
    window: fc.constantFrom(...WINDOWS),
    scope: fc.constantFrom(...SCOPES),
    placement: fc.constantFrom('tool', 'all_tools', 'shared by two tools'),
    at: instant,
    offsets: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 30 }),
    grant,
    session,
  })
  .map((s) => {
    const limit: Limit = { counter: 'budget', window: s.window, max: s.max, scope: s.scope };
    const document: PolicyDocument =
      s.placement === 'tool'
        ? { version: '1', default: 'deny', tools: { a: { limits: [limit] } } }
        : s.placement === 'all_tools'
          ? { version: '1', default: 'allow', all_tools: { limits: [limit] }, tools: { a: {} } }
          : { version: '1', default: 'deny', tools: { a: { limits: [limit] }, b: { limits: [limit] } } };
    const tools = s.placement === 'tool' ? ['a'] : ['a', 'b'];
    const start = windowStart(s.window, s.at);
    const length = windowLengthMs(s.window);
    const times = s.offsets.map((f) => start + Math.floor(f * length)).sort((x, y) => x - y);
    const calls = times.map((at, i) => [makeCall(tools[i % tools.length]!, { grant: s.grant, session: s.session }), at] as const);
    return { ...s, document, calls };
  });

function budgetProperty(decideFn: DecideFn) {
  return fc.property(budgetScenario, ({ document, calls, max }) => {
    const policy = compilePolicy(document);
    const store = new MemoryCounterStore();
    const outcomes = calls.map(([call, at]) => decideAndReserve(decideFn, policy, store, call, at).outcome);
    const allowed = outcomes.filter((o) => o === 'allow').length;
    expect(allowed).toBe(Math.min(max, calls.length));
    // And they are the first ones: once the budget is gone, nothing else in the window passes.
    expect(outcomes).toEqual(outcomes.map((_, i) => (i < max ? 'allow' : 'deny')));
  });
}

// 2. A call allowed under a policy stays allowed when a deny_if that does not match it is removed.

const smallValue = fc.constantFrom<unknown>('x', 'y', 1, 2, 3, true, null);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ path: fc.constantFrom('args.a', 'args.b'), op: fc.constantFrom('eq' as const, 'neq' as const, 'contains' as const), value: smallValue }),
  fc.record({ path: fc.constantFrom('args.a', 'args.n'), op: fc.constantFrom('in' as const, 'not_in' as const), value: fc.array(smallValue, { maxLength: 3 }) }),
  fc.record({ path: fc.constantFrom('args.n', 'args.a'), op: fc.constantFrom('lt' as const, 'lte' as const, 'gt' as const, 'gte' as const), value: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ path: fc.constantFrom('args.a', 'args.b', 'args.n'), op: fc.constant('exists' as const), value: fc.boolean() }),
);
const rule: fc.Arbitrary<Rule> = fc.record({ conditions: fc.array(condition, { minLength: 1, maxLength: 2 }) });
const args = fc.record(
  { a: fc.oneof(smallValue, fc.array(smallValue, { maxLength: 2 })), b: smallValue, n: fc.integer({ min: 0, max: 4 }) },
  { requiredKeys: [] },
);

const denyIfScenario = fc.record({
  denyIf: fc.array(rule, { minLength: 1, maxLength: 6 }),
  require: fc.array(rule, { maxLength: 2 }),
  approval: fc.array(rule, { maxLength: 1 }),
  args,
  at: instant,
});

function denyIfProperty(decideFn: DecideFn) {
  return fc.property(denyIfScenario, ({ denyIf, require, approval, args, at }) => {
    const document = (entries: Rule[]): PolicyDocument => ({ version: '1', default: 'deny', tools: { t: { deny_if: entries, require, require_approval: approval } } });
    const call = makeCall('t', { args });
    const policy = compilePolicy(document(denyIf));
    if (decideFn(policy, call, new MemoryCounterStore(), at).outcome !== 'allow') return;
    policy.tools.get('t')!.denyIf.forEach((compiled, i) => {
      if (allHold(compiled.conditions, args, 'restrictive')) return;
      const without = compilePolicy(document(denyIf.filter((_, j) => j !== i)));
      expect(decideFn(without, call, new MemoryCounterStore(), at).outcome).toBe('allow');
    });
  });
}

// 3. Under default deny an unlisted name is denied whatever its spelling.

const HOMOGLYPHS: Record<string, string[]> = {
  a: ['\u0430', '\uff41', '\u0251'],
  c: ['\u0441', '\u217d'],
  e: ['\u0435', '\uff45'],
  i: ['\u0456', '\u0131', '\u2170'],
  o: ['\u043e', '\u03bf', '\u2134'],
  p: ['\u0440'],
  s: ['\u0455'],
  x: ['\u0445'],
  y: ['\u0443'],
  _: ['\uff3f', '\u2017', '-'],
};
const WHITESPACE = [' ', '\t', '\n', '\u00a0', '\u200b', '\u2009', '\ufeff'];

const toolName = fc.stringMatching(/^[a-z][a-z_]{0,14}$/);
const spelling = fc.oneof(
  fc.constant((name: string) => name.toUpperCase()),
  fc.nat().map((n) => (name: string) => name.slice(0, n % name.length) + name.charAt(n % name.length).toUpperCase() + name.slice((n % name.length) + 1)),
  fc.tuple(fc.nat(), fc.nat()).map(([n, k]) => (name: string) => {
    const positions = [...name].map((c, i) => (HOMOGLYPHS[c] ? i : -1)).filter((i) => i >= 0);
    if (positions.length === 0) return `${name}\u0301`;
    const at = positions[n % positions.length]!;
    const options = HOMOGLYPHS[name[at]!]!;
    return name.slice(0, at) + options[k % options.length]! + name.slice(at + 1);
  }),
  fc.tuple(fc.constantFrom(...WHITESPACE), fc.constantFrom('before', 'after', 'inside')).map(([space, where]) => (name: string) =>
    where === 'before' ? space + name : where === 'after' ? name + space : name.slice(0, 1) + space + name.slice(1),
  ),
  fc.constant((name: string) => `${name}\u0301`.normalize('NFC')),
  fc.constant((name: string) => name.replace(/[a-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))),
);

const spellingScenario = fc.record({
  listed: fc.uniqueArray(toolName, { minLength: 1, maxLength: 5 }),
  pick: fc.nat(),
  variants: fc.array(spelling, { minLength: 1, maxLength: 3 }),
  other: fc.string({ unit: 'binary', maxLength: 20 }),
  withAllToolsLimit: fc.boolean(),
  at: instant,
});

function spellingProperty(decideFn: DecideFn) {
  return fc.property(spellingScenario, ({ listed, pick, variants, other, withAllToolsLimit, at }) => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: Object.fromEntries(listed.map((name) => [name, {}])),
      ...(withAllToolsLimit ? { all_tools: { limits: [{ counter: 'all', window: 'minute' as const, max: 100, scope: 'grant' as const }] } } : {}),
    };
    const policy = compilePolicy(document);
    const target = listed[pick % listed.length]!;
    // The exact name is allowed, so a policy engine that denies everything cannot pass.
    expect(decideFn(policy, makeCall(target), new MemoryCounterStore(), at).outcome).toBe('allow');
    const spelled = variants.reduce((name, variant) => variant(name), target);
    for (const name of [spelled, other]) {
      if (listed.includes(name)) continue;
      const decision = decideFn(policy, makeCall(name), new MemoryCounterStore(), at);
      expect({ name, outcome: decision.outcome, rule: decision.rule }).toEqual({ name, outcome: 'deny', rule: DEFAULT_DENY });
    }
  });
}

// 4. Time moving into the next window frees the budget.

const nextWindowScenario = fc.record({
  max: fc.integer({ min: 1, max: 10 }),
  window: fc.constantFrom(...WINDOWS),
  scope: fc.constantFrom(...SCOPES),
  at: instant,
  spread: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 2, maxLength: 2 }),
  grant,
  session,
});

function nextWindowProperty(decideFn: DecideFn) {
  return fc.property(nextWindowScenario, ({ max, window, scope, at, spread, grant, session }) => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window, max, scope }] } } });
    const store = new MemoryCounterStore();
    const length = windowLengthMs(window);
    const start = windowStart(window, at);
    const call = makeCall('t', { grant, session });
    const lastInWindow = start + Math.floor(spread[0]! * length);
    for (let i = 0; i < max; i++) decideAndReserve(decideFn, policy, store, call, start + Math.floor((spread[0]! * length * i) / max));
    const full = decideAndReserve(decideFn, policy, store, call, lastInWindow);
    expect(full.outcome).toBe('deny');
    expect(full.retryAfterMs).toBe(start + length - lastInWindow);
    const inNextWindow = start + length + Math.floor(spread[1]! * length);
    expect(decideAndReserve(decideFn, policy, store, call, inNextWindow).outcome).toBe('allow');
  });
}

describe('engine properties', () => {
  it('inside one window against max N, exactly min(N, count) calls are allowed', () => {
    fc.assert(budgetProperty(engine), { numRuns: 300 });
  });

  it('the same holds through the Enforcer and the async store interface', async () => {
    await fc.assert(
      fc.asyncProperty(budgetScenario, async ({ document, calls, max }) => {
        const enforcer = new Enforcer(compilePolicy(document), new MemoryCounterStore());
        let allowed = 0;
        for (const [call, at] of calls) if ((await enforcer.decide(call, at)).outcome === 'allow') allowed++;
        expect(allowed).toBe(Math.min(max, calls.length));
      }),
      { numRuns: 100 },
    );
  });

  it('a call allowed under a policy stays allowed when a deny_if that does not match it is removed', () => {
    fc.assert(denyIfProperty(engine), { numRuns: 500 });
  });

  it('under default deny an unlisted name is denied whatever its spelling (case, look-alikes, whitespace)', () => {
    fc.assert(spellingProperty(engine), { numRuns: 500 });
  });

  it('time moving into the next window frees the budget', () => {
    fc.assert(nextWindowProperty(engine), { numRuns: 300 });
  });
});

/** Broken engines: each property must catch the bug it is about. */
describe('the properties can fail', () => {
  const fails = <T,>(property: fc.IProperty<T>) => {
    const details = fc.check(property, { numRuns: 500, seed: 42 });
    if (process.env.SHOW_COUNTEREXAMPLES) console.log(JSON.stringify(details.counterexample)?.slice(0, 400), String(details.errorInstance).slice(0, 300));
    return details.failed;
  };

  it('an off-by-one limit (allowing N + 1) breaks property 1', () => {
    // Every limit one larger than written: its reservations still fit the store, so only the count can catch it.
    const loosen = (limits: CompiledLimit[]) => limits.map((limit) => ({ ...limit, max: limit.max + 1 }));
    const offByOne: DecideFn = (policy, call, counters, nowMs) => {
      const tools = new Map([...policy.tools].map(([name, tool]) => [name, { ...tool, allLimits: loosen(tool.allLimits) }]));
      return decide({ ...policy, tools, allToolsLimits: loosen(policy.allToolsLimits) }, call, counters, nowMs);
    };
    expect(fails(budgetProperty(offByOne))).toBe(true);
  });

  it('stopping at the first deny_if that does not match breaks property 2', () => {
    const truncating: DecideFn = (policy, call, counters, nowMs) => {
      const tool = policy.tools.get(call.tool);
      if (!tool) return decide(policy, call, counters, nowMs);
      const firstMiss = tool.denyIf.findIndex((rule) => !allHold(rule.conditions, call.args, 'restrictive'));
      const denyIf = firstMiss < 0 ? tool.denyIf : tool.denyIf.slice(0, firstMiss);
      const tools = new Map(policy.tools).set(call.tool, { ...tool, denyIf });
      return decide({ ...policy, tools }, call, counters, nowMs);
    };
    expect(fails(denyIfProperty(truncating))).toBe(true);
  });

  it('matching names loosely (case, Unicode compatibility, trimming) breaks property 3', () => {
    const loose: DecideFn = (policy, call, counters, nowMs) =>
      decide(policy, { ...call, tool: call.tool.normalize('NFKC').replace(/\p{M}|[\s\u200b\ufeff]/gu, '').toLowerCase() }, counters, nowMs);
    expect(fails(spellingProperty(loose))).toBe(true);
  });

  it('counters that leak into the next window (a sliding window) break property 4', () => {
    const leaky: DecideFn = (policy, call, counters, nowMs) => {
      const everything = (counters as MemoryCounterStore).snapshot(0);
      const get = (key: string): number => {
        const k = parseCounterKey(key)!;
        const previous = counterKey(k.counter, k.window, k.windowStartMs - windowLengthMs(k.window), k.scope, k.scopeId);
        return counters.get(key) + (everything.find((e) => e.key === previous)?.value ?? 0);
      };
      return decide(policy, call, { get }, nowMs);
    };
    expect(fails(nextWindowProperty(leaky))).toBe(true);
  });
});
