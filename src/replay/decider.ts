import type { CompiledPolicy } from '../engine/compile.js';
import { decide } from '../engine/decide.js';
import { Enforcer, type EnforcerOptions } from '../engine/enforcer.js';
import { MemoryCounterStore } from '../engine/memory-store.js';
import type { CounterStore } from '../engine/store.js';
import type { Call, Decision } from '../engine/types.js';

/**
 * Decides recorded calls with counters evolving as in production: every allowed call (and every call
 * waiting for approval) keeps its reservation. This is the seam for persistent stores (`--state`):
 * any CounterStore goes through the Enforcer; the in-memory store takes a synchronous path, which
 * is what lets a million calls replay in seconds.
 */
export interface ReplayDecider {
  /** Decides and reserves. */
  decide(call: Call, atMs: number): Decision | Promise<Decision>;
  /** Gives a decision's reservations back (calls whose outcome replay cannot know). */
  release(decision: Decision): void | Promise<unknown>;
  close(): Promise<void>;
}

export function createDecider(policy: CompiledPolicy, store: CounterStore = new MemoryCounterStore(), enforcerOptions: EnforcerOptions = {}): ReplayDecider {
  if (store instanceof MemoryCounterStore) return memoryDecider(policy, store);
  const enforcer = new Enforcer(policy, store, enforcerOptions);
  return {
    decide: (call, atMs) => enforcer.decide(call, atMs),
    release: (decision) => enforcer.rollback(decision),
    close: () => store.close(),
  };
}

function memoryDecider(policy: CompiledPolicy, store: MemoryCounterStore): ReplayDecider {
  return {
    decide(call, atMs) {
      store.setNow(atMs);
      const decision = decide(policy, call, store, atMs);
      // decide saw these very counters, so the reservation always fits; a refusal would be an engine bug.
      if (decision.reservations.length > 0 && !store.tryReserve(decision.reservations, atMs).ok) {
        throw new Error(`counter store refused a reservation the engine allowed (${decision.rule})`);
      }
      return decision;
    },
    release: (decision) => store.undo(decision.reservations),
    close: () => store.close(),
  };
}
