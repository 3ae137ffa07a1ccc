/**
 * Fail closed: a caller that decides without loading the parser first (loadCodeAnalysis) gets a
 * denial, never an allow. Its own file, so no other test has loaded the parser in this process.
 */
import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';

describe('deciding without the parser loaded', () => {
  it('denies every call that reaches a python condition, and says why', () => {
    const compiled = compilePolicy({
      version: '1',
      default: 'deny',
      tools: { run: { deny_if: [{ conditions: [{ path: 'args.code', op: 'python', value: { deny_unanalysable: false, deny_unparsable: false } }] }] } },
    });
    const d = decide(compiled, makeCall('run', { args: { code: 'print(1)' } }), new MemoryCounterStore(), 0);
    expect(d).toMatchObject({ outcome: 'deny', rule: '/tools/run/deny_if/0' });
    expect(d.message).toContain('the Python parser was not loaded before deciding');
  });
});
