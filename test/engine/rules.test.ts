import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide, DEFAULT_ALLOW, DEFAULT_DENY, HIDDEN } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';

const T = Date.UTC(2026, 10, 24, 10, 0, 0);

function decideOnce(document: PolicyDocument, tool: string, args: unknown = {}) {
  return decide(compilePolicy(document), makeCall(tool, { args }), new MemoryCounterStore(), T, { trace: true });
}

describe('evaluation order and labels', () => {
  it('hide wins over everything, including a listed tool and default allow', () => {
    const d = decideOnce({ version: '1', default: 'allow', hide: ['x'], tools: { x: {} } }, 'x');
    expect(d).toMatchObject({ outcome: 'deny', rule: HIDDEN, message: 'Tool "x" is hidden by policy' });
    expect(d.trace!.map((s) => s.kind)).toEqual(['hide']);
  });

  it('"*" in hide hides every tool', () => {
    expect(decideOnce({ version: '1', default: 'allow', hide: ['*'] }, 'anything')).toMatchObject({ outcome: 'deny', rule: HIDDEN });
  });

  it('an unlisted tool under default deny is denied before all_tools limits', () => {
    const d = decideOnce({ version: '1', default: 'deny', all_tools: { limits: [{ counter: 'c', window: 'minute', max: 5, scope: 'grant' }] } }, 'list_nodes');
    expect(d).toMatchObject({ outcome: 'deny', rule: DEFAULT_DENY, message: 'Tool "list_nodes" is not permitted by policy', reservations: [] });
  });

  it('an unlisted tool under default allow is allowed with rule (default allow) and gets the all_tools limits', () => {
    const d = decideOnce({ version: '1', default: 'allow', all_tools: { limits: [{ counter: 'c', window: 'minute', max: 5, scope: 'grant' }] } }, 'list_nodes');
    expect(d).toMatchObject({ outcome: 'allow', rule: DEFAULT_ALLOW, message: '' });
    expect(d.reservations.map((r) => r.rule)).toEqual(['/all_tools/limits/0']);
  });

  it('a listed tool is allowed with its own pointer as the rule', () => {
    expect(decideOnce({ version: '1', default: 'deny', tools: { list_nodes: {} } }, 'list_nodes')).toMatchObject({ outcome: 'allow', rule: '/tools/list_nodes' });
  });

  it('deny_if comes before require, require before limits, limits before require_approval', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        t: {
          require_approval: [{}],
          limits: [{ counter: 'c', window: 'minute', max: 0, scope: 'grant' }],
          require: [{ conditions: [{ path: 'args.reason', op: 'exists' }] }],
          deny_if: [{ conditions: [{ path: 'args.bad', op: 'eq', value: true }] }],
        },
      },
    };
    expect(decideOnce(document, 't', { bad: true }).rule).toBe('/tools/t/deny_if/0');
    expect(decideOnce(document, 't', { bad: false }).rule).toBe('/tools/t/require/0');
    expect(decideOnce(document, 't', { reason: 'r' }).rule).toBe('/tools/t/limits/0');
    const noLimit = { ...document, tools: { t: { ...document.tools!.t, limits: [] } } };
    expect(decideOnce(noLimit, 't', { reason: 'r' })).toMatchObject({ outcome: 'approval_required', rule: '/tools/t/require_approval/0' });
  });

  it('the first matching deny_if decides, in order', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        t: {
          deny_if: [
            { conditions: [{ path: 'args.n', op: 'gt', value: 100 }], on_deny: 'too big' },
            { conditions: [{ path: 'args.n', op: 'gt', value: 10 }], on_deny: 'big' },
            { conditions: [{ path: 'args.n', op: 'gt', value: 1 }] },
          ],
        },
      },
    };
    expect(decideOnce(document, 't', { n: 500 })).toMatchObject({ rule: '/tools/t/deny_if/0', message: 'too big' });
    expect(decideOnce(document, 't', { n: 50 })).toMatchObject({ rule: '/tools/t/deny_if/1', message: 'big' });
    expect(decideOnce(document, 't', { n: 5 })).toMatchObject({ rule: '/tools/t/deny_if/2', message: 'Call to "t" denied by /tools/t/deny_if/2' });
    expect(decideOnce(document, 't', { n: 1 })).toMatchObject({ outcome: 'allow' });
  });

  it('a deny_if without conditions denies every call (PolicyLayer\'s "Requires human approval.")', () => {
    expect(decideOnce({ version: '1', default: 'deny', tools: { refund_order: { deny_if: [{ conditions: [], on_deny: 'Requires human approval.' }] } } }, 'refund_order')).toMatchObject({
      outcome: 'deny',
      rule: '/tools/refund_order/deny_if/0',
      message: 'Requires human approval.',
    });
    expect(decideOnce({ version: '1', default: 'deny', tools: { t: { deny_if: [{}] } } }, 't').outcome).toBe('deny');
  });

  it('all conditions of an entry must hold (AND)', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: { t: { deny_if: [{ conditions: [{ path: 'args.a', op: 'eq', value: 1 }, { path: 'args.b', op: 'eq', value: 2 }] }] } },
    };
    expect(decideOnce(document, 't', { a: 1, b: 2 }).outcome).toBe('deny');
    expect(decideOnce(document, 't', { a: 1 }).outcome).toBe('allow');
    expect(decideOnce(document, 't', { b: 2 }).outcome).toBe('allow');
  });

  it('deny_if does not fire on a missing argument; require fails on one, naming it', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        t: {
          deny_if: [{ conditions: [{ path: 'args.amount', op: 'gt', value: 100 }] }],
          require: [{ conditions: [{ path: 'args.reason', op: 'exists' }, { path: 'args.amount', op: 'lte', value: 50 }] }],
        },
      },
    };
    expect(decideOnce(document, 't', {})).toMatchObject({ outcome: 'deny', rule: '/tools/t/require/0', message: 'Call to "t" does not meet /tools/t/require/0: args.reason must be present' });
    expect(decideOnce(document, 't', { reason: 'x' }).message).toBe('Call to "t" does not meet /tools/t/require/0: args.amount is missing');
    expect(decideOnce(document, 't', { reason: 'x', amount: 70 }).message).toBe('Call to "t" does not meet /tools/t/require/0: args.amount lte 50 does not hold');
    expect(decideOnce(document, 't', { reason: 'x', amount: 7 }).outcome).toBe('allow');
  });

  it('require uses on_deny when given', () => {
    const document: PolicyDocument = { version: '1', default: 'deny', tools: { t: { require: [{ conditions: [{ path: 'args.reason', op: 'exists' }], on_deny: 'Give a reason.' }] } } };
    expect(decideOnce(document, 't').message).toBe('Give a reason.');
  });

  it('require_approval: message or a default; conditions select the calls', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        a: { require_approval: [{ message: 'Check the code first.' }] },
        b: { require_approval: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'slicer.app.exit' }] }] },
      },
    };
    expect(decideOnce(document, 'a')).toMatchObject({ outcome: 'approval_required', message: 'Check the code first.' });
    expect(decideOnce(document, 'b', { code: 'slicer.app.exit()' })).toMatchObject({ outcome: 'approval_required', message: 'Calling "b" requires human approval' });
    expect(decideOnce(document, 'b', { code: 'print(1)' }).outcome).toBe('allow');
  });

  it('approval keeps the limits reserved (rolled back by the proxy when declined)', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 3, scope: 'grant' }], require_approval: [{}] } },
    };
    const d = decideOnce(document, 't');
    expect(d.outcome).toBe('approval_required');
    expect(d.reservations).toHaveLength(1);
  });
});

