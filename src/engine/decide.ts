import { lookup } from './args.js';
import { allHold, traceCondition, type Reading } from './conditions.js';
import type { CompiledLimit, CompiledPolicy, CompiledRule, WindowKey } from './compile.js';
import { counterKey } from './keys.js';
import { windowLengthMs, windowStart } from './windows.js';
import type { Call, CounterReader, Decision, Reservation, TraceStep } from './types.js';

export interface DecideOptions {
  /** Record every rule considered (for `explain`); off on the hot path. */
  trace?: boolean;
}

export const HIDDEN = '(hidden)';
export const DEFAULT_DENY = '(default deny)';
export const DEFAULT_ALLOW = '(default allow)';
/** Read while no limit has reserved yet; never returned (a decision's reservations are its own array). */
const NO_RESERVATIONS: Reservation[] = [];

type Verdict = Omit<Decision, 'trace'>;

/**
 * Decides one call. Pure: the same policy, call, counter values and time give the same decision.
 * Order (docs/policy-language.md): hidden → unlisted under default deny → deny_if in order →
 * require in order → limits (all_tools.limits, then the tool's; reserved together or not at all)
 * → require_approval → allow.
 */
export function decide(policy: CompiledPolicy, call: Call, counters: CounterReader, nowMs: number, options?: DecideOptions): Decision {
  const trace: TraceStep[] | undefined = options?.trace ? [] : undefined;
  const verdict = evaluate(policy, call, counters, nowMs, trace);
  return trace ? { ...verdict, trace } : verdict;
}

function evaluate(policy: CompiledPolicy, call: Call, counters: CounterReader, nowMs: number, trace: TraceStep[] | undefined): Verdict {
  const name = call.tool;

  if (policy.hideAll || (policy.hidden.size > 0 && policy.hidden.has(name))) {
    trace?.push({ rule: HIDDEN, kind: 'hide', result: 'matched', note: policy.hideAll ? 'hide contains "*"' : `hide contains "${name}"` });
    return { outcome: 'deny', rule: HIDDEN, message: `Tool "${name}" is hidden by policy`, reservations: [] };
  }
  trace?.push({ rule: HIDDEN, kind: 'hide', result: 'passed', note: `"${name}" is not in hide` });

  const tool = policy.tools.get(name);
  if (!tool && !policy.defaultAllow) {
    trace?.push({ rule: DEFAULT_DENY, kind: 'default', result: 'matched', note: `"${name}" is not listed under tools and default is deny` });
    return { outcome: 'deny', rule: DEFAULT_DENY, message: `Tool "${name}" is not permitted by policy`, reservations: [] };
  }
  trace?.push({
    rule: tool ? tool.pointer : DEFAULT_ALLOW,
    kind: 'default',
    result: 'passed',
    note: tool ? `"${name}" is listed under tools` : `"${name}" is not listed and default is allow`,
  });

  if (tool) {
    for (const rule of tool.denyIf) {
      if (checkRule(rule, call.args, 'deny_if', trace)) {
        const message = rule.message ?? `Call to "${name}" denied by ${rule.pointer}`;
        return { outcome: 'deny', rule: rule.pointer, ...withCodeFinding(message, rule, call.args, 'restrictive'), reservations: [] };
      }
    }
    for (const rule of tool.require) {
      if (!checkRule(rule, call.args, 'require', trace)) {
        return {
          outcome: 'deny',
          rule: rule.pointer,
          message: rule.message ?? `Call to "${name}" does not meet ${rule.pointer}: ${describeFirstFailure(rule, call.args)}`,
          reservations: [],
        };
      }
    }
  }

  const limits = tool ? tool.allLimits : policy.allToolsLimits;
  // Made with its first reservation: `[r]` allocates a third of what an empty array grown by push does.
  let reservations: Reservation[] = NO_RESERVATIONS;
  for (let i = 0; i < limits.length; i++) {
    const limit = limits[i]!;
    const measured = measure(limit, call, counters, nowMs, reservations);
    if (measured.problem !== undefined) {
      trace?.push({ rule: limit.pointer, kind: 'limit', result: 'matched', note: measured.problem });
      return { outcome: 'deny', rule: limit.pointer, message: measured.problem, logMessage: measured.logProblem, reservations: [] };
    }
    const { reservation, used } = measured;
    const fits = used + reservation.amount <= limit.max;
    trace?.push({ rule: limit.pointer, kind: 'limit', result: fits ? 'passed' : 'matched', counter: counterTrace(limit, reservation, used) });
    if (!fits) return limitDenial(limit, reservation, limits, i, call, counters, nowMs, reservations, trace);
    if (reservations === NO_RESERVATIONS) reservations = [reservation];
    else reservations.push(reservation);
  }
  if (reservations === NO_RESERVATIONS) reservations = [];

  if (tool) {
    for (const rule of tool.approval) {
      if (checkRule(rule, call.args, 'require_approval', trace)) {
        const message = rule.message ?? `Calling "${name}" requires human approval`;
        return { outcome: 'approval_required', rule: rule.pointer, ...withCodeFinding(message, rule, call.args, 'restrictive'), reservations };
      }
    }
  }

  const rule = tool ? tool.pointer : DEFAULT_ALLOW;
  trace?.push({ rule, kind: 'allow', result: 'matched' });
  return { outcome: 'allow', rule, message: '', reservations };
}

