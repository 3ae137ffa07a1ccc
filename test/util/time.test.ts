import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoTime, IsoTimeFormatter } from '../../src/util/time.js';

// Any instant Date can represent, from before 1970 to past year 9999.
const instant = fc.integer({ min: -8.64e15, max: 8.64e15 - 2500 });

describe('IsoTimeFormatter', () => {
  it('writes what toISOString writes, however the times alternate', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 2500 })), { maxLength: 40 }), (times) => {
        const formatter = new IsoTimeFormatter();
        // Each time and one nearby, so the cached second is both hit and missed.
        for (const [ms, step] of times) {
          for (const t of [ms, ms + step]) {
            expect(formatter.format(t)).toBe(new Date(t).toISOString());
            expect(formatIsoTime(t)).toBe(new Date(t).toISOString());
          }
        }
      }),
    );
  });

  it('pads milliseconds and handles the second before the epoch', () => {
    const formatter = new IsoTimeFormatter();
    for (const ms of [1764748420000, 1764748420007, 1764748420070, 1764748420999, -1, -1000, -1001, 0]) {
      expect(formatter.format(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
