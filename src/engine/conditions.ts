import { lookup } from './args.js';
import { jsonEqual } from '../util/json.js';
import type { CompiledCondition } from './compile.js';
import type { ConditionTrace } from './types.js';
import { guardFinding } from './code-analysis.js';

/**
 * Whether one condition holds for the arguments. No type coercion: "10" is not 10.
 * An absent path makes every operator false except `exists` (which then holds for `value: false`).
 */
export function conditionHolds(condition: CompiledCondition, args: unknown): boolean {
  const { present, value } = lookup(args, condition.segments);
  return holds(condition, present, value);
}

export function traceCondition(condition: CompiledCondition, args: unknown): ConditionTrace {
  const { present, value } = lookup(args, condition.segments);
  if (condition.guard) {
    const finding = present ? guardFinding(condition.guard, value) : undefined;
    return { path: condition.path, op: condition.op, expected: condition.value, present, actual: value, held: finding !== undefined, ...(finding ? { finding } : {}) };
  }
  return { path: condition.path, op: condition.op, expected: condition.value, present, actual: value, held: holds(condition, present, value) };
}

function holds(condition: CompiledCondition, present: boolean, value: unknown): boolean {
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return present === (expected === undefined ? true : expected === true);
    case 'eq':
      return present && jsonEqual(value, expected);
    case 'neq':
      return present && !jsonEqual(value, expected);
    case 'in':
      return present && (expected as unknown[]).some((item) => jsonEqual(value, item));
    case 'not_in':
      return present && !(expected as unknown[]).some((item) => jsonEqual(value, item));
    case 'lt':
      return present && typeof value === 'number' && value < (expected as number);
    case 'lte':
      return present && typeof value === 'number' && value <= (expected as number);
    case 'gt':
      return present && typeof value === 'number' && value > (expected as number);
    case 'gte':
      return present && typeof value === 'number' && value >= (expected as number);
    case 'regex':
      return present && typeof value === 'string' && condition.regex!.test(value);
    case 'python':
      // Holds when the code breaks the guard; an absent argument, like for every operator, does not hold.
      return present && guardFinding(condition.guard!, value) !== undefined;
    case 'contains':
      if (!present) return false;
      if (typeof value === 'string') return typeof expected === 'string' && value.includes(expected);
      if (Array.isArray(value)) return value.some((item) => jsonEqual(item, expected));
      return false;
  }
}

export function allHold(conditions: readonly CompiledCondition[], args: unknown): boolean {
  for (const condition of conditions) if (!conditionHolds(condition, args)) return false;
  return true;
}
