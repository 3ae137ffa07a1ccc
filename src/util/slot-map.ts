/**
 * A Map for short-lived entries under constant churn (the proxy's calls in flight, set when a call
 * goes out and deleted when it is answered), with Map's behaviour: lookups by SameValueZero, and
 * keys and values listed in insertion order.
 *
 * Why not a Map: V8 compacts a Map's hash table into a new one every few dozen deletes, and the old
 * table keeps its entries and a link to its successor (for iterators still walking it). Once one
 * table in the chain has reached the old generation, every later table, and every value it ever
 * held, stays reachable from it until the next full collection. With a plain Map of calls in flight
 * each call's record, decision and parsed message survived two scavenges and was copied twice:
 * 0.4-0.5 µs of garbage collection per call, a fifth of the proxy's work then
 * (bench/proxy-work.bench.mjs). Here values live in arrays whose slots are cleared on delete, and
 * the Map holds only slot numbers.
 *
 * Keys that are integers from 0 to 2^31 - 1, as JSON-RPC clients number their requests, first go
 * to a direct-mapped ring (the key's low bits are its place): a set, get and delete cost 10 ns there
 * against 60 ns through a Map. A key whose place is taken, and any other key, goes to the Map.
 */
const RING_SIZE = 1024;
const EMPTY = -1;
/** Slots kept for reuse when the Map side empties; beyond this they are let go. */
const SHRINK_ABOVE = 1024;

export class SlotMap<K, V> {
  private readonly ringKeys: Int32Array;
  private readonly ringValues: Array<V | undefined>;
  /** When each ring entry was inserted, so that keys() and values() keep insertion order. */
  private readonly ringOrder: Float64Array;
  private readonly ringMask: number;
  private ringSize = 0;
  private readonly slotOf = new Map<K, number>();
  private slots: Array<V | undefined> = [];
  private slotOrder: number[] = [];
  private free: number[] = [];
  private inserted = 0;

  /** `ringSize` (a power of two) is a parameter so tests can make places collide. */
  constructor(ringSize = RING_SIZE) {
    if (ringSize <= 0 || (ringSize & (ringSize - 1)) !== 0) throw new RangeError('ringSize must be a power of two');
    this.ringKeys = new Int32Array(ringSize).fill(EMPTY);
    this.ringValues = new Array<V | undefined>(ringSize).fill(undefined);
    this.ringOrder = new Float64Array(ringSize);
    this.ringMask = ringSize - 1;
  }

  get size(): number {
    return this.ringSize + this.slotOf.size;
  }

  get(key: K): V | undefined {
    const place = this.placeOf(key);
    if (place >= 0 && this.ringKeys[place] === (key as number)) return this.ringValues[place];
    if (this.slotOf.size === 0) return undefined;
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.slots[slot];
  }

  has(key: K): boolean {
    const place = this.placeOf(key);
    if (place >= 0 && this.ringKeys[place] === (key as number)) return true;
    return this.slotOf.size > 0 && this.slotOf.has(key);
  }

  set(key: K, value: V): this {
    const place = this.placeOf(key);
    if (place >= 0) {
      const held = this.ringKeys[place];
      if (held === (key as number)) {
        this.ringValues[place] = value;
        return this;
      }
      // The key may already be on the Map side, from when its place was taken.
      if (held === EMPTY && (this.slotOf.size === 0 || !this.slotOf.has(key))) {
        this.ringKeys[place] = key as number;
        this.ringValues[place] = value;
        this.ringOrder[place] = this.inserted++;
        this.ringSize++;
        return this;
      }
    }
    const slot = this.slotOf.get(key);
    if (slot !== undefined) {
      this.slots[slot] = value;
      return this;
    }
    const free = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.slots[free] = value;
    this.slotOrder[free] = this.inserted++;
    this.slotOf.set(key, free);
    return this;
  }

  /** Whether the key was there (as Map#delete). */
  delete(key: K): boolean {
    const place = this.placeOf(key);
    if (place >= 0 && this.ringKeys[place] === (key as number)) {
      this.ringKeys[place] = EMPTY;
      this.ringValues[place] = undefined;
      this.ringSize--;
      return true;
    }
    if (this.slotOf.size === 0) return false;
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    this.slotOf.delete(key);
    this.slots[slot] = undefined;
    // After a burst, start small again once nothing is left.
    if (this.slotOf.size === 0 && this.slots.length > SHRINK_ABOVE) this.clearSlots();
    else this.free.push(slot);
    return true;
  }

  /** The keys in insertion order, as an array. */
  keys(): K[] {
    return this.entries().map(([key]) => key);
  }

  /** The values in insertion order, as an array: safe to change the map while walking it. */
  values(): V[] {
    return this.entries().map(([, value]) => value);
  }

  clear(): void {
    this.ringKeys.fill(EMPTY);
    this.ringValues.fill(undefined);
    this.ringSize = 0;
    this.clearSlots();
  }

  /** The key's place in the ring, or -1 for a key that never goes there. */
  private placeOf(key: K): number {
    return typeof key === 'number' && (key | 0) === key && key >= 0 ? key & this.ringMask : -1;
  }

  entries(): Array<[K, V]> {
    const found: Array<[number, K, V]> = [];
    if (this.ringSize > 0) {
      for (let place = 0; place < this.ringKeys.length; place++) {
        if (this.ringKeys[place] !== EMPTY) found.push([this.ringOrder[place]!, this.ringKeys[place] as K, this.ringValues[place]!]);
      }
    }
    for (const [key, slot] of this.slotOf) found.push([this.slotOrder[slot]!, key, this.slots[slot]!]);
    return found.sort((a, b) => a[0] - b[0]).map(([, key, value]) => [key, value]);
  }

  private clearSlots(): void {
    this.slotOf.clear();
    this.slots = [];
    this.slotOrder = [];
    this.free = [];
  }
}
