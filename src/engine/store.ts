import type { Reservation } from './types.js';

export type ReserveResult = { ok: true } | { ok: false; /** index of the first reservation that did not fit */ failed: number };

/**
 * Where counters live. Implementations: memory (here), file and Redis (later). Every implementation
 * must make `reserve` atomic across all reservations of a call: all are added, or none.
 */
export interface CounterStore {
  /** Current values of the keys (0 for unknown or expired keys). */
  read(keys: readonly string[], nowMs: number): Promise<number[]>;
  /** Adds every amount if each counter stays within its max; otherwise adds nothing. */
  reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult>;
  /** The call went through: the reservation stands. */
  commit(reservations: readonly Reservation[]): Promise<void>;
  /** The call failed upstream or never reached it: give the budget back. */
  rollback(reservations: readonly Reservation[]): Promise<void>;
  close(): Promise<void>;
}
