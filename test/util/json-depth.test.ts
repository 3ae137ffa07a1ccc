import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/util/json-depth.js';

/** The reference: a recursive walk (fine for the small values fast-check makes). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const member of Object.values(value)) deepest = Math.max(deepest, depthOf(member));
  return deepest + 1;
}

function nested(levels: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

describe('nestsDeeperThan', () => {
  it('agrees with a recursive walk on any JSON value, at every limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        // The text padded so that the short-text shortcut never decides: only the walk is tested here.
        const text = JSON.stringify(value).padEnd(2 * limit + 1);
        expect(nestsDeeperThan(value, text, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 2000 },
    );
  });

  it('settles the boundary exactly, for arrays and objects, and walks a million levels without a stack', () => {
    for (const kind of ['array', 'object'] as const) {
      for (const [levels, deeper] of [[512, false], [513, true]] as const) {
        const text = nested(levels, kind);
        expect(nestsDeeperThan(JSON.parse(text), text, 512)).toBe(deeper);
      }
      const text = nested(1_000_000, kind);
      expect(nestsDeeperThan(JSON.parse(text), text, 512)).toBe(true);
    }
  });

  it('the short-text shortcut is sound: no text of 2 × limit characters nests deeper than limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 12 }), (value, limit) => {
        const text = JSON.stringify(value);
        if (text.length <= 2 * limit) expect(depthOf(value)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 2000 },
    );
  });
});