describe('rule pointers', () => {
  it('escape "/" and "~" in tool names (RFC 6901)', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        'fs/read~file': { deny_if: [{ conditions: [{ path: 'args.p', op: 'eq', value: '/etc' }] }], limits: [{ counter: 'c', window: 'minute', max: 0, scope: 'grant' }] },
        '~1': {},
      },
    };
    expect(decideOnce(document, 'fs/read~file', { p: '/etc' }).rule).toBe('/tools/fs~1read~0file/deny_if/0');
    expect(decideOnce(document, 'fs/read~file', {}).rule).toBe('/tools/fs~1read~0file/limits/0');
    expect(decideOnce(document, '~1').rule).toBe('/tools/~01');
    // The escaped spelling is a different, unlisted tool.
    expect(decideOnce(document, 'fs~1read~0file').rule).toBe(DEFAULT_DENY);
  });

  it('point at all_tools limits', () => {
    const d = decideOnce({ version: '1', default: 'allow', all_tools: { limits: [{ counter: 'c', window: 'minute', max: 0, scope: 'global' }] } }, 'x');
    expect(d.rule).toBe('/all_tools/limits/0');
  });

  it('tools named like Object.prototype members are ordinary names', () => {
    const document: PolicyDocument = { version: '1', default: 'deny', tools: { constructor: { deny_if: [{}] } } };
    expect(decideOnce(document, 'constructor').rule).toBe('/tools/constructor/deny_if/0');
    expect(decideOnce(document, 'toString').rule).toBe(DEFAULT_DENY);
    expect(decideOnce(document, '__proto__').rule).toBe(DEFAULT_DENY);
  });
});

describe('trace', () => {
  it('lists each rule considered, in order, with each condition, and nothing beyond the decisive step', () => {
    const document: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: {
        t: {
          deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'os.system' }] }],
          require: [{ conditions: [{ path: 'args.code', op: 'exists' }] }],
          limits: [{ counter: 'c', window: 'minute', max: 10, scope: 'grant' }],
        },
      },
    };
    const d = decideOnce(document, 't', { code: 'print(1)' });
    expect(d.trace!.map((s) => [s.rule, s.kind, s.result])).toEqual([
      [HIDDEN, 'hide', 'passed'],
      ['/tools/t', 'default', 'passed'],
      ['/tools/t/deny_if/0', 'deny_if', 'passed'],
      ['/tools/t/require/0', 'require', 'passed'],
      ['/tools/t/limits/0', 'limit', 'passed'],
      ['/tools/t', 'allow', 'matched'],
    ]);
    expect(d.trace![2]!.conditions).toEqual([{ path: 'args.code', op: 'contains', expected: 'os.system', present: true, actual: 'print(1)', held: false }]);
    expect(d.trace![4]!.counter).toMatchObject({ used: 0, amount: 1, max: 10, windowEndMs: T + 60_000 });

    const denied = decideOnce(document, 't', { code: 'os.system("x")' });
    expect(denied.trace!.map((s) => s.rule)).toEqual([HIDDEN, '/tools/t', '/tools/t/deny_if/0']);
    expect(denied.trace![2]!.result).toBe('matched');
  });

  it('is absent without the trace option, and the decision is otherwise identical', () => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { deny_if: [{ conditions: [{ path: 'args.a', op: 'eq', value: 1 }] }] } } });
    const plain = decide(policy, makeCall('t', { args: { a: 1 } }), new MemoryCounterStore(), T);
    const traced = decide(policy, makeCall('t', { args: { a: 1 } }), new MemoryCounterStore(), T, { trace: true });
    expect(plain.trace).toBeUndefined();
    const { trace: _trace, ...rest } = traced;
    expect(rest).toEqual(plain);
  });
});
