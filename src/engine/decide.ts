import { lookup } from './args.js';
import { allHold, traceCondition } from './conditions.js';
import type { CompiledLimit, CompiledPolicy, CompiledRule, CompiledTool } from './compile.js';
import { counterKey } from './keys.js';
import { windowEnd, windowStart } from './windows.js';
import type { Call, CounterReader, Decision, Reservation, TraceStep } from './types.js';

export interface DecideOptions {
  /** Record every rule considered (for `explain`); off on the hot path. */
  trace?: boolean;
}

export const HIDDEN = '(hidden)';
export const DEFAULT_DENY = '(default deny)';
export const DEFAULT_ALLOW = '(default allow)';

/**
 * Decides one call. Pure: the same policy, call, counter values and time give the same decision.
 * Order (docs/policy-language.md): hidden → unlisted under default deny → deny_if in order →
 * require in order → limits (all_tools.limits, then the tool's; reserved together or not at all)
 * → require_approval → allow.
 */
export function decide(policy: CompiledPolicy, call: Call, counters: CounterReader, nowMs: number, options: DecideOptions = {}): Decision {
  const trace: TraceStep[] | undefined = options.trace ? [] : undefined;
  const finish = (decision: Omit<Decision, 'trace'>): Decision => (trace ? { ...decision, trace } : decision);
  const name = call.tool;

  if (policy.hideAll || policy.hidden.has(name)) {
    trace?.push({ rule: HIDDEN, kind: 'hide', result: 'matched', note: policy.hideAll ? 'hide contains "*"' : `hide contains "${name}"` });
    return finish({ outcome: 'deny', rule: HIDDEN, message: `Tool "${name}" is hidden by policy`, reservations: [] });
  }
  trace?.push({ rule: HIDDEN, kind: 'hide', result: 'passed', note: `"${name}" is not in hide` });

  const tool = policy.tools.get(name);
  if (!tool && !policy.defaultAllow) {
    trace?.push({ rule: DEFAULT_DENY, kind: 'default', result: 'matched', note: `"${name}" is not listed under tools and default is deny` });
    return finish({ outcome: 'deny', rule: DEFAULT_DENY, message: `Tool "${name}" is not permitted by policy`, reservations: [] });
  }
  trace?.push({
    rule: tool ? tool.pointer : DEFAULT_ALLOW,
    kind: 'default',
    result: 'passed',
    note: tool ? `"${name}" is listed under tools` : `"${name}" is not listed and default is allow`,
  });

  if (tool) {
    for (const rule of tool.denyIf) {
      const matched = checkRule(rule, call.args, 'deny_if', trace);
      if (matched) return finish({ outcome: 'deny', rule: rule.pointer, message: rule.message ?? `Call to "${name}" denied by ${rule.pointer}`, reservations: [] });
    }
    for (const rule of tool.require) {
      const met = checkRule(rule, call.args, 'require', trace);
      if (!met) {
        return finish({
          outcome: 'deny',
          rule: rule.pointer,
          message: rule.message ?? `Call to "${name}" does not meet ${rule.pointer}: ${describeFirstFailure(rule, call.args)}`,
          reservations: [],
        });
      }
    }
  }

  const limits = tool ? (policy.allToolsLimits.length > 0 ? [...policy.allToolsLimits, ...tool.limits] : tool.limits) : policy.allToolsLimits;
  const reservations: Reservation[] = [];
  for (const limit of limits) {
    const denial = reserve(limit, call, counters, nowMs, reservations, trace);
    if (denial) return finish(denial);
  }

  if (tool) {
    for (const rule of tool.approval) {
      const matched = checkRule(rule, call.args, 'require_approval', trace);
      if (matched) {
        return finish({
          outcome: 'approval_required',
          rule: rule.pointer,
          message: rule.message ?? `Calling "${name}" requires human approval`,
          reservations,
        });
      }
    }
  }

  const rule = tool ? tool.pointer : DEFAULT_ALLOW;
  trace?.push({ rule, kind: 'allow', result: 'matched' });
  return finish({ outcome: 'allow', rule, message: '', reservations });
}

