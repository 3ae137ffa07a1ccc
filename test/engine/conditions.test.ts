import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { conditionHolds, traceCondition } from '../../src/engine/conditions.js';
import type { Condition } from '../../src/policy/schema.js';

/** Compiles one condition the way the engine does (regexes included) and evaluates it. */
function holds(condition: Condition, args: unknown): boolean {
  const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { deny_if: [{ conditions: [condition] }] } } });
  return conditionHolds(policy.tools.get('t')!.denyIf[0]!.conditions[0]!, args);
}

type Row = [args: unknown, expected: boolean];

describe('operators', () => {
  const cases: Array<[string, Condition, Row[]]> = [
    [
      'eq compares JSON values without coercion',
      { path: 'args.n', op: 'eq', value: 10 },
      [
        [{ n: 10 }, true],
        [{ n: 10.0 }, true],
        [{ n: '10' }, false],
        [{ n: 11 }, false],
        [{}, false],
        [{ n: null }, false],
      ],
    ],
    [
      'eq compares objects by members and arrays in order',
      { path: 'args.o', op: 'eq', value: { a: [1, 2], b: null } },
      [
        [{ o: { b: null, a: [1, 2] } }, true],
        [{ o: { a: [2, 1], b: null } }, false],
        [{ o: { a: [1, 2] } }, false],
        [{ o: { a: [1, 2], b: null, c: 1 } }, false],
        [{ o: [1, 2] }, false],
      ],
    ],
    [
      'neq holds only for a present, different value',
      { path: 'args.mode', op: 'neq', value: 'read' },
      [
        [{ mode: 'write' }, true],
        [{ mode: 'read' }, false],
        [{}, false],
        [{ mode: null }, true],
      ],
    ],
    [
      'in matches any item',
      { path: 'args.view', op: 'in', value: ['red', 'yellow', 1] },
      [
        [{ view: 'red' }, true],
        [{ view: 1 }, true],
        [{ view: 'Red' }, false],
        [{ view: '1' }, false],
        [{}, false],
      ],
    ],
    [
      'not_in holds only for a present value outside the list',
      { path: 'args.view', op: 'not_in', value: ['red'] },
      [
        [{ view: 'green' }, true],
        [{ view: 'red' }, false],
        [{}, false],
      ],
    ],
    [
      'lt', { path: 'args.n', op: 'lt', value: 5 },
      [[{ n: 4 }, true], [{ n: 5 }, false], [{ n: '4' }, false], [{}, false], [{ n: null }, false], [{ n: [4] }, false]],
    ],
    ['lte', { path: 'args.n', op: 'lte', value: 5 }, [[{ n: 5 }, true], [{ n: 5.0001 }, false], [{ n: -1e308 }, true], [{ n: true }, false]]],
    ['gt', { path: 'args.n', op: 'gt', value: 5 }, [[{ n: 6 }, true], [{ n: 5 }, false], [{ n: '6' }, false], [{}, false]]],
    ['gte', { path: 'args.n', op: 'gte', value: 5 }, [[{ n: 5 }, true], [{ n: 4.9 }, false], [{ n: {} }, false]]],
    [
      'regex searches strings, unanchored, with no flags',
      { path: 'args.code', op: 'regex', value: 'import\\s+os' },
      [
        [{ code: 'x=1\nimport  os' }, true],
        [{ code: 'IMPORT OS' }, false],
        [{ code: 'importos' }, false],
        [{ code: ['import os'] }, false],
        [{ code: 42 }, false],
        [{}, false],
      ],
    ],
    [
      'regex anchored with ^…$ matches the whole string',
      { path: 'args.name', op: 'regex', value: '^[a-z]+$' },
      [
        [{ name: 'abc' }, true],
        [{ name: 'abc1' }, false],
      ],
    ],
    [
      'contains: substring of a string',
      { path: 'args.code', op: 'contains', value: 'os.system' },
      [
        [{ code: 'import os; os.system("ls")' }, true],
        [{ code: 'OS.SYSTEM' }, false],
        [{ code: 7 }, false],
        [{ code: { x: 'os.system' } }, false],
        [{}, false],
      ],
    ],
    [
      'contains: an item of an array, compared as JSON',
      { path: 'args.tags', op: 'contains', value: { k: 1 } },
      [
        [{ tags: [{ k: 1 }, 2] }, true],
        [{ tags: [{ k: 2 }] }, false],
        [{ tags: '{"k":1}' }, false],
      ],
    ],
    [
      'contains: a non-string value never matches inside a string',
      { path: 'args.code', op: 'contains', value: 1 },
      [
        [{ code: 'a1' }, false],
        [{ code: [1] }, true],
      ],
    ],
    [
      'exists (default true)',
      { path: 'args.reason', op: 'exists' },
      [
        [{ reason: 'x' }, true],
        [{ reason: null }, true],
        [{ reason: '' }, true],
        [{}, false],
        // Where no name matches exactly, one that differs only in case does, as Go servers read it.
        [{ Reason: 'x' }, true],
        [{ reason_: 'x' }, false],
      ],
    ],
    [
      'exists: false holds when absent',
      { path: 'args.reason', op: 'exists', value: false },
      [
        [{}, true],
        [{ reason: null }, false],
      ],
    ],
  ];
  for (const [name, condition, rows] of cases) {
    it(name, () => {
      for (const [args, expected] of rows) expect({ args, held: holds(condition, args) }).toEqual({ args, held: expected });
    });
  }
});

