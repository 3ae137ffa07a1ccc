import { lookup } from './args.js';
import { isObject, jsonEqual } from '../util/json.js';
import type { CompiledCondition } from './compile.js';
import type { ConditionTrace, LaxNote } from './types.js';
import { guardFinding } from './code-analysis.js';
import { laxBoolean, laxNumber, preParsedJson } from './lax-reading.js';

/**
 * How a rule reads its conditions. `restrictive` (deny_if, require_approval): a condition holds when
 * it holds for the value as sent or as a lax Python validator reads it (lax-reading.ts).
 * `permissive` (require): only when it holds for both. Either way the value as sent still decides
 * as it always did: a deny_if fires on at least the calls it fired on, a require passes at most those.
 */
export type Reading = 'restrictive' | 'permissive';

/**
 * Whether one condition holds for the arguments exactly as sent: "10" is not 10.
 * An absent path makes every operator false except `exists` (which then holds for `value: false`).
 */
export function conditionHolds(condition: CompiledCondition, args: unknown): boolean {
  const { present, value } = lookup(args, condition.segments);
  return holds(condition, present, value);
}

/** Whether one condition holds for a rule that reads it `reading` (see Reading). */
export function conditionHoldsFor(condition: CompiledCondition, args: unknown, reading: Reading): boolean {
  const { present, value } = lookup(args, condition.segments);
  const asSent = holds(condition, present, value);
  if (reading === 'restrictive' ? asSent : !asSent) return asSent;
  return laxVerdict(condition, args, present, value, reading) === undefined ? asSent : !asSent;
}

export function traceCondition(condition: CompiledCondition, args: unknown, reading?: Reading): ConditionTrace {
  const { present, value } = lookup(args, condition.segments);
  const asSent = condition.guard ? present && guardFinding(condition.guard, value) !== undefined : holds(condition, present, value);
  const decisive = reading === undefined ? undefined : reading === 'restrictive' ? !asSent : asSent;
  const note = decisive ? laxVerdict(condition, args, present, value, reading!) : undefined;
  const held = note ? !asSent : asSent;
  const trace: ConditionTrace = { path: condition.path, op: condition.op, expected: condition.value, present, actual: value, held, ...(note ? { lax: note } : {}) };
  if (condition.guard) {
    const code = note?.via === 'json-member' ? note.value : value;
    const finding = held && (present || note) ? guardFinding(condition.guard, code) : undefined;
    if (finding) trace.finding = finding;
  }
  return trace;
}

/**
 * Where the value as sent did not decide, whether a lax reading does: for `restrictive`, a reading
 * for which the condition holds; for `permissive`, one for which it fails. Undefined when none does.
 */
function laxVerdict(condition: CompiledCondition, args: unknown, present: boolean, value: unknown, reading: Reading): LaxNote | undefined {
  const restrictive = reading === 'restrictive';
  // The SDK parses a string given for a top-level argument as JSON; a path may go on inside it.
  const segments = condition.segments;
  if (segments.length > 1) {
    const top = lookup(args, condition.head);
    if (top.present && typeof top.value === 'string') {
      const parsed = preParsedJson(top.value);
      if (parsed) {
        const member = lookup(parsed.value, condition.rest);
        // As sent, the path ends inside a string: absent. Read inside the JSON, it is a value like any other.
        if (member.present) {
          const memberHolds = holds(condition, true, member.value) || (restrictive && laxHolds(condition, member.value) !== undefined);
          if (memberHolds === restrictive) return { via: 'json-member', value: member.value, from: top.value };
        }
      }
    }
  }
  if (!present) return undefined;
  if (restrictive) {
    const note = laxHolds(condition, value);
    if (note) return note;
  } else {
    const note = laxFails(condition, value);
    if (note) return note;
  }
  // A string parameter keeps its text (pre_parse_json skips `str`), so the parsed reading counts only
  // for a condition about arrays, objects or null; for any other it can only be a false alarm.
  if (segments.length === 1 && typeof value === 'string' && aboutStructures(condition)) {
    const parsed = preParsedJson(value);
    if (!parsed) return undefined;
    const parsedHolds = holds(condition, true, parsed.value);
    if (restrictive ? parsedHolds || laxHolds(condition, parsed.value) : !parsedHolds || laxFails(condition, parsed.value)) return { via: 'json', value: parsed.value };
  }
  return undefined;
}

