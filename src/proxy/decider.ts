import { decide } from '../engine/decide.js';
import type { Enforcer } from '../engine/enforcer.js';
import { MemoryCounterStore } from '../engine/memory-store.js';
import type { Call, Decision } from '../engine/types.js';

/**
 * The proxy's access to the engine. With counters in memory (the default) a decision is made
 * synchronously — read, decide and reserve cannot interleave with anything in one thread — so a
 * tools/call costs no promise, no task and no reordering; that is most of the proxy's overhead per
 * call. Any other store goes through the Enforcer (async: conflicts retried, timeouts, fail mode).
 */
export class Decider {
  private readonly memory: MemoryCounterStore | undefined;

  constructor(readonly enforcer: Enforcer) {
    this.memory = enforcer.store instanceof MemoryCounterStore ? enforcer.store : undefined;
  }

  decide(call: Call, trace: boolean): Decision | Promise<Decision> {
    const store = this.memory;
    if (!store) return this.enforcer.decide(call, undefined, { trace });
    const now = Date.now();
    store.setNow(now);
    const decision = decide(this.enforcer.currentPolicy, call, store, now, trace ? { trace } : undefined);
    if (decision.outcome === 'deny' || decision.reservations.length === 0) return decision;
    const reserved = store.tryReserve(decision.reservations, now);
    if (reserved.ok) return decision;
    // decide() counted with the same values in the same turn, so this cannot happen; deny if it does.
    const failed = decision.reservations[reserved.failed]!;
    return { outcome: 'deny', rule: failed.rule, message: `Rate limit of ${failed.max} per ${failed.window} reached for "${failed.counter}"`, retryAfterMs: failed.windowEndMs - now, reservations: [] };
  }

  /** The call went through: its reservations stand. */
  commit(decision: Decision): void {
    if (!this.memory && decision.reservations.length > 0) void this.enforcer.commit(decision);
  }

  /** The call failed or never ran: give its budget back. */
  rollback(decision: Decision): void {
    if (decision.reservations.length === 0) return;
    if (this.memory) this.memory.undo(decision.reservations);
    else void this.enforcer.rollback(decision);
  }
}
