import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import type { Call } from '../../src/engine/types.js';

const seed: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: { execute_python_code: { limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }] } },
};

const call = (tool: string, args: unknown = {}, grant = 'local'): Call => ({ tool, args, grant, session: 's1' });

describe('decide', () => {
  it('allows ten execute_python_code calls a minute per grant and denies the eleventh with the exact retry-after', () => {
    const policy = compilePolicy(seed);
    const store = new MemoryCounterStore();
    const t0 = Date.UTC(2026, 10, 24, 10, 0, 0, 123);
    const outcomes: string[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = decide(policy, call('execute_python_code', { code: 'x' }), store, t0 + i * 1000);
      if (last.outcome !== 'deny') store.tryReserve(last.reservations, t0 + i * 1000);
      outcomes.push(last.outcome);
    }
    expect(outcomes).toEqual([...Array(10).fill('allow'), 'deny']);
    expect(last!.rule).toBe('/tools/execute_python_code/limits/0');
    expect(last!.retryAfterMs).toBe(60_000 - 123 - 10_000);
    // Another grant has its own budget; the next minute frees the budget.
    expect(decide(policy, call('execute_python_code', {}, 'bob'), store, t0 + 10_000).outcome).toBe('allow');
    expect(decide(policy, call('execute_python_code'), store, Date.UTC(2026, 10, 24, 10, 1, 0)).outcome).toBe('allow');
  });

  it('denies unlisted and prototype-named tools under default deny', () => {
    const policy = compilePolicy(seed);
    const store = new MemoryCounterStore();
    for (const name of ['list_nodes', 'constructor', '__proto__', 'toString', 'Execute_python_code']) {
      expect(decide(policy, call(name), store, 0)).toMatchObject({ outcome: 'deny', rule: '(default deny)' });
    }
  });
});
