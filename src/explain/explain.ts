import type { CompiledPolicy } from '../engine/compile.js';
import { decide } from '../engine/decide.js';
import { Enforcer, type EnforcerOptions } from '../engine/enforcer.js';
import type { CounterStore } from '../engine/store.js';
import { OverlayCounterStore } from '../state/overlay-store.js';
import type { Call, Decision } from '../engine/types.js';

export interface ExplainOptions {
  /** Live counters to start from (issue 7's `--state`); read only, never reserved into. Default: all zero. */
  store?: CounterStore;
  /** With `store`: its fail mode and timeout (`--state-fail-mode`, `--state-timeout`). */
  enforcer?: EnforcerOptions;
  /** Explain the last of this many identical calls at the same instant (`--repeat 11` shows the 11th call of a minute). */
  repeat?: number;
}

/**
 * Decides one call with the full trace. Explaining never consumes budget: counters are read once
 * from the store (each at first use), and the calls before the last one (`repeat`) reserve into a
 * private overlay. Without a store, counters start at zero.
 */
export async function explainCall(policy: CompiledPolicy, call: Call, atMs: number, options: ExplainOptions = {}): Promise<Decision> {
  if (options.store) {
    // As the proxy decides, fail modes included, on an overlay that never writes to the store.
    const enforcer = new Enforcer(policy, new OverlayCounterStore(options.store), options.enforcer);
    for (let i = 1; i < (options.repeat ?? 1); i++) await enforcer.decide(call, atMs);
    return enforcer.decide(call, atMs, { trace: true });
  }
  const counters = new Map<string, number>();
  const reader = { get: (key: string) => counters.get(key) ?? 0 };
  for (let i = 1; i < (options.repeat ?? 1); i++) {
    const earlier = decide(policy, call, reader, atMs);
    if (earlier.outcome === 'deny') continue;
    for (const reservation of earlier.reservations) counters.set(reservation.key, reader.get(reservation.key) + reservation.amount);
  }
  return decide(policy, call, reader, atMs, { trace: true });
}
