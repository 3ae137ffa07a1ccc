/**
 * The properties of lax reading (src/engine/conditions.ts), shared by lax-properties.test.ts and
 * lax-properties-broken.test.ts (which mocks a conversion away and expects them to fail).
 *
 * 1. Monotonic: a deny_if condition that held as sent still holds; a require condition that failed
 *    as sent still fails; for values no Python validator reads differently, nothing changes.
 * 2. Sound against pydantic (the oracle: real pydantic and json.loads, fixtures/servers/pydantic-lax):
 *    whatever a Python server may turn the value into, a deny_if condition that holds for what the
 *    server receives holds for what was sent; a require condition that passes for what was sent
 *    passes for what the server receives, in the types the condition compares.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { compilePolicy, type CompiledCondition } from '../../src/engine/compile.js';
import { conditionHolds, conditionHoldsFor } from '../../src/engine/conditions.js';
import { OPERATORS, type Condition } from '../../src/policy/schema.js';
import { ROOT } from '../helpers/cli.js';
import type { Requirement } from '../helpers/requirements.js';

const SCRIPT = resolve(ROOT, 'fixtures/servers/pydantic-lax/lax_reading.py');

export const pydantic: Requirement = (() => {
  const found = spawnSync('python3', ['-c', 'import pydantic; assert pydantic.VERSION.startswith("2.")'], { stdio: 'ignore' });
  return {
    ok: !found.error && found.status === 0,
    reason: 'python3 with pydantic 2 is not installed (pip install "pydantic>=2"; Debian 12 packages only pydantic 1, so these tests run where the machine has it)',
    optionalInCi: true,
  };
})();

const WORDS = ['yes', 'no', 'on', 'off', 'true', 'false', 'TRUE', 'y', 'n', 't', 'f', '0', '1', 'unsafe', 'safe', 'rm', 'x'];

/** A value and some of the ways a client could spell it for a Python server. */
const scalar = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 100, 101, 1000, 0.5, 1e21, true, false, null),
  fc.integer({ min: -2000, max: 2000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(...WORDS),
);

function spellings(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'number') {
    const s = String(value);
    return fc.constantFrom(value, s, ` ${s} `, `\u00a0${s}`, s.replace(/(\d)(\d)/, '$1_$2'), `${s}.0`, value.toExponential(), `+${s}`, `0${s}`);
  }
  if (typeof value === 'boolean') return fc.constantFrom(value, String(value), value ? 'yes' : 'no', value ? 'On' : 'OFF', value ? 1 : 0, value ? '1' : '0', value ? 't' : 'F');
  return fc.constant(value);
}

const hostileScalar = scalar.chain((value) => spellings(value));
const structure = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileScalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'mode', 'A'), tie('value'), { maxKeys: 3 })),
})).value;
/** Structures, also as JSON strings (sometimes with JSON strings inside, which no server parses twice). */
export const hostileValue = fc.oneof(
  structure,
  structure.map((v) => JSON.stringify(v)),
  structure.map((v) => JSON.stringify({ a: JSON.stringify(v), b: v })),
  structure.map((v) => ` ${JSON.stringify(v)}\n`),
);

const policyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.constantFrom('a', 'b', 'mode'), scalar, { maxKeys: 2 }));
export const condition: fc.Arbitrary<Condition> = fc
  .record({ path: fc.constantFrom('args.a', 'args.a.a', 'args.a.b', 'args.a.0', 'args.a.mode', 'args.b'), op: fc.constantFrom(...OPERATORS.filter((op) => op !== 'python')), value: policyValue })
  .map(({ path, op, value }): Condition => {
    if (op === 'in' || op === 'not_in') return { path, op, value: Array.isArray(value) ? value : [value] } as Condition;
    if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') return { path, op, value: typeof value === 'number' ? value : 100 } as Condition;
    if (op === 'regex') return { path, op, value: typeof value === 'string' ? `^${value}` : '^[0-9]' } as Condition;
    if (op === 'exists') return { path, op, value: typeof value === 'boolean' ? value : true } as Condition;
    return { path, op, value } as Condition;
  });

export function compiled(c: Condition): CompiledCondition {
  return compilePolicy({ version: '1', default: 'deny', tools: { t: { deny_if: [{ conditions: [c] }] } } }).tools.get('t')!.denyIf[0]!.conditions[0]!;
}

/** Property 1 over generated cases; returns the first counterexample's description, or undefined. */
export function monotonicCounterexample(numRuns: number): string | undefined {
  const result = fc.check(
    fc.property(condition, hostileValue, hostileValue, (c, a, b) => {
      const cc = compiled(c);
      const args = { a, b };
      const asSent = conditionHolds(cc, args);
      if (asSent && !conditionHoldsFor(cc, args, 'restrictive')) return false;
      if (!asSent && conditionHoldsFor(cc, args, 'permissive')) return false;
      return true;
    }),
    { numRuns, seed: 1515 },
  );
  return result.failed ? JSON.stringify(result.counterexample) : undefined;
}

