import type { CompiledPolicy } from '../engine/compile.js';
import { createDecider, type Decider } from '../engine/decider.js';
import type { EnforcerOptions } from '../engine/enforcer.js';
import { MemoryCounterStore } from '../engine/memory-store.js';
import type { CounterStore } from '../engine/store.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_TIMEOUT_MS, type StateConfig } from './options.js';
import { parseStateSpec, type StateSpec } from './spec.js';

export interface OpenStoreOptions {
  /** Resolves relative `file:` paths. Default: the process's working directory. */
  cwd?: string;
  /** Bound on every store operation; default 2000 ms. */
  timeoutMs?: number;
  /** For commands that only read counters: a missing `file:` store is an error, never created. */
  readOnly?: boolean;
}

/**
 * Opens the store a `--state` spec names. `memory` and `redis://…` never fail here (Redis connects in
 * the background, so a proxy starts while Redis is down); `file:` opens the file now and throws a
 * UserError if it cannot be used (a path problem is a setup mistake, not an outage).
 */
export async function openCounterStore(spec: string | StateSpec, options: OpenStoreOptions = {}): Promise<CounterStore> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STATE_TIMEOUT_MS;
  let parsed: StateSpec;
  if (typeof spec === 'string') {
    const result = parseStateSpec(spec, options.cwd ?? process.cwd());
    if (!result.ok) throw new UsageError(`--state: ${result.message}`);
    parsed = result.spec;
  } else parsed = spec;
  switch (parsed.kind) {
    case 'memory':
      return new MemoryCounterStore();
    case 'file': {
      const { FileCounterStore } = await import('./file-store.js');
      return FileCounterStore.open(parsed.path, { timeoutMs, ...(options.readOnly ? { readOnly: true } : {}) });
    }
    case 'redis': {
      const { RedisCounterStore } = await import('./redis-store.js');
      return RedisCounterStore.open(parsed, { timeoutMs });
    }
  }
}

/** The store and the decider a command runs with, from its parsed `--state*` options. */
export async function openDecider(policy: CompiledPolicy, state: StateConfig, options: Pick<EnforcerOptions, 'onStoreStatus'> = {}): Promise<Decider> {
  const store = await openCounterStore(state.spec, { timeoutMs: state.timeoutMs });
  return createDecider(policy, store, { failMode: state.failMode, timeoutMs: state.timeoutMs, ...options });
}
