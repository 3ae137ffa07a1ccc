import type { CompiledPolicy } from './compile.js';
import { counterKeysFor, decide, reservationDenial, type DecideOptions } from './decide.js';
import type { CounterStore } from './store.js';
import type { Call, CounterReader, Decision, StateFailMode, TraceStep } from './types.js';

/** Rule label of a call denied because the counter store could not be reached under fail mode `closed`. */
export const STATE_UNAVAILABLE = '(state unavailable)';

export interface EnforcerOptions {
  /** What a call that needs counters gets when the store fails or does not answer in time. Default `closed`. */
  failMode?: StateFailMode;
  /** Upper bound (ms) on the store work of one decision, retries included; past it the store counts as unavailable. Default: only the store's own timeouts. */
  timeoutMs?: number;
  /** Told when the store stops answering and when it answers again (once per change), for the proxy's log. */
  onStoreStatus?: (status: { available: true } | { available: false; error: string }) => void;
}

const MAX_ATTEMPTS = 5;
const NO_COUNTERS: CounterReader = { get: () => 0 };

/** A store operation failed or timed out: only these turn into fail-mode decisions, never an engine bug. */
class StoreFailure extends Error {}

/**
 * Decides a call against a policy and a (possibly remote) counter store. The reservations a call
 * makes do not depend on counter values, so the Enforcer reserves first and the store checks every
 * max atomically (all counters or none): no interleaving of processes can exceed a limit, and a
 * call costs one store round trip. When the reservation does not fit, the engine decides again on
 * the values the store saw, so the denial names the right limit and retry time.
 *
 * Time: a live caller omits `nowMs`, and the Enforcer takes the store's clock (`store.now()`, for
 * Redis the server's) or else this process's. A store with its own clock refuses reservations for
 * a window that is not current on that clock and says its time; the Enforcer then decides again at
 * that time, so keys (which embed the window start) and retry-after always follow the store's clock.
 *
 * Store failures never throw and never hang (with `timeoutMs`): a call whose decision needs no
 * counter, or that is denied whatever the counters say, is decided as usual; otherwise `closed`
 * denies with rule (state unavailable) and `open` decides without limits. Both carry
 * `stateUnavailable` so the audit log records them.
 */
export class Enforcer {
  readonly failMode: StateFailMode;
  private readonly timeoutMs: number | undefined;
  private readonly onStoreStatus: EnforcerOptions['onStoreStatus'];
  /** Why the store last failed, until it answers again. */
  private storeDown: string | undefined;

  constructor(
    private policy: CompiledPolicy,
    readonly store: CounterStore,
    options: EnforcerOptions = {},
  ) {
    this.failMode = options.failMode ?? 'closed';
    this.timeoutMs = options.timeoutMs;
    this.onStoreStatus = options.onStoreStatus;
  }

  /** Swap the policy (hot reload); counters live in the store and survive. */
  setPolicy(policy: CompiledPolicy): void {
    this.policy = policy;
  }

  get currentPolicy(): CompiledPolicy {
    return this.policy;
  }

  /** The time a live decision is made at: the store's clock when it has one. */
  now(): number {
    return this.store.now ? this.store.now() : Date.now();
  }

  /**
   * @param nowMs the time to decide at; omit it for live traffic (see the class comment). An explicit
   * time is for replay and tests; a store with its own clock may still move it to its own time.
   */
  async decide(call: Call, nowMs?: number, options: DecideOptions = {}): Promise<Decision> {
    const policy = this.policy;
    const deadline = this.deadline();
    let t = nowMs ?? this.now();
    try {
      for (let attempt = 1; ; attempt++) {
        // What a call reserves never depends on counter values, only whether it fits does. So the
        // reservation goes first and the store's atomic check decides: one round trip per call.
        const optimistic = decide(policy, call, NO_COUNTERS, t);
        if (optimistic.reservations.length === 0) {
          // Denied or allowed without a limit whatever the counters hold; read them only to name the
          // right limit (an earlier full one) and to show the values in a trace.
          const keys = counterKeysFor(policy, call, t);
          if (keys.length === 0) return options.trace ? decide(policy, call, NO_COUNTERS, t, options) : optimistic;
          const values = await this.bounded(() => this.store.read(keys, t), deadline);
          return decide(policy, call, readerOf(keys, values), t, options);
        }
        const reservations = optimistic.reservations;
        const result = await this.bounded(() => this.store.reserve(reservations, t), deadline);
        if (!result.ok && result.storeNowMs !== undefined) {
          // The window turned over on the store's clock between our estimate and the reservation.
          if (attempt >= MAX_ATTEMPTS) throw new StoreFailure(`the counter store's clock (${new Date(result.storeNowMs).toISOString()}) kept moving to another window`);
          t = result.storeNowMs;
          continue;
        }
        const keys = reservations.map((r) => r.key);
        if (result.ok) {
          if (!options.trace) return optimistic;
          return decide(policy, call, readerOf(keys, result.values ?? (await this.valuesBefore(reservations, t, deadline))), t, options);
        }
        // Full: decide on the values the store saw, to name the limit and the time it resets.
        const values = result.values ?? (await this.bounded(() => this.store.read(keys, t), deadline));
        const denied = decide(policy, call, readerOf(keys, values), t, options);
        if (denied.outcome === 'deny') return denied;
        // Only a store that does not report its values gets here: the budget was freed in between.
        if (attempt >= MAX_ATTEMPTS) return reservationDenial(reservations[result.failed]!, t);
      }
    } catch (error) {
      if (!(error instanceof StoreFailure)) throw error;
      return this.withoutStore(policy, call, t, options, error.message);
    }
  }

