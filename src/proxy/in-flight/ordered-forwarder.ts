import type { StreamWriter } from '../wire/stream-writer.js';

/** A place in the client→server order, held by a tools/call while the policy decides it. */
export interface Slot {
  ready: boolean;
  line: Buffer | undefined;
}

/**
 * Keeps client→server messages in the order the client sent them although a tools/call waits for
 * its decision (the counter store may be remote): later messages queue behind the call's slot.
 * A call waiting for a human's approval gives its slot up (`release`), so the rest of the session,
 * the approval answer included, never waits on it.
 */
export class OrderedForwarder {
  private slots: Slot[] = [];

  constructor(private readonly writer: StreamWriter) {}

  send(line: Buffer): void {
    if (this.slots.length === 0) this.writer.writeLine(line);
    else this.slots.push({ ready: true, line });
  }

  reserve(): Slot {
    const slot: Slot = { ready: false, line: undefined };
    this.slots.push(slot);
    return slot;
  }

  /** The decided call goes out in its place. */
  fill(slot: Slot, line: Buffer): void {
    slot.line = line;
    slot.ready = true;
    this.drain();
  }

  /** Nothing to send for this slot (denied, or held for approval and sent later with `send`). */
  release(slot: Slot): void {
    slot.ready = true;
    this.drain();
  }

  get waiting(): number {
    return this.slots.length;
  }

  private drain(): void {
    let i = 0;
    while (i < this.slots.length && this.slots[i]!.ready) {
      const line = this.slots[i]!.line;
      if (line) this.writer.writeLine(line);
      i++;
    }
    if (i > 0) this.slots = this.slots.slice(i);
  }
}