/** For a restrictive rule: the lax reading of `value` for which the condition holds, if any. */
function laxHolds(condition: CompiledCondition, value: unknown): LaxNote | undefined {
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
      return mayEqual(value, expected);
    case 'in':
      for (const item of expected as unknown[]) {
        const note = mayEqual(value, item);
        if (note) return note;
      }
      return undefined;
    case 'contains':
      if (!Array.isArray(value)) return undefined;
      for (const item of value) {
        const note = mayEqual(item, expected);
        if (note) return { via: 'items', value: value.map((v) => (v === item ? note.value : v)) };
      }
      return undefined;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof value === 'number') return undefined;
      const number = laxNumber(value);
      return number !== undefined && compare(condition.op, number, expected as number) ? { via: 'number', value: number } : undefined;
    }
    // neq, not_in: the value as sent differs already, or is of the very type compared with (no other reading).
    // regex, python: only strings match, and no reading makes a string. exists: a reading is present where the value is.
    default:
      return undefined;
  }
}

/** For a permissive rule whose condition holds as sent: the lax reading for which it fails, if any. */
function laxFails(condition: CompiledCondition, value: unknown): LaxNote | undefined {
  const expected = condition.value;
  switch (condition.op) {
    case 'neq':
      return mayEqual(value, expected);
    case 'not_in':
      for (const item of expected as unknown[]) {
        const note = mayEqual(value, item);
        if (note) return note;
      }
      return undefined;
    // eq, in, contains: the value as sent equals what the rule wants, in its type; a reading in another type
    // is one the rule is not about. lt…gte: a number is read as itself. regex, python, exists: as above.
    default:
      return undefined;
  }
}

/** Whether a permissive condition compares with arrays, objects or null, so a JSON-parsed string is what it is about. */
function aboutStructures(condition: CompiledCondition): boolean {
  const structured = (v: unknown) => v === null || typeof v === 'object';
  if (condition.op === 'exists' || condition.op === 'regex' || condition.op === 'python') return false;
  if (condition.op === 'in' || condition.op === 'not_in') return (condition.value as unknown[]).some(structured);
  if (condition.op === 'contains') return true;
  return structured(condition.value);
}

/**
 * The lax reading of `actual` that equals `expected`, if any (undefined also when they are equal as
 * sent: that is no lax reading). Toward a number, a string or boolean is read as a number; toward a
 * boolean, a string or 0/1 as a boolean; arrays and objects member by member. Nothing becomes a
 * string or null (pydantic's str does not take numbers; JSON null comes only from pre-parsing).
 */
function mayEqual(actual: unknown, expected: unknown): LaxNote | undefined {
  if (jsonEqual(actual, expected)) return undefined;
  const read = laxEqualReading(actual, expected);
  if (read === NO_READING) return undefined;
  return { via: typeof expected === 'number' ? 'number' : typeof expected === 'boolean' ? 'boolean' : 'items', value: read };
}

const NO_READING = Symbol('no reading');

/** `actual` as read toward `expected` when that reading equals it; NO_READING otherwise. */
function laxEqualReading(actual: unknown, expected: unknown): unknown {
  if (jsonEqual(actual, expected)) return actual;
  if (typeof expected === 'number') return laxNumber(actual) === expected ? expected : NO_READING;
  if (typeof expected === 'boolean') return laxBoolean(actual) === expected ? expected : NO_READING;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return NO_READING;
    const read = actual.map((item, i) => laxEqualReading(item, expected[i]));
    return read.includes(NO_READING) ? NO_READING : read;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return NO_READING;
    const keys = Object.keys(expected);
    if (Object.keys(actual).length !== keys.length || !keys.every((k) => Object.hasOwn(actual, k))) return NO_READING;
    const read: Record<string, unknown> = {};
    for (const k of keys) {
      const member = laxEqualReading(actual[k], expected[k]);
      if (member === NO_READING) return NO_READING;
      read[k] = member;
    }
    return read;
  }
  return NO_READING;
}

function compare(op: 'lt' | 'lte' | 'gt' | 'gte', a: number, b: number): boolean {
  return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : a >= b;
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

export function allHold(conditions: readonly CompiledCondition[], args: unknown, reading: Reading): boolean {
  for (const condition of conditions) if (!conditionHoldsFor(condition, args, reading)) return false;
  return true;
}
