import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/util/canonical-json.js';

/** The reference: RFC 8785 member by member, as canonicalJson was written before its fast path. */
function reference(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('not a JSON number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => reference(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${reference(record[key])}`).join(',')}}`;
  }
  throw new TypeError('not a JSON value');
}

/** Member names that sort differently from how objects enumerate them (integer-like names first), or need escaping. */
const KEYS = ['a', 'b', 'B', '_', '0', '1', '9', '10', '01', '-1', '1.5', '__proto__', 'constructor', 'é', '\u2028', '"', '\\', '\ud800', '😀', 'ﬀ', ''];
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1, -1, 1e21, 1e-7, 0.1, 2 ** 53, 'x', '', '\u0000', '\ud800', 'é'),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    // Objects built as JSON.parse builds them (so `__proto__` is an own member), members in any order.
    fc.uniqueArray(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 3 })), tie('value')), { selector: ([key]) => key, maxLength: 5 }).map((entries) => JSON.parse(`{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`) as unknown),
  ),
})).value;

function outcome(write: () => string): string {
  try {
    return write();
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

describe('canonicalJson', () => {
  it('writes exactly what the member-by-member reference writes, for any parsed JSON value', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('and for values no parser makes: undefined members, holes, a Date, toJSON, a null prototype, a class', () => {
    class Point {
      constructor(
        readonly y = 2,
        readonly x = 1,
      ) {}
    }
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    const cases: unknown[] = [{ b: 1, a: undefined }, { a: undefined }, [1, undefined, 3], [1, , 3], { a: new Date(0) }, { a: { toJSON: () => 'x' } }, bare, new Point(), { a: [{ c: 1, b: 2 }] }, { a: 1, b: { d: 1, c: 2 } }];
    for (const value of cases) expect(outcome(() => canonicalJson(value))).toBe(outcome(() => reference(value)));
  });

  it('refuses what JSON cannot hold, as the reference does', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, { a: Number.NaN }, [1, () => 1], { a: Symbol('s') }, 10n]) {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    }
  });
});
