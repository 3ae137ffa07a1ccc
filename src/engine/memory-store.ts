import type { CounterStore, ReserveResult } from './store.js';
import type { CounterReader, Reservation } from './types.js';

const RESERVED: ReserveResult = Object.freeze({ ok: true });

interface Entry {
  value: number;
  expiresAtMs: number;
}

/** Counters in this process only; synchronous underneath so replay and benchmarks avoid promise overhead. */
export class MemoryCounterStore implements CounterStore, CounterReader {
  private readonly entries = new Map<string, Entry>();
  private clockMs = 0;
  private writesSinceSweep = 0;

  /** Value of a key as of the time last passed to tryReserve/setNow; keys carry their window start, so old windows are simply other keys. */
  get(key: string): number {
    const entry = this.entries.get(key);
    return entry && entry.expiresAtMs > this.clockMs ? entry.value : 0;
  }

  setNow(nowMs: number): void {
    this.clockMs = nowMs;
  }

  tryReserve(reservations: readonly Reservation[], nowMs: number): ReserveResult {
    this.clockMs = nowMs;
    if (reservations.length === 1) return this.reserveOne(reservations[0]!, nowMs);
    const pending = new Map<string, number>();
    for (let i = 0; i < reservations.length; i++) {
      const r = reservations[i]!;
      const next = (pending.get(r.key) ?? this.get(r.key)) + r.amount;
      if (next > r.max) return { ok: false, failed: i };
      pending.set(r.key, next);
    }
    for (const r of reservations) this.add(r, nowMs);
    this.wrote(nowMs);
    return RESERVED;
  }

  /** The common case (a call with one limit), without the all-or-none bookkeeping. */
  private reserveOne(r: Reservation, nowMs: number): ReserveResult {
    const entry = this.entries.get(r.key);
    const live = entry !== undefined && entry.expiresAtMs > nowMs;
    if ((live ? entry.value : 0) + r.amount > r.max) return { ok: false, failed: 0 };
    if (live) entry.value += r.amount;
    else this.entries.set(r.key, { value: r.amount, expiresAtMs: r.windowEndMs });
    this.wrote(nowMs);
    return RESERVED;
  }

  private add(r: Reservation, nowMs: number): void {
    const entry = this.entries.get(r.key);
    if (entry && entry.expiresAtMs > nowMs) entry.value += r.amount;
    else this.entries.set(r.key, { value: r.amount, expiresAtMs: r.windowEndMs });
  }

  private wrote(nowMs: number): void {
    if (++this.writesSinceSweep >= 10_000) this.sweep(nowMs);
  }

  undo(reservations: readonly Reservation[]): void {
    for (const r of reservations) {
      const entry = this.entries.get(r.key);
      if (entry) entry.value = Math.max(0, entry.value - r.amount);
    }
  }

  /** Live counters, for dashboards and tests. */
  snapshot(nowMs: number): Array<{ key: string; value: number; expiresAtMs: number }> {
    return [...this.entries].filter(([, e]) => e.expiresAtMs > nowMs).map(([key, e]) => ({ key, value: e.value, expiresAtMs: e.expiresAtMs }));
  }

  private sweep(nowMs: number): void {
    this.writesSinceSweep = 0;
    for (const [key, entry] of this.entries) if (entry.expiresAtMs <= nowMs) this.entries.delete(key);
  }

  async read(keys: readonly string[], nowMs: number): Promise<number[]> {
    this.clockMs = nowMs;
    return keys.map((key) => this.get(key));
  }

  async reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult> {
    this.clockMs = nowMs;
    const values = reservations.map((r) => this.get(r.key));
    return { ...this.tryReserve(reservations, nowMs), values };
  }

  async commit(): Promise<void> {}

  async rollback(reservations: readonly Reservation[]): Promise<void> {
    this.undo(reservations);
  }

  async close(): Promise<void> {}
}
