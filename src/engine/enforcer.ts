import type { CompiledPolicy } from './compile.js';
import { counterKeysFor, decide, type DecideOptions } from './decide.js';
import type { CounterStore } from './store.js';
import type { Call, Decision } from './types.js';

/**
 * Decides a call against a policy and a (possibly remote) counter store: reads the counters the call
 * could touch, decides purely, then reserves atomically. If another process took the budget in
 * between, it decides again with fresh values, so no interleaving can exceed a limit.
 */
export class Enforcer {
  constructor(
    private policy: CompiledPolicy,
    readonly store: CounterStore,
  ) {}

  /** Swap the policy (hot reload); counters live in the store and survive. */
  setPolicy(policy: CompiledPolicy): void {
    this.policy = policy;
  }

  get currentPolicy(): CompiledPolicy {
    return this.policy;
  }

  async decide(call: Call, nowMs: number, options: DecideOptions = {}): Promise<Decision> {
    const policy = this.policy;
    const keys = counterKeysFor(policy, call, nowMs);
    for (let attempt = 0; ; attempt++) {
      const values = keys.length > 0 ? await this.store.read(keys, nowMs) : [];
      const byKey = new Map(keys.map((key, i) => [key, values[i] ?? 0]));
      const decision = decide(policy, call, { get: (key) => byKey.get(key) ?? 0 }, nowMs, options);
      if (decision.outcome === 'deny' || decision.reservations.length === 0) return decision;
      const result = await this.store.reserve(decision.reservations, nowMs);
      if (result.ok) return decision;
      if (attempt >= 4) {
        const failed = decision.reservations[result.failed]!;
        return {
          outcome: 'deny',
          rule: failed.rule,
          message: `Rate limit of ${failed.max} per ${failed.window} reached for "${failed.counter}"; try again in ${Math.ceil((failed.windowEndMs - nowMs) / 1000)} s`,
          retryAfterMs: failed.windowEndMs - nowMs,
          reservations: [],
        };
      }
    }
  }
}
