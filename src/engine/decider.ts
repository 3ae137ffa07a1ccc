/**
 * The one step around decide(): decide a call and reserve its budget, then commit or roll back.
 * The proxy, replay, explain and policy tests all decide through it, so they cannot disagree.
 *
 * With counters in memory (the default, and every offline command) a decision is synchronous:
 * read, decide and reserve cannot interleave with anything in one thread, so a call costs no
 * promise, no task and no reordering (most of the proxy's overhead per call, and what lets replay
 * decide a million calls in seconds). Any other store goes through the Enforcer (async: a remote
 * store's atomic reservation, conflicts retried, timeouts, fail modes).
 *
 * Time is an input: `atMs`, or the decider's clock (`now`, default the store's or Date.now()).
 */
import type { CompiledPolicy } from './compile.js';
import { decide, reservationDenial } from './decide.js';
import { Enforcer, type EnforcerOptions } from './enforcer.js';
import { MemoryCounterStore } from './memory-store.js';
import type { CounterStore } from './store.js';
import type { Call, Decision } from './types.js';

export interface DeciderOptions extends EnforcerOptions {
  /** The clock for decisions made without `atMs` (tests make it fixed). Default: the store's clock, or Date.now(). */
  now?: () => number;
}

export interface DecideRequest {
  /** The time to decide at; omit for live traffic (the decider's clock). */
  atMs?: number;
  /** Record every rule considered (explain). */
  trace?: boolean;
  /**
   * The state of every counter the decision looked at (the audit log): from the trace for a denial,
   * from the store for a call that reserved (counterValues), without tracing the whole decision.
   */
  counters?: boolean;
}

export interface Decider {
  /** Decides the call and reserves its budget (allow and approval_required). Synchronous with counters in memory. */
  decide(call: Call, request?: DecideRequest): Decision | Promise<Decision>;
  /** The call went through: its reservations stand. */
  commit(decision: Decision): void;
  /** The call never ran: give its budget back. */
  rollback(decision: Decision): void | Promise<unknown>;
  /** Swap the policy (hot reload); counters live in the store and survive. */
  setPolicy(policy: CompiledPolicy): void;
  readonly policy: CompiledPolicy;
  readonly store: CounterStore;
  /** Asks the store whether it answers (reported through `onStoreStatus`). */
  checkStore(): Promise<boolean>;
  close(): Promise<void>;
}

const TRACE = { trace: true } as const;

export function createDecider(policy: CompiledPolicy, store: CounterStore = new MemoryCounterStore(), options: DeciderOptions = {}): Decider {
  return store instanceof MemoryCounterStore ? new MemoryDecider(policy, store, options.now ?? Date.now) : new StoreDecider(new Enforcer(policy, store, options), options.now);
}

class MemoryDecider implements Decider {
  constructor(
    public policy: CompiledPolicy,
    readonly store: MemoryCounterStore,
    private readonly now: () => number,
  ) {}

  decide(call: Call, request?: DecideRequest): Decision {
    const nowMs = request?.atMs ?? this.now();
    const store = this.store;
    store.setNow(nowMs);
    const traced = request?.trace === true;
    const decision = decide(this.policy, call, store, nowMs, traced ? TRACE : undefined);
    if (decision.outcome === 'deny') {
      // A denial reserved nothing, so deciding again sees the same counters: its trace names them.
      return request?.counters && !traced && decision.rule.includes('/limits/') ? decide(this.policy, call, store, nowMs, TRACE) : decision;
    }
    if (decision.reservations.length === 0) return decision;
    const reserved = store.tryReserve(decision.reservations, nowMs);
    if (reserved.ok) {
      if (request?.counters && !traced) decision.counterValues = decision.reservations.map((r) => store.get(r.key));
      return decision;
    }
    // decide() counted with these very values in this turn, so this cannot happen; deny if it does.
    return reservationDenial(decision.reservations[reserved.failed]!, nowMs);
  }

  commit(): void {}

  rollback(decision: Decision): void {
    if (decision.reservations.length > 0) this.store.undo(decision.reservations);
  }

  setPolicy(policy: CompiledPolicy): void {
    this.policy = policy;
  }

  async checkStore(): Promise<boolean> {
    return true;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

class StoreDecider implements Decider {
  constructor(
    private readonly enforcer: Enforcer,
    private readonly now: (() => number) | undefined,
  ) {}

  get policy(): CompiledPolicy {
    return this.enforcer.currentPolicy;
  }

  get store(): CounterStore {
    return this.enforcer.store;
  }

  decide(call: Call, request?: DecideRequest): Promise<Decision> {
    return this.enforcer.decide(call, request?.atMs ?? this.now?.(), request?.trace || request?.counters ? TRACE : {});
  }

  commit(decision: Decision): void {
    if (decision.reservations.length > 0) void this.enforcer.commit(decision);
  }

  rollback(decision: Decision): Promise<boolean> | void {
    if (decision.reservations.length > 0) return this.enforcer.rollback(decision);
  }

  setPolicy(policy: CompiledPolicy): void {
    this.enforcer.setPolicy(policy);
  }

  checkStore(): Promise<boolean> {
    return this.enforcer.checkStore();
  }

  close(): Promise<void> {
    return this.enforcer.store.close();
  }
}