  /** For a trace from a store that does not report the values it reserved on: read them, less this call's own amounts. */
  private async valuesBefore(reservations: Decision['reservations'], t: number, deadline: number): Promise<number[]> {
    const keys = reservations.map((r) => r.key);
    const after = await this.bounded(() => this.store.read(keys, t), deadline);
    const own = new Map<string, number>();
    for (const r of reservations) own.set(r.key, (own.get(r.key) ?? 0) + r.amount);
    return keys.map((key, i) => Math.max(0, (after[i] ?? 0) - own.get(key)!));
  }

  /** Asks the store for nothing, to learn (and report through onStoreStatus) whether it answers. Never throws. */
  async checkStore(): Promise<boolean> {
    try {
      await this.bounded(() => this.store.read([], this.now()), this.deadline());
      return true;
    } catch (error) {
      if (!(error instanceof StoreFailure)) throw error;
      return false;
    }
  }

  /** The call went through: keep its reservations. Never throws; false when the store failed. */
  async commit(decision: Decision): Promise<boolean> {
    return this.settle(decision, (reservations) => this.store.commit(reservations));
  }

  /** The call failed upstream or was refused later: give its budget back. Never throws; false when the store failed (the budget stays used). */
  async rollback(decision: Decision): Promise<boolean> {
    return this.settle(decision, (reservations) => this.store.rollback(reservations));
  }

  private async settle(decision: Decision, operation: (reservations: Decision['reservations']) => Promise<void>): Promise<boolean> {
    if (decision.reservations.length === 0) return true;
    try {
      await this.bounded(() => operation(decision.reservations), this.deadline());
      return true;
    } catch (error) {
      if (!(error instanceof StoreFailure)) throw error;
      return false;
    }
  }

  private withoutStore(policy: CompiledPolicy, call: Call, t: number, options: DecideOptions, error: string): Decision {
    const offline = decide(policy, call, NO_COUNTERS, t, options);
    // Denied before or regardless of the counters (hide, deny_if, require, an amount above max), or no counter needed.
    if (offline.outcome === 'deny' || offline.reservations.length === 0) return offline;
    const stateUnavailable = { failMode: this.failMode, error };
    const open = this.failMode === 'open';
    const message = open ? '' : `Call denied: the counter store is unavailable (${error}) and the state fail mode is closed`;
    const trace = offline.trace && traceWithoutStore(offline.trace, open, error, message);
    if (open) return { ...offline, reservations: [], stateUnavailable, ...(trace ? { trace } : {}) };
    return { outcome: 'deny', rule: STATE_UNAVAILABLE, message, reservations: [], stateUnavailable, ...(trace ? { trace } : {}) };
  }

  private noAnswer(): string {
    return `${this.store.label ?? 'counter store'}: no answer within ${this.timeoutMs} ms`;
  }

  private deadline(): number {
    return this.timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + this.timeoutMs;
  }

  /** Runs a store operation within the deadline, and reports the store going down or coming back. */
  private async bounded<T>(operation: () => Promise<T>, deadline: number): Promise<T> {
    try {
      const value = await this.race(operation, deadline);
      if (this.storeDown !== undefined) {
        this.storeDown = undefined;
        this.onStoreStatus?.({ available: true });
      }
      return value;
    } catch (error) {
      if (error instanceof StoreFailure && this.storeDown === undefined) {
        this.storeDown = error.message;
        this.onStoreStatus?.({ available: false, error: error.message });
      }
      throw error;
    }
  }

  /** Runs a store operation, turning its failure, or no answer before the deadline, into a StoreFailure. */
  private async race<T>(operation: () => Promise<T>, deadline: number): Promise<T> {
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw new StoreFailure(this.noAnswer());
    let pending: Promise<T>;
    try {
      pending = operation();
    } catch (error) {
      throw new StoreFailure(describe(error));
    }
    if (remaining === Number.POSITIVE_INFINITY) return pending.catch((error: unknown) => Promise.reject(new StoreFailure(describe(error))));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreFailure(this.noAnswer())), remaining);
    });
    try {
      return await Promise.race([pending.catch((error: unknown) => Promise.reject(new StoreFailure(describe(error)))), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The trace of a decision made without the store: its limits were not read (not "0 used"), then the
 * outage step; under `closed` that step decides, so what the offline decision did after it goes.
 */
function traceWithoutStore(trace: TraceStep[], open: boolean, error: string, message: string): TraceStep[] {
  const afterLimits = trace.findLastIndex((step) => step.kind === 'limit') + 1;
  const notRead: TraceStep[] = trace.slice(0, afterLimits).map((step) =>
    step.kind === 'limit' ? { rule: step.rule, kind: 'limit', result: 'skipped', note: 'counter not read: the counter store is unavailable' } : step,
  );
  const outage: TraceStep = open
    ? { rule: STATE_UNAVAILABLE, kind: 'limit', result: 'passed', note: `counter store unavailable (${error}); limits not counted because the state fail mode is open` }
    : { rule: STATE_UNAVAILABLE, kind: 'limit', result: 'matched', note: message };
  return [...notRead, outage, ...(open ? trace.slice(afterLimits) : [])];
}

function readerOf(keys: readonly string[], values: readonly number[]): CounterReader {
  const byKey = new Map(keys.map((key, i) => [key, values[i] ?? 0]));
  return { get: (key) => byKey.get(key) ?? 0 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
