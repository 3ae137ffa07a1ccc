/**
 * A Map for short-lived entries under constant churn (the proxy's calls in flight, set when a call
 * goes out and deleted when it is answered). The Map holds only slot numbers; the values live in
 * an array whose slot is cleared on delete.
 *
 * Why: V8 compacts a Map's hash table into a new one every few dozen deletes, and the old table
 * keeps its entries and a link to its successor (for iterators still walking it). Once one table in
 * the chain has reached the old generation, every later table, and every value it ever held, stays
 * reachable from it until the next full collection. With a plain Map of calls in flight each call's
 * record, decision and parsed message survived two scavenges and was copied twice: 0.4-0.5 µs of
 * garbage collection per call, a fifth of the proxy's work (bench/proxy-work.bench.mjs). Here the
 * dead tables hold only numbers, and a cleared slot keeps nothing alive.
 */
/** Slots kept for reuse when the map empties; beyond this they are let go. */
const SHRINK_ABOVE = 1024;

export class SlotMap<K, V> {
  private readonly slotOf = new Map<K, number>();
  private readonly slots: Array<V | undefined> = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  get(key: K): V | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.slots[slot];
  }

  has(key: K): boolean {
    return this.slotOf.has(key);
  }

  set(key: K, value: V): this {
    const slot = this.slotOf.get(key);
    if (slot !== undefined) {
      this.slots[slot] = value;
      return this;
    }
    const free = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.slots[free] = value;
    this.slotOf.set(key, free);
    return this;
  }

  /** Whether the key was there (as Map#delete). */
  delete(key: K): boolean {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    this.slotOf.delete(key);
    this.slots[slot] = undefined;
    // After a burst, start small again once nothing is left.
    if (this.slotOf.size === 0 && this.slots.length > SHRINK_ABOVE) this.clear();
    else this.free.push(slot);
    return true;
  }

  /** The keys in insertion order, as an array. */
  keys(): K[] {
    return [...this.slotOf.keys()];
  }

  /** The values in insertion order, as an array: safe to change the map while walking it. */
  values(): V[] {
    const values: V[] = [];
    for (const slot of this.slotOf.values()) values.push(this.slots[slot]!);
    return values;
  }

  clear(): void {
    this.slotOf.clear();
    this.slots.length = 0;
    this.free.length = 0;
  }
}
