import type { CompiledPolicy } from '../engine/compile.js';
import { counterKeysFor, decide } from '../engine/decide.js';
import type { CounterStore } from '../engine/store.js';
import type { Call, Decision } from '../engine/types.js';

export interface ExplainOptions {
  /** Live counters to start from (issue 7's `--state`); read only, never reserved into. Default: all zero. */
  store?: CounterStore;
  /** Explain the last of this many identical calls at the same instant (`--repeat 11` shows the 11th call of a minute). */
  repeat?: number;
}

/**
 * Decides one call with the full trace. Explaining never consumes budget: counters are read once
 * from the store, and the calls before the last one (`repeat`) reserve into a private overlay.
 */
export async function explainCall(policy: CompiledPolicy, call: Call, atMs: number, options: ExplainOptions = {}): Promise<Decision> {
  const keys = counterKeysFor(policy, call, atMs);
  const values = options.store && keys.length > 0 ? await options.store.read(keys, atMs) : [];
  const counters = new Map(keys.map((key, i) => [key, values[i] ?? 0]));
  const reader = { get: (key: string) => counters.get(key) ?? 0 };
  for (let i = 1; i < (options.repeat ?? 1); i++) {
    const earlier = decide(policy, call, reader, atMs);
    if (earlier.outcome === 'deny') continue;
    for (const reservation of earlier.reservations) counters.set(reservation.key, reader.get(reservation.key) + reservation.amount);
  }
  return decide(policy, call, reader, atMs, { trace: true });
}