/**
 * A rule that decided through a `python` condition says what in the code decided and where, after its
 * own message, so an agent can fix its code and an approver sees what is at stake. Only on the
 * deciding path: the code is analysed again here rather than carrying findings through the hot path.
 * The log's message says it in the policy's words: the finding's own names come from the code.
 */
function withCodeFinding(message: string, rule: CompiledRule, args: unknown, reading: Reading): { message: string; logMessage?: string } {
  for (const condition of rule.conditions) {
    if (!condition.guard) continue;
    const finding = traceCondition(condition, args, reading).finding;
    if (finding) {
      const at = `${condition.path} line ${finding.line}, column ${finding.column}`;
      return { message: `${message} (${at}: ${finding.reason})`, logMessage: `${message} (${at}: ${finding.logReason})` };
    }
  }
  return { message };
}

/**
 * For deny_if and require_approval: whether the rule matches. For require: whether it is met. Both mean
 * "all conditions hold", read restrictively for the first two and permissively for require (conditions.ts).
 */
function checkRule(rule: CompiledRule, args: unknown, kind: 'deny_if' | 'require' | 'require_approval', trace: TraceStep[] | undefined): boolean {
  const reading: Reading = kind === 'require' ? 'permissive' : 'restrictive';
  if (!trace) return allHold(rule.conditions, args, reading);
  const conditions = rule.conditions.map((condition) => traceCondition(condition, args, reading));
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

type Measured =
  | { problem: string; logProblem: string; reservation?: undefined; used?: undefined }
  | { problem?: undefined; logProblem?: undefined; reservation: Reservation; used: number };

/** The amount a call adds to one limit's counter, the counter's current value, and its key; or why the amount is unusable. */
function measure(limit: CompiledLimit, call: Call, counters: CounterReader, nowMs: number, earlier: readonly Reservation[]): Measured {
  let amount = 1;
  if (limit.incrementFrom) {
    const { present, value } = lookup(call.args, limit.incrementFrom.segments);
    const problem = !present ? 'is missing' : typeof value !== 'number' || !Number.isFinite(value) ? 'is not a number' : value < 0 ? 'is negative' : undefined;
    if (problem) {
      const shown = problem === 'is not a number' ? ` (${describe(value)})` : problem === 'is negative' ? ` (${value as number})` : '';
      const head = `Limit ${limit.pointer} counts ${limit.incrementFrom.path}, which ${problem}`;
      return { problem: `${head}${shown}`, logProblem: head };
    }
    amount = value as number;
  }
  const start = windowStart(limit.window, nowMs);
  const scopeId = scopeIdOf(limit, call);
  const window = windowKeyOf(limit, start, scopeId);
  const key = window.key;
  let used = counters.get(key);
  // Two limits of one call can name the same counter (all_tools and the tool): they share the budget.
  for (let i = 0; i < earlier.length; i++) if (earlier[i]!.key === key) used += earlier[i]!.amount;
  const reservation = amount === 1 ? (window.unit ??= reservationOf(limit, key, 1, scopeId, start)) : reservationOf(limit, key, amount, scopeId, start);
  return { used, reservation };
}

function reservationOf(limit: CompiledLimit, key: string, amount: number, scopeId: string, windowStartMs: number): Reservation {
  return {
    key,
    amount,
    max: limit.max,
    rule: limit.pointer,
    counter: limit.counter,
    window: limit.window,
    scope: limit.scope,
    scopeId,
    windowStartMs,
    windowEndMs: windowStartMs + windowLengthMs(limit.window),
    ...(limit.onDeny !== undefined ? { onDeny: limit.onDeny } : {}),
    ...(limit.incrementFrom ? { countedPath: limit.incrementFrom.path } : {}),
  };
}

/**
 * The denial of a call whose reservation does not fit: the limit's `on_deny`, or the standard
 * message. The one place every path builds it (decide() below; a store that refused a reservation
 * in the Enforcer and the in-memory decider). `retryAfterMs` undefined: no time at which the call
 * could pass is known.
 */
export function limitDenialMessage(r: Reservation, retryAfterMs: number | undefined): string {
  if (r.onDeny !== undefined) return r.onDeny;
  const unit = r.countedPath ? ` (${r.countedPath})` : ' calls';
  const base = `Rate limit of ${r.max}${unit} per ${r.window} reached for "${r.counter}" (${r.scope}${r.scopeId ? ` ${r.scopeId}` : ''})`;
  return retryAfterMs === undefined ? base : `${base}; try again in ${Math.ceil(retryAfterMs / 1000)} s`;
}

/** A decision for a reservation the store refused: denied until its window resets. */
export function reservationDenial(r: Reservation, nowMs: number): Decision {
  const retryAfterMs = r.windowEndMs - nowMs;
  return { outcome: 'deny', rule: r.rule, message: limitDenialMessage(r, retryAfterMs), retryAfterMs, reservations: [] };
}

/**
 * A limit that does not fit decides the call. `retryAfterMs` is the earliest time the same call could
 * pass, other traffic aside: when several limits are full, the latest of their resets; when the
 * call can never fit (its amount exceeds a max), there is no retry time at all.
 */
function limitDenial(
  limit: CompiledLimit,
  reservation: Reservation,
  limits: readonly CompiledLimit[],
  index: number,
  call: Call,
  counters: CounterReader,
  nowMs: number,
  reservations: readonly Reservation[],
  trace: TraceStep[] | undefined,
): Verdict {
  const scopeText = `${limit.scope}${reservation.scopeId ? ` ${reservation.scopeId}` : ''}`;
  const unit = limit.incrementFrom ? ` (${limit.incrementFrom.path})` : ' calls';
  if (reservation.amount > limit.max) {
    const head = `Call to "${call.tool}" counts`;
    const tail = `against limit "${limit.counter}" (${scopeText}), which allows at most ${limit.max}${unit} per ${limit.window}; it can never pass`;
    if (limit.onDeny !== undefined) return { outcome: 'deny', rule: limit.pointer, message: limit.onDeny, reservations: [] };
    const message = `${head} ${reservation.amount} ${tail}`;
    // A counted argument's value is the amount: logs say only that it was too much.
    return { outcome: 'deny', rule: limit.pointer, message, ...(limit.incrementFrom ? { logMessage: `${head} more ${tail}` } : {}), reservations: [] };
  }
  let resetAt: number | undefined = reservation.windowEndMs;
  for (let j = index + 1; j < limits.length; j++) {
    const later = measure(limits[j]!, call, counters, nowMs, reservations);
    if (later.problem !== undefined || later.reservation.amount > limits[j]!.max) {
      resetAt = undefined;
      trace?.push({ rule: limits[j]!.pointer, kind: 'limit', result: 'skipped', note: later.problem ?? 'can never fit: no retry time' });
      break;
    }
    const full = later.used + later.reservation.amount > limits[j]!.max;
    if (full) resetAt = Math.max(resetAt, later.reservation.windowEndMs);
    trace?.push({
      rule: limits[j]!.pointer,
      kind: 'limit',
      result: 'skipped',
      counter: counterTrace(limits[j]!, later.reservation, later.used),
      note: full ? 'also full: the retry time waits for it too' : 'not reached (an earlier limit denied)',
    });
  }
  if (resetAt === undefined) return { outcome: 'deny', rule: limit.pointer, message: limitDenialMessage(reservation, undefined), reservations: [] };
  const retryAfterMs = resetAt - nowMs;
  return { outcome: 'deny', rule: limit.pointer, message: limitDenialMessage(reservation, retryAfterMs), retryAfterMs, reservations: [] };
}

function counterTrace(limit: CompiledLimit, reservation: Reservation, used: number): NonNullable<TraceStep['counter']> {
  const counter = { key: reservation.key, used, amount: reservation.amount, max: reservation.max, windowEndMs: reservation.windowEndMs };
  return limit.incrementFrom ? { ...counter, byValue: limit.incrementFrom.path } : counter;
}

/** Scope ids remembered per limit; past this many (a flood of sessions), the memo starts over. */
const MAX_CACHED_KEYS = 4096;

function windowKeyOf(limit: CompiledLimit, windowStartMs: number, scopeId: string): WindowKey {
  const cache = limit.keyCache;
  const hit = cache?.get(scopeId);
  if (hit !== undefined && hit.windowStartMs === windowStartMs) return hit;
  const window: WindowKey = { windowStartMs, key: counterKey(limit.counter, limit.window, windowStartMs, limit.scope, scopeId), unit: undefined };
  if (cache) {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(scopeId, window);
  }
  return window;
}

function scopeIdOf(limit: CompiledLimit, call: Call): string {
  return limit.scope === 'grant' ? call.grant : limit.scope === 'session' ? call.session : '';
}

function describeFirstFailure(rule: CompiledRule, args: unknown): string {
  for (const condition of rule.conditions) {
    const t = traceCondition(condition, args, 'permissive');
    if (t.held) continue;
    // Names the policy's value, never the argument's: this message goes into logs.
    const lax = t.lax ? ` as a Python server reads ${t.lax.via === 'json-member' ? `the JSON string in ${condition.path.split('.').slice(0, 2).join('.')}` : condition.path}` : '';
    if (condition.op === 'exists') return `${condition.path} must ${condition.value === false ? 'be absent' : 'be present'}${lax}`;
    if (!t.present) return `${condition.path} is missing`;
    return `${condition.path} ${condition.op} ${short(condition.value)} does not hold${lax}`;
  }
  return 'requirement not met';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${short(value)}`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The counter keys a call could touch now, so async stores can fetch them before deciding. Empty
 * when the call is denied before any limit (hidden, or unlisted under default deny).
 */
export function counterKeysFor(policy: CompiledPolicy, call: Call, nowMs: number): string[] {
  if (policy.hideAll || policy.hidden.has(call.tool)) return [];
  const tool = policy.tools.get(call.tool);
  if (!tool && !policy.defaultAllow) return [];
  const limits = tool ? tool.allLimits : policy.allToolsLimits;
  return limits.map((limit) => windowKeyOf(limit, windowStart(limit.window, nowMs), scopeIdOf(limit, call)).key);
}
