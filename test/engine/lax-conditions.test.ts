/**
 * Conditions read as a Python server (FastMCP: pydantic lax mode, pre_parse_json) reads the value:
 * deny_if and require_approval hold when the value as sent or as read holds; require only when both do.
 * Each row is one conversion (docs/policy-language.md#conditions); the reference test checks the
 * conversions themselves against pydantic.
 */
import { describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { Condition } from '../../src/policy/schema.js';

const AT = Date.UTC(2026, 0, 1);

function outcome(kind: 'deny_if' | 'require' | 'require_approval', condition: Condition, args: unknown) {
  const rules = kind === 'require_approval' ? { require_approval: [{ conditions: [condition] }] } : { [kind]: [{ conditions: [condition] }] };
  return decide(compilePolicy({ version: '1', default: 'deny', tools: { t: rules } }), makeCall('t', { args }), new MemoryCounterStore(), AT, { trace: true });
}

describe('deny_if fires on what a Python server receives', () => {
  const cases: Array<[string, Condition, unknown[], unknown[]]> = [
    ['a number sent as a string', { path: 'args.amount', op: 'gt', value: 100 }, ['1000', ' 1000 ', '1e3', '1_000', '1000.0', '+1000', '02000', '١٠٠٠', 'inf', '\u00a01000'], ['100', 'abc', '1,000', '1 000', 'nan', '']],
    ['a negative number with leading zeros', { path: 'args.amount', op: 'lt', value: 0 }, ['0-2000', '-5', '-inf', '-1e3'], ['5', '0', 'abc']],
    ['true spelt otherwise', { path: 'args.force', op: 'eq', value: true }, ['yes', 'true', 'True', 'on', 'ON', 'y', 't', '1', 1, 1.0], ['no', 0, 2, ' yes', 'yes ', 'sure', null]],
    ['false spelt otherwise', { path: 'args.force', op: 'in', value: [false] }, ['no', 'off', 'f', 'n', '0', 0, 'FALSE'], ['yes', 1, '']],
    ['a boolean as a number', { path: 'args.count', op: 'gte', value: 1 }, [true], [false]],
    ['an object sent as a JSON string', { path: 'args.config.mode', op: 'eq', value: 'unsafe' }, ['{"mode":"unsafe"}', ' {"mode": "unsafe"} '], ['{"mode":"safe"}', '{"mode":"unsafe"', 'mode=unsafe']],
    ['a number inside a JSON string', { path: 'args.config.amount', op: 'gt', value: 100 }, ['{"amount": 1000}', '{"amount": "1000"}', '{"amount": Infinity}'], ['{"amount": 5}', '{"amount": NaN}']],
    ['a list sent as a JSON string', { path: 'args.files', op: 'contains', value: '/etc/passwd' }, ['["\\/etc\\/passwd"]', '["a", "/etc/passwd"]'], ['["\\/etc\\/shadow"]']],
    ['list items spelt otherwise', { path: 'args.flags', op: 'contains', value: true }, [['no', 'yes'], [0, 1]], [['no'], [2]]],
    ['an object compared whole', { path: 'args.opts', op: 'eq', value: { force: true, n: 5 } }, [{ force: 'yes', n: '5' }, '{"force": 1, "n": 5.0}'], [{ force: 'no', n: 5 }, { force: true, n: 5, x: 1 }]],
    ['null sent as a string', { path: 'args.target', op: 'eq', value: null }, ['null'], ['None', 'nul']],
  ];
  for (const [name, condition, fire, quiet] of cases) {
    it(name, () => {
      for (const value of fire) expect(outcome('deny_if', condition, { [condition.path.split('.')[1]!]: value }).outcome, JSON.stringify(value)).toBe('deny');
      for (const value of quiet) expect(outcome('deny_if', condition, { [condition.path.split('.')[1]!]: value }).outcome, JSON.stringify(value)).toBe('allow');
    });
  }

  it('require_approval reads the same way', () => {
    expect(outcome('require_approval', { path: 'args.force', op: 'eq', value: true }, { force: 'on' }).outcome).toBe('approval_required');
  });

  it('a JSON string one level down is not parsed again (the SDK parses top-level arguments only)', () => {
    expect(outcome('deny_if', { path: 'args.config.inner.mode', op: 'eq', value: 'unsafe' }, { config: { inner: '{"mode":"unsafe"}' } }).outcome).toBe('allow');
  });
});

describe('require passes only when both readings pass', () => {
  it('denies a value that passes as sent but not as read', () => {
    for (const force of ['yes', 'true', 1, '1', 'on']) expect(outcome('require', { path: 'args.force', op: 'neq', value: true }, { force }).outcome, String(force)).toBe('deny');
    expect(outcome('require', { path: 'args.amount', op: 'not_in', value: [1000] }, { amount: '1000' }).outcome).toBe('deny');
    expect(outcome('require', { path: 'args.config.mode', op: 'exists', value: false }, { config: '{"mode": "x"}' }).outcome).toBe('deny');
    expect(outcome('require', { path: 'args.items', op: 'neq', value: [1] }, { items: '[1]' }).outcome).toBe('deny');
  });

  it('keeps passing values whose other readings are of a type the condition is not about', () => {
    expect(outcome('require', { path: 'args.count', op: 'lte', value: 10 }, { count: 1 }).outcome).toBe('allow'); // 1 could be True for a bool
    expect(outcome('require', { path: 'args.level', op: 'eq', value: 1 }, { level: 1 }).outcome).toBe('allow');
    expect(outcome('require', { path: 'args.mode', op: 'in', value: ['yes', 'no'] }, { mode: 'yes' }).outcome).toBe('allow');
    expect(outcome('require', { path: 'args.query', op: 'regex', value: '^\\[' }, { query: '[1, 2]' }).outcome).toBe('allow'); // a str parameter keeps JSON text
    expect(outcome('require', { path: 'args.name', op: 'eq', value: '[1]' }, { name: '[1]' }).outcome).toBe('allow');
  });

  it('never passes what failed as sent', () => {
    expect(outcome('require', { path: 'args.amount', op: 'lte', value: 100 }, { amount: '50' }).outcome).toBe('deny');
  });

  it('says so without naming the argument value (the message goes into logs)', () => {
    const decision = outcome('require', { path: 'args.force', op: 'neq', value: true }, { force: 'yes' });
    expect(decision.message).toBe('Call to "t" does not meet /tools/t/require/0: args.force neq true does not hold as a Python server reads args.force');
    expect(decision.logMessage).toBeUndefined();
    const nested = outcome('require', { path: 'args.config.mode', op: 'exists', value: false }, { config: '{"mode": "S3CRET"}' });
    expect(nested.message).toBe('Call to "t" does not meet /tools/t/require/0: args.config.mode must be absent as a Python server reads the JSON string in args.config');
  });
});

describe('the trace says which reading decided', () => {
  it('for explain', () => {
    const decision = outcome('deny_if', { path: 'args.amount', op: 'gt', value: 100 }, { amount: '1000' });
    expect(decision.trace![2]!.conditions![0]).toMatchObject({ held: true, actual: '1000', lax: { via: 'number', value: 1000 } });
    const nested = outcome('deny_if', { path: 'args.config.mode', op: 'eq', value: 'unsafe' }, { config: '{"mode":"unsafe"}' });
    expect(nested.trace![2]!.conditions![0]).toMatchObject({ held: true, present: false, lax: { via: 'json-member', value: 'unsafe', from: '{"mode":"unsafe"}' } });
    const plain = outcome('deny_if', { path: 'args.amount', op: 'gt', value: 100 }, { amount: 1000 });
    expect(plain.trace![2]!.conditions![0]!.lax).toBeUndefined();
  });
});
