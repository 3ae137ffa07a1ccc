import { parseCounterKey } from './keys.js';
import { MemoryCounterStore } from './memory-store.js';
import type { CounterStore, ReserveResult } from './store.js';
import type { Reservation } from './types.js';
import { windowEnd } from './windows.js';

const PRUNE_EVERY_FETCHES = 10_000;

/**
 * A store's counters, seen but never changed: `explain` and `replay` with `--state` start from the
 * counters the proxies share, and what they reserve stays in this process. Each counter is read
 * from the store once (at first use) and cached; failures reach the Enforcer, which applies the
 * fail mode as it does for the proxy.
 */
export class OverlayCounterStore implements CounterStore {
  private readonly seen = new Map<string, number>();
  private readonly added = new MemoryCounterStore();
  private fetches = 0;

  constructor(private readonly store: CounterStore) {}

  get label(): string | undefined {
    return this.store.label;
  }

  async read(keys: readonly string[], nowMs: number): Promise<number[]> {
    await this.fetch(keys, nowMs);
    this.added.setNow(nowMs);
    return keys.map((key) => this.seen.get(key)! + this.added.get(key));
  }

  async reserve(reservations: readonly Reservation[], nowMs: number): Promise<ReserveResult> {
    const values = await this.read(
      reservations.map((r) => r.key),
      nowMs,
    );
    // The store's share of each counter is fixed for this run, so "seen + added + amount ≤ max" is the
    // memory store's own check against what is left of max.
    const result = this.added.tryReserve(
      reservations.map((r) => ({ ...r, max: r.max - this.seen.get(r.key)! })),
      nowMs,
    );
    return { ...result, values };
  }

  async commit(): Promise<void> {}

  async rollback(reservations: readonly Reservation[]): Promise<void> {
    this.added.undo(reservations);
  }

  /** Leaves the underlying store open: whoever opened it closes it (several overlays may share one). */
  async close(): Promise<void> {}

  private async fetch(keys: readonly string[], nowMs: number): Promise<void> {
    const missing = [...new Set(keys.filter((key) => !this.seen.has(key)))];
    if (missing.length === 0) return;
    const values = await this.store.read(missing, nowMs);
    missing.forEach((key, i) => this.seen.set(key, values[i] ?? 0));
    if ((this.fetches += missing.length) >= PRUNE_EVERY_FETCHES) this.prune(nowMs);
  }

  /** Windows that have ended are never read again (their keys carry their start): forget them, so a long replay stays small. */
  private prune(nowMs: number): void {
    this.fetches = 0;
    for (const key of this.seen.keys()) {
      const parsed = parseCounterKey(key);
      if (parsed && windowEnd(parsed.window, parsed.windowStartMs) <= nowMs) this.seen.delete(key);
    }
  }
}
