import type { CompiledPolicy } from '../engine/compile.js';
import { createDecider } from '../engine/decider.js';
import type { EnforcerOptions } from '../engine/enforcer.js';
import { MemoryCounterStore } from '../engine/memory-store.js';
import type { CounterStore } from '../engine/store.js';
import { OverlayCounterStore } from '../engine/overlay-store.js';
import type { Call, Decision } from '../engine/types.js';

export interface ExplainOptions {
  /** Live counters to start from (`--state`); read only, never reserved into. Default: all zero. */
  store?: CounterStore;
  /** With `store`: its fail mode and timeout (`--state-fail-mode`, `--state-timeout`). */
  enforcer?: EnforcerOptions;
  /** Explain the last of this many identical calls at the same instant (`--repeat 11` shows the 11th call of a minute). */
  repeat?: number;
  /** Calls decided before this one, in order, each at its time: the counters they leave are the ones this call meets. */
  history?: ReadonlyArray<{ call: Call; atMs: number }>;
}

/**
 * Decides one call with the full trace, through the same decider as the proxy. Explaining never
 * consumes budget: counters are read from the store (each at first use) into a private overlay that
 * the earlier calls (`history`, then `repeat`) reserve into. Without a store, counters start at zero.
 */
export async function explainCall(policy: CompiledPolicy, call: Call, atMs: number, options: ExplainOptions = {}): Promise<Decision> {
  const store = options.store ? new OverlayCounterStore(options.store) : new MemoryCounterStore();
  const decider = createDecider(policy, store, options.enforcer);
  for (const earlier of options.history ?? []) await decider.decide(earlier.call, { atMs: earlier.atMs });
  for (let i = 1; i < (options.repeat ?? 1); i++) await decider.decide(call, { atMs });
  return decider.decide(call, { atMs, trace: true });
}
