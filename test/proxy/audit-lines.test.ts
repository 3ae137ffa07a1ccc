/**
 * The audit lines the proxy writes per call are built by hand (src/proxy/audit-lines.ts) and their
 * counters come from the store rather than a trace (src/engine/decider.ts, `counters`); both must
 * give exactly what the reference way gives: JSON.stringify of the documented object, and the
 * counters read from the decision's trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_APPROVALS } from '../../src/audit/types.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { createDecider } from '../../src/engine/decider.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { callLineMembers, resultLineMembers } from '../../src/proxy/audit-lines.js';
import { decide } from '../../src/engine/decide.js';
import { parseCounterKey } from '../../src/engine/keys.js';
import type { Decision } from '../../src/engine/types.js';
import { countersOf } from '../../src/proxy/call-audit.js';

const text = fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', '\n', '\u2028', '\u0000', '😀', 'z') });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** The counters as the proxy wrote them before the lines were built by hand: from the trace. */
function referenceCounters(decision: Decision, kept: boolean): Array<Record<string, unknown>> {
  const reserved = new Set(kept ? decision.reservations.map((r) => r.key) : []);
  const out: Array<Record<string, unknown>> = [];
  for (const step of decision.trace ?? []) {
    if (step.kind !== 'limit' || !step.counter) continue;
    const key = parseCounterKey(step.counter.key)!;
    const common = { counter: key.counter, scope: key.scope, scope_id: key.scopeId, window: key.window, resets_at: new Date(step.counter.windowEndMs).toISOString() };
    if (step.counter.byValue) out.push({ ...common, max: step.counter.max, counted: step.counter.byValue });
    else out.push({ ...common, used: step.counter.used + (reserved.has(step.counter.key) ? step.counter.amount : 0), max: step.counter.max });
  }
  return out;
}

const limitArb = fc.record(
  { counter: text.filter((t) => t.length > 0), window: fc.constantFrom('minute', 'hour', 'day'), max: fc.integer({ min: 0, max: 4 }), scope: fc.constantFrom('grant', 'session', 'global'), increment_from: fc.option(fc.constant('args.n'), { nil: undefined }) },
  { requiredKeys: ['counter', 'window', 'max', 'scope'] },
);

describe('hand-built audit lines', () => {
  it('call lines are what JSON.stringify writes for the documented object', () => {
    fc.assert(
      fc.property(
        fc.array(limitArb, { maxLength: 3 }),
        fc.record({
          grant: text,
          session: text,
          id: fc.oneof(text, fc.integer()),
          tool: text,
          message: text,
          argKeys: fc.array(text),
          argsMember: fc.constantFrom('args_sha256' as const, 'args_hmac_sha256' as const),
          argsHash: fc.stringMatching(/^[0-9a-f]{64}$/),
          reservationsKept: fc.boolean(),
          approval: maybe(fc.constantFrom(...AUDIT_APPROVALS)),
          n: fc.integer({ min: -1, max: 5 }),
          state: maybe(fc.record({ failMode: fc.constantFrom('closed' as const, 'open' as const), error: text })),
        }),
        (limits, { n, state, ...line }) => {
          const compiled = compilePolicy({ version: '1', default: 'deny', tools: { [line.tool || 't']: { limits } } });
          const traced = decide(compiled, { tool: line.tool || 't', args: { n }, grant: line.grant, session: line.session }, { get: () => 1 }, Date.UTC(2026, 11, 7, 10), { trace: true });
          const decision = state ? { ...traced, stateUnavailable: state } : traced;
          const expected: Record<string, unknown> = {
            event: 'call',
            grant: line.grant,
            session: line.session,
            request_id: line.id,
            tool: line.tool,
            outcome: decision.outcome,
            enforced: true,
            rule: decision.rule,
            message: line.message,
            ...(decision.retryAfterMs !== undefined ? { retry_after_ms: decision.retryAfterMs } : {}),
            arg_keys: line.argKeys,
            [line.argsMember]: line.argsHash,
          };
          const counters = referenceCounters(decision, line.reservationsKept);
          if (counters.length > 0) expected.counters = counters;
          if (state) expected.state_unavailable = { fail_mode: state.failMode, error: state.error };
          if (line.approval) expected.approval = line.approval;
          expect(callLineMembers({ ...line, decision })).toBe(JSON.stringify(expected).slice(1));
        },
      ),
    );
  });

  it('result lines are what JSON.stringify writes for the documented object', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.oneof(text, fc.integer()),
          tool: text,
          latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          error: fc.option(text, { nil: null }),
          errorCode: maybe(fc.integer()),
          ending: fc.constantFrom('result', 'error', 'not-forwarded', 'cancelled', 'server-gone', 'answer-lost'),
          isError: maybe(fc.boolean()),
          rolledBack: fc.boolean(),
        }),
        (r) => {
          const expected: Record<string, unknown> = { event: 'result', request_id: r.id, tool: r.tool, latency_ms: Math.round(r.latencyMs * 1000) / 1000, error: r.error };
          if (r.errorCode !== undefined) expected.error_code = r.errorCode;
          expected.ending = r.ending;
          if (r.isError !== undefined) expected.is_error = r.isError;
          expected.rolled_back = r.rolledBack;
          expect(resultLineMembers(r)).toBe(JSON.stringify(expected).slice(1));
        },
      ),
    );
  });
});

describe('counters for the audit log without a trace', () => {
  const limit = fc.record(
    {
      counter: fc.constantFrom('a', 'b'),
      window: fc.constant('hour'),
      max: fc.integer({ min: 1, max: 6 }),
      scope: fc.constantFrom('grant', 'session', 'global'),
      increment_from: fc.option(fc.constant('args.n'), { nil: undefined }),
    },
    { requiredKeys: ['counter', 'window', 'max', 'scope'] },
  );
  const policy = fc.record({ all: fc.array(limit, { maxLength: 2 }), own: fc.array(limit, { maxLength: 2 }) }).map(
    ({ all, own }): PolicyDocument => ({ version: '1', default: 'deny', ...(all.length > 0 ? { all_tools: { limits: all } } : {}), tools: { t: { limits: own } } }),
  );

  it('are the trace’s, call after call, kept or given back', () => {
    fc.assert(
      fc.property(policy, fc.array(fc.record({ n: fc.integer({ min: 0, max: 3 }), kept: fc.boolean() }), { minLength: 1, maxLength: 8 }), (document, calls) => {
        const compiled = compilePolicy(document);
        const at = Date.UTC(2026, 11, 7, 10, 0, 0);
        const fast = createDecider(compiled, new MemoryCounterStore(), { now: () => at });
        const slow = createDecider(compiled, new MemoryCounterStore(), { now: () => at });
        for (const { n, kept } of calls) {
          const call = { tool: 't', args: { n }, grant: 'g', session: 's' };
          const a = fast.decide(call, { counters: true });
          const b = slow.decide(call, { trace: true });
          expect(countersOf(a as never, kept)).toEqual(countersOf(b as never, kept));
          if (!kept) {
            fast.rollback(a as never);
            slow.rollback(b as never);
          }
        }
      }),
    );
  });
});
