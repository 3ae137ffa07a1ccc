import type { Reservation } from './types.js';

export type ReserveResult =
  | {
      ok: true;
      /** Each reservation's counter value just before this reservation, as the store saw it (for traces). */
      values?: number[];
    }
  | {
      ok: false;
      /** index of the first reservation that did not fit */
      failed: number;
      /**
       * Set by stores that keep their own clock (Redis) when that reservation's window is not the
       * current one on the store's clock: nothing was added; decide again at this time.
       */
      storeNowMs?: number;
      /** Each reservation's counter value when the reservation was refused, so the caller need not read them again. */
      values?: number[];
    };

/**
 * Where counters live. Implementations: memory (here), file and Redis (src/state/). Every
 * implementation must make `reserve` atomic across all reservations of a call: all are added, or
 * none. A store that cannot be reached rejects (within its own timeout); the Enforcer turns that
 * into a decision according to its fail mode.
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
  /**
   * The clock windows are measured on, for stores shared between machines (Redis: the server's
   * clock, estimated locally without a round trip). Absent: this process's clock, `Date.now()`.
   */
  now?(): number;
  /** How messages name the store, without credentials (`redis://host:6379/0`, `file:/path`). */
  readonly label?: string;
}
