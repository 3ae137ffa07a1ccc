import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands, plural } from '../../src/output/plural.js';

const numbers = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -0, 1, 999, 1000, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 0.5, -1.25, Number.NaN, Infinity),
  fc.double(),
);

/** The reference: what the formatter replaces. */
const agreesWithIcu = (format: (n: number) => string) => fc.assert(fc.property(numbers, (n) => format(n) === n.toLocaleString('en-US')), { numRuns: 5000 });

describe('groupThousands', () => {
  it('writes what toLocaleString("en-US") writes, for any number', () => {
    agreesWithIcu(groupThousands);
  });

  it('the property catches a grouper that counts its commas from the left', () => {
    const fromTheLeft = (n: number) => (Number.isSafeInteger(n) ? String(n).replace(/(\d{3})(?=\d)/g, '$1,') : n.toLocaleString('en-US'));
    expect(() => agreesWithIcu(fromTheLeft)).toThrow();
  });

  it('names the count with its noun', () => {
    expect(plural(1, 'call')).toBe('1 call');
    expect(plural(1234567, 'call')).toBe('1,234,567 calls');
    expect(plural(2, 'policy', 'policies')).toBe('2 policies');
  });
});
