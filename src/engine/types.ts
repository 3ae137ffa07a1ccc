import type { Operator, Scope, Window } from '../policy/schema.js';
import type { GuardFinding } from '../python/guard.js';

/** One tool call as the engine sees it. */
export interface Call {
  tool: string;
  args: unknown;
  /** Identity label (PolicyLayer's grant); `local` when none is given. */
  grant: string;
  session: string;
}

export type Outcome = 'allow' | 'deny' | 'approval_required';

/**
 * An amount to add to one counter in one window before the call is forwarded. Never changed once
 * made: the reservation of one unit is shared by all the decisions of its window and scope.
 */
export interface Reservation {
  readonly key: string;
  readonly amount: number;
  readonly max: number;
  /** JSON Pointer of the limit, e.g. /tools/execute_python_code/limits/0. */
  readonly rule: string;
  readonly counter: string;
  readonly window: Window;
  readonly scope: Scope;
  /** Grant, session, or '' for global scope. */
  readonly scopeId: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** The limit's `on_deny`, and the argument path it counts (`increment_from`): its denial message needs both. */
  readonly onDeny?: string;
  readonly countedPath?: string;
}

export interface ConditionTrace {
  path: string;
  op: Operator;
  expected: unknown;
  /** Whether the path exists in the arguments. */
  present: boolean;
  actual: unknown;
  held: boolean;
  /** For `python`: what in the code broke the guard, and where (1-based line and column in the code). */
  finding?: GuardFinding;
  /**
   * Set when `held` differs from what the value as sent gives, because a Python server would read the
   * value otherwise (docs/policy-language.md#conditions). Explain shows it; it names argument values,
   * so it never goes into a decision's message.
   */
  lax?: LaxNote;
}

/**
 * How a lax Python validator reads the value: `number`/`boolean`, converted (the string "1000" as
 * 1000, "yes" or 1 as true); `items`, an array or object with such members; `json`, a top-level
 * string parsed as JSON; `json-member`, the path read on inside such a string (`from`: the string).
 */
export interface LaxNote {
  via: 'number' | 'boolean' | 'items' | 'json' | 'json-member';
  value: unknown;
  from?: string;
}

export interface TraceStep {
  /** JSON Pointer of the rule, or a label such as (hidden). */
  rule: string;
  kind: 'hide' | 'default' | 'deny_if' | 'require' | 'limit' | 'require_approval' | 'allow';
  /** What this step concluded: `matched` means it decided the call. */
  result: 'matched' | 'passed' | 'skipped';
  conditions?: ConditionTrace[];
  /** `byValue`: the argument path the limit counts (increment_from), so `used` and `amount` are argument values. */
  counter?: { key: string; used: number; amount: number; max: number; windowEndMs: number; byValue?: string };
  note?: string;
}

export interface Decision {
  outcome: Outcome;
  /** JSON Pointer into the policy, or (hidden), (default deny), (default allow). */
  rule: string;
  /** The user-facing message: the rule's on_deny/message or a default. Empty for allow. */
  message: string;
  /**
   * The message without the argument values it names, for logs (the audit log, stderr); absent
   * when `message` names none. The client gets `message`: the values are its own.
   */
  logMessage?: string;
  /** For rate limits: milliseconds until the window that denied the call resets. */
  retryAfterMs?: number;
  /** Counter reservations to make (allow and approval_required only). */
  reservations: Reservation[];
  trace?: TraceStep[];
  /**
   * With `counters` asked of the decider (the audit log) and no trace: each reservation's counter
   * value once all of this call's reservations were made, in order.
   */
  counterValues?: number[];
  /**
   * Set when the counter store could not be reached (or did not answer in time) and the call needed
   * counters: the decision followed the fail mode and counted nothing. Audit logs record it.
   */
  stateUnavailable?: StateUnavailable;
}

export type StateFailMode = 'closed' | 'open';

export interface StateUnavailable {
  /** `closed`: the call was denied with rule (state unavailable); `open`: it was decided without its limits. */
  failMode: StateFailMode;
  /** Why the store failed, e.g. `redis://127.0.0.1:6390/0: connection refused`. */
  error: string;
}

/** Read access to counter values in their current windows. */
export interface CounterReader {
  get(key: string): number;
}