describe('paths', () => {
  it('follows nested objects and array indexes', () => {
    expect(holds({ path: 'args.edits.1.oldText', op: 'eq', value: 'b' }, { edits: [{ oldText: 'a' }, { oldText: 'b' }] })).toBe(true);
    expect(holds({ path: 'args.edits.2.oldText', op: 'exists' }, { edits: [{}, {}] })).toBe(false);
    expect(holds({ path: 'args.edits.01', op: 'exists' }, { edits: [1, 2] })).toBe(false);
    expect(holds({ path: 'args.edits.-1', op: 'exists' }, { edits: [1, 2] })).toBe(false);
    expect(holds({ path: 'args.edits.length', op: 'exists' }, { edits: [1, 2] })).toBe(false);
    expect(holds({ path: 'args.o.0', op: 'eq', value: 'x' }, { o: { '0': 'x' } })).toBe(true);
  });

  it('never reaches prototypes', () => {
    for (const path of ['args.constructor', 'args.__proto__', 'args.toString', 'args.s.length', 'args.hasOwnProperty']) {
      expect(holds({ path, op: 'exists' }, { s: 'abc' })).toBe(false);
    }
    const own = JSON.parse('{"__proto__": {"x": 1}}');
    expect(holds({ path: 'args.__proto__.x', op: 'eq', value: 1 }, own)).toBe(true);
  });

  it('stops at scalars and null', () => {
    expect(holds({ path: 'args.a.b', op: 'exists' }, { a: 'string' })).toBe(false);
    expect(holds({ path: 'args.a.b', op: 'exists' }, { a: null })).toBe(false);
    expect(holds({ path: 'args.a.b', op: 'exists' }, null)).toBe(false);
  });

  it('`args` alone is the whole argument object', () => {
    expect(holds({ path: 'args', op: 'eq', value: {} }, {})).toBe(true);
    expect(holds({ path: 'args', op: 'exists' }, {})).toBe(true);
    expect(holds({ path: 'args', op: 'exists' }, undefined)).toBe(false);
  });

  it('traces the value found and whether it was present', () => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { deny_if: [{ conditions: [{ path: 'args.n', op: 'gt', value: 3 }] }] } } });
    const condition = policy.tools.get('t')!.denyIf[0]!.conditions[0]!;
    expect(traceCondition(condition, { n: 5 })).toEqual({ path: 'args.n', op: 'gt', expected: 3, present: true, actual: 5, held: true });
    expect(traceCondition(condition, {})).toEqual({ path: 'args.n', op: 'gt', expected: 3, present: false, actual: undefined, held: false });
  });
});

describe('compile', () => {
  it('rejects an invalid regular expression with its pointer', () => {
    expect(() => compilePolicy({ version: '1', default: 'deny', tools: { 'a/b': { require: [{ conditions: [{ path: 'args.x', op: 'regex', value: '(' }] }] } } })).toThrow(
      /^\/tools\/a~1b\/require\/0\/conditions\/0\/value: invalid regular expression/,
    );
  });
});
