import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotMap } from '../../src/util/slot-map.js';

type Op = { kind: 'set'; key: number | string; value: number } | { kind: 'delete'; key: number | string } | { kind: 'clear' };

// Few keys, so sets, overwrites and deletes meet; 7 and "7" must stay apart, as in a Map, and -0
// is 0. With a ring of 8 places, 3, 11 and 35 share a place; 2^31 and 1.5 never go to the ring.
const key = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom('7', '1', 'a', '', -0, 2 ** 31, 1.5));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('SlotMap', () => {
  it('behaves as a Map: lookups, deletes, size and insertion order', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.constantFrom(1, 8, 1024), (ops, ringSize) => {
        const slots = new SlotMap<number | string, number>(ringSize);
        const map = new Map<number | string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            slots.set(o.key, o.value);
            map.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            expect(slots.delete(o.key)).toBe(map.delete(o.key));
          } else {
            slots.clear();
            map.clear();
          }
          expect(slots.size).toBe(map.size);
        }
        expect(slots.keys()).toEqual([...map.keys()]);
        expect(slots.values()).toEqual([...map.values()]);
        for (const k of [-3, 0, -0, 3, 11, 7, '7', 'a', 41, 2 ** 31, 1.5]) {
          expect(slots.get(k)).toBe(map.get(k));
          expect(slots.has(k)).toBe(map.has(k));
        }
      }),
    );
  });

  it('starts small again when it empties after a burst, and still works', () => {
    const slots = new SlotMap<number | string, string>();
    // 0-1023 take the ring's places; the rest find theirs taken and go to the Map side.
    for (let i = 0; i < 5000; i++) slots.set(i, `v${i}`);
    expect((slots as unknown as { slots: unknown[] }).slots.length).toBe(5000 - 1024);
    for (let i = 0; i < 5000; i++) slots.delete(i);
    expect(slots.size).toBe(0);
    slots.set('again', 'again');
    slots.set(1, 'one');
    expect([slots.get('again'), slots.get(1)]).toEqual(['again', 'one']);
    expect((slots as unknown as { slots: unknown[] }).slots.length).toBe(1);
  });

  it('takes only a power of two for the ring', () => {
    expect(() => new SlotMap(12)).toThrow(RangeError);
  });

  it('lets deleted values die young even once its table is old (a Map does not)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const oldSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')!.space_used_size;
    type Table = { set(key: number, value: unknown): unknown; delete(key: number): boolean };
    // The proxy's pattern: a table aged by an idle spell, then 48 calls in flight under constant churn.
    const churn = (table: Table, keyOf: (i: number) => number): number => {
      table.set(-1, {});
      gc();
      gc();
      table.delete(-1);
      const before = oldSpaceUsed();
      for (let i = 0; i < 40_000; i++) {
        table.set(keyOf(i), new Array(128).fill(i));
        if (i >= 48) table.delete(keyOf(i - 48));
      }
      return (oldSpaceUsed() - before) / 1e6;
    };
    const ids = (i: number): number => i;
    // Negative keys never go to the ring: the Map side is measured.
    const negative = (i: number): number => -2 - i;
    const promotedByRing = churn(new SlotMap(), ids);
    const promotedBySlots = churn(new SlotMap(), negative);
    // The control shows that this V8 still keeps a Map's old tables' values alive (2-20 MB here,
    // depending on the heap's state): if it stops, the SlotMap may no longer be needed.
    const promotedByMap = churn(new Map(), negative);
    expect(promotedByMap).toBeGreaterThan(2);
    expect(promotedByRing).toBeLessThan(promotedByMap / 4);
    expect(promotedBySlots).toBeLessThan(promotedByMap / 4);
  });

});