/** Values no Python validator reads otherwise: no numeric or boolean strings, no 0/1, no booleans, no JSON text. */
export const plainValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(2, -1, 100, 101, 1000, 0.5, null, 'unsafe', 'safe', 'rm', 'x', 'abc'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'mode'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

export function unchangedCounterexample(numRuns: number): string | undefined {
  const result = fc.check(
    fc.property(condition, plainValue, plainValue, (c, a, b) => {
      const cc = compiled(c);
      const args = { a, b };
      const asSent = conditionHolds(cc, args);
      return conditionHoldsFor(cc, args, 'restrictive') === asSent && conditionHoldsFor(cc, args, 'permissive') === asSent;
    }),
    { numRuns, seed: 1516 },
  );
  return result.failed ? JSON.stringify(result.counterexample) : undefined;
}

export type PyNumber = number | 'nan' | 'inf' | '-inf' | null;
/** Real pydantic's readings of one value (fixtures/servers/pydantic-lax/lax_reading.py). */
export interface PyReading {
  int: PyNumber;
  float: PyNumber;
  decimal: PyNumber;
  bool: boolean | null;
  json: { kind: string; text: string } | null;
}

/** Asks real pydantic, once for all the values. */
export function pythonReadings(values: unknown[]): PyReading[] {
  const run = spawnSync('python3', [SCRIPT], { input: JSON.stringify(values), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as PyReading[];
}

/** What a Python server may receive for `value` given as the top-level argument `a`: one entry per type that accepts it. */
function serverReadings(py: PyReading): unknown[] {
  const out: unknown[] = [];
  for (const n of [py.int, py.float, py.decimal]) if (n !== null) out.push(n === 'nan' ? Number.NaN : n === 'inf' ? Infinity : n === '-inf' ? -Infinity : n);
  if (py.bool !== null) out.push(py.bool);
  if (py.json && !/NaN|Infinity/.test(py.json.text)) out.push(JSON.parse(py.json.text));
  return out;
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** The JSON types a condition compares with (for a require, a reading of another type is one it is not about). */
function comparedTypes(c: Condition): Set<string> {
  switch (c.op) {
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return new Set(['number']);
    case 'in':
    case 'not_in':
      return new Set((c.value as unknown[]).map(jsonType));
    case 'contains':
      return new Set(['array', ...(typeof c.value === 'string' ? ['string'] : [])]);
    case 'regex':
      return new Set(['string']);
    case 'exists':
      return new Set();
    default:
      return new Set([jsonType(c.value)]);
  }
}

/**
 * A case aimed at a conversion: a condition about a value, and that value spelt some other way, as
 * the argument itself, inside an array, or inside an object sent as a JSON string.
 */
const intent = fc.oneof(fc.boolean(), fc.constantFrom(0, 1, -1, 100, 1000, 0.5), fc.integer({ min: -2000, max: 2000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }));
const aimed: fc.Arbitrary<[Condition, unknown]> = intent.chain((x) =>
    fc.tuple(
      fc.constantFrom('eq', 'in', 'neq', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains'),
      spellings(x),
      fc.constantFrom('plain', 'json-member'),
    ).map(([op, spelt, wrap]): [Condition, unknown] => {
      const path = wrap === 'json-member' ? 'args.a.mode' : 'args.a';
      const n = typeof x === 'number' ? x : x === true ? 1 : 0;
      const value = op === 'in' || op === 'not_in' ? [x, 'zzz'] : op === 'gt' ? n - 1 : op === 'lt' ? n + 1 : op === 'gte' || op === 'lte' ? n : x;
      const sent = op === 'contains' ? [spelt] : spelt;
      return [{ path, op, value } as Condition, wrap === 'json-member' ? JSON.stringify({ mode: sent }) : sent];
    }),
  );

/**
 * Property 2 over `numRuns` sampled cases, with real pydantic as the oracle. The server's reading of
 * the top-level argument `a` replaces it; every failure is returned as text.
 */
export function soundnessFailures(numRuns: number, seed = 1517): string[] {
  const cases = fc.sample(fc.oneof(fc.tuple(condition, hostileValue), aimed), { numRuns, seed });
  const python = pythonReadings(cases.map(([, v]) => v));
  const failures: string[] = [];
  cases.forEach(([c, value], i) => {
    const cc = compiled(c);
    const sent = { a: value };
    const restrictive = conditionHoldsFor(cc, sent, 'restrictive');
    const permissive = conditionHoldsFor(cc, sent, 'permissive');
    for (const received of serverReadings(python[i]!)) {
      const atServer = conditionHolds(cc, { a: received });
      // Bound: readings in the types the condition compares, and a JSON reading it walks into. A reading
      // in another type cannot make eq/in/lt/regex/contains hold, and makes neq/not_in hold only because
      // the types differ: the one value the rule allows ("yes" for neq "yes") is still the one it allows.
      const bound = c.op === 'exists' || comparedTypes(c).has(jsonType(received)) || (typeof value === 'string' && c.path.startsWith('args.a.'));
      if (!bound) continue;
      if (atServer && !restrictive) failures.push(`deny_if ${JSON.stringify(c)} holds for what the server receives (${JSON.stringify(received)}) but not for ${JSON.stringify(value)}`);
      if (permissive && !atServer) failures.push(`require ${JSON.stringify(c)} passes for ${JSON.stringify(value)} but fails for what the server receives (${JSON.stringify(received)})`);
    }
  });
  return failures;
}
