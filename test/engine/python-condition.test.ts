/** The `python` condition in the engine: one path with every other condition, through decide(). */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { loadCodeAnalysis } from '../../src/engine/code-analysis.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';

const T = Date.UTC(2026, 10, 24, 10, 0, 0);
const guard = { deny_modules: ['subprocess'], deny_calls: ['os.system'] };

const policy: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: {
    run: {
      deny_if: [{ conditions: [{ path: 'args.code', op: 'python', value: guard }], on_deny: 'No processes.' }],
      limits: [{ counter: 'run_rate', window: 'minute', max: 10, scope: 'grant' }],
      require_approval: [{ conditions: [{ path: 'args.code', op: 'python', value: { deny_calls: ['os.remove'], deny_unanalysable: false } }], message: 'Deletes a file.' }],
    },
    other: {},
  },
};
const compiled = compilePolicy(policy);
const decideCode = (args: unknown, tool = 'run') => decide(compiled, makeCall(tool, { args }), new MemoryCounterStore(), T, { trace: true });

beforeAll(async () => {
  await loadCodeAnalysis(compiled);
});

describe('the python condition', () => {
  it('compiles once and marks the policy as needing the parser (only when it has a python condition)', () => {
    expect(compiled.usesPython).toBe(true);
    expect(compilePolicy({ version: '1', default: 'deny', tools: { x: {} } }).usesPython).toBe(false);
  });

  it('denies through deny_if, naming what decided and where after on_deny', () => {
    const d = decideCode({ code: 'x = 1\nimport subprocess as sp\nsp.run(["id"])' });
    expect(d).toMatchObject({ outcome: 'deny', rule: '/tools/run/deny_if/0', reservations: [] });
    expect(d.message).toBe('No processes. (args.code line 2, column 8: imports subprocess (deny_modules: "subprocess"))');
    const step = d.trace!.find((s) => s.rule === '/tools/run/deny_if/0')!;
    expect(step.conditions![0]!.finding).toMatchObject({ kind: 'module', line: 2, column: 8 });
  });

  it('asks for approval through require_approval after the limits reserved, with the finding in the message', () => {
    const d = decideCode({ code: 'import os\nos.remove("/data/a")' });
    expect(d).toMatchObject({ outcome: 'approval_required', rule: '/tools/run/require_approval/0' });
    expect(d.message).toBe('Deletes a file. (args.code line 2, column 1: uses os.remove (deny_calls: "os.remove"))');
    expect(d.reservations).toHaveLength(1);
  });

  it('allows clean code, and the trace says the code passes the guard', () => {
    const d = decideCode({ code: 'import numpy as np\nprint(np.zeros(3))' });
    expect(d).toMatchObject({ outcome: 'allow', rule: '/tools/run' });
    const step = d.trace!.find((s) => s.rule === '/tools/run/deny_if/0')!;
    expect(step.conditions![0]).toMatchObject({ op: 'python', held: false });
    expect(step.conditions![0]!.finding).toBeUndefined();
  });

  it('an absent argument does not hold, as for every operator; a non-string one holds (cannot be analysed)', () => {
    expect(decideCode({})).toMatchObject({ outcome: 'allow' });
    expect(decideCode({ code: 42 })).toMatchObject({ outcome: 'deny', rule: '/tools/run/deny_if/0' });
  });

  it('is pure: the same call decides the same way every time', () => {
    const args = { code: 'import os\nos.system("id")' };
    expect(decideCode(args)).toEqual(decideCode(args));
  });
});