/** For deny_if and require_approval: whether the rule matches. For require: whether it is met. Both mean "all conditions hold". */
function checkRule(rule: CompiledRule, args: unknown, kind: 'deny_if' | 'require' | 'require_approval', trace: TraceStep[] | undefined): boolean {
  if (!trace) return allHold(rule.conditions, args);
  const conditions = rule.conditions.map((condition) => traceCondition(condition, args));
  const held = conditions.every((condition) => condition.held);
  const decisive = kind === 'require' ? !held : held;
  trace.push({
    rule: rule.pointer,
    kind,
    result: decisive ? 'matched' : 'passed',
    conditions,
    ...(rule.conditions.length === 0 ? { note: 'no conditions: always holds' } : {}),
  });
  return held;
}

function reserve(limit: CompiledLimit, call: Call, counters: CounterReader, nowMs: number, reservations: Reservation[], trace: TraceStep[] | undefined): Omit<Decision, 'trace'> | undefined {
  let amount = 1;
  if (limit.incrementFrom) {
    const { present, value } = lookup(call.args, limit.incrementFrom.segments);
    const problem = !present
      ? `is missing`
      : typeof value !== 'number' || !Number.isFinite(value)
        ? `is not a number`
        : value < 0
          ? `is negative`
          : undefined;
    if (problem) {
      const message = `Limit ${limit.pointer} counts ${limit.incrementFrom.path}, which ${problem}`;
      trace?.push({ rule: limit.pointer, kind: 'limit', result: 'matched', note: message });
      return { outcome: 'deny', rule: limit.pointer, message, reservations: [] };
    }
    amount = value as number;
  }
  const start = windowStart(limit.window, nowMs);
  const end = windowEnd(limit.window, nowMs);
  const scopeId = limit.scope === 'grant' ? call.grant : limit.scope === 'session' ? call.session : '';
  const key = counterKey(limit.counter, limit.window, start, limit.scope, scopeId);
  let used = counters.get(key);
  // Two limits of one call can name the same counter (all_tools and the tool): they share the budget.
  for (const earlier of reservations) if (earlier.key === key) used += earlier.amount;
  const fits = used + amount <= limit.max;
  trace?.push({
    rule: limit.pointer,
    kind: 'limit',
    result: fits ? 'passed' : 'matched',
    counter: { key, used, amount, max: limit.max, windowEndMs: end },
  });
  if (!fits) {
    const retryAfterMs = end - nowMs;
    const unit = limit.incrementFrom ? ` (${limit.incrementFrom.path})` : ' calls';
    return {
      outcome: 'deny',
      rule: limit.pointer,
      message:
        limit.onDeny ??
        `Rate limit of ${limit.max}${unit} per ${limit.window} reached for "${limit.counter}" (${limit.scope}${scopeId ? ` ${scopeId}` : ''}); try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
      reservations: [],
    };
  }
  reservations.push({
    key,
    amount,
    max: limit.max,
    rule: limit.pointer,
    counter: limit.counter,
    window: limit.window,
    scope: limit.scope,
    scopeId,
    windowStartMs: start,
    windowEndMs: end,
  });
  return undefined;
}

function describeFirstFailure(rule: CompiledRule, args: unknown): string {
  for (const condition of rule.conditions) {
    const t = traceCondition(condition, args);
    if (t.held) continue;
    if (condition.op === 'exists') return `${condition.path} must ${condition.value === false ? 'be absent' : 'be present'}`;
    if (!t.present) return `${condition.path} is missing`;
    return `${condition.path} ${condition.op} ${short(condition.value)} does not hold`;
  }
  return 'requirement not met';
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The counter keys a call to `tool` could touch now, so async stores can fetch them before deciding. */
export function counterKeysFor(policy: CompiledPolicy, call: Call, nowMs: number): string[] {
  const tool: CompiledTool | undefined = policy.tools.get(call.tool);
  const limits = tool ? [...policy.allToolsLimits, ...tool.limits] : policy.allToolsLimits;
  return limits.map((limit) =>
    counterKey(limit.counter, limit.window, windowStart(limit.window, nowMs), limit.scope, limit.scope === 'grant' ? call.grant : limit.scope === 'session' ? call.session : ''),
  );
}
