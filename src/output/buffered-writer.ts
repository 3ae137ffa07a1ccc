import type { Output } from './io.js';

type Stream = Output & { fd?: unknown; once?: (event: 'drain', listener: () => void) => unknown };

/**
 * Collects output into large writes and waits for a stream's 'drain' when it pushes back, so
 * streaming a million lines neither makes a million write calls nor piles them up in memory.
 * On a real stream (stdout: it has an fd) text is encoded straight into a byte buffer, which costs
 * half as much as joining strings and encoding the result; other outputs (tests) get strings.
 */
export class BufferedWriter {
  private parts: string[] = [];
  private bytes: Buffer | undefined;
  private size = 0;
  /** The stream refused more (write returned false): the next flush waits for 'drain'. */
  private full = false;

  constructor(
    private readonly output: Output,
    private readonly limit = 64 * 1024,
  ) {
    // Room for a full buffer of 3-byte characters, so one write never overflows it.
    if (typeof (output as Stream).fd === 'number') this.bytes = Buffer.allocUnsafe(limit * 3);
  }

  write(text: string): void {
    if (this.bytes === undefined) {
      this.parts.push(text);
      this.size += text.length;
      return;
    }
    if (this.size + text.length * 3 > this.bytes.length) {
      this.flushNow();
      if (text.length * 3 > this.bytes.length) {
        if (this.output.write(text) === false) this.full = true;
        return;
      }
    }
    this.size += this.bytes.write(text, this.size);
  }

  /** Writes everything now without waiting for the stream (before a message on stderr, so the two stay in order). */
  flushNow(): unknown {
    if (this.size === 0) return !this.full;
    let accepted: unknown;
    if (this.bytes === undefined) {
      accepted = this.output.write(this.parts.join(''));
      this.parts = [];
    } else {
      // The stream may hold on to the chunk until it is written: hand it over and start a new buffer.
      const chunk = this.bytes.subarray(0, this.size);
      this.bytes = Buffer.allocUnsafe(this.bytes.length);
      accepted = (this.output as unknown as { write(chunk: Uint8Array): unknown }).write(chunk);
    }
    this.size = 0;
    if (accepted === false) this.full = true;
    return accepted;
  }

  /** Writes what is buffered once it is large enough (or always, with `force`), waiting for the stream if it asks. */
  async flush(force = false): Promise<void> {
    if (this.size > 0 && (force || this.size >= this.limit)) this.flushNow();
    const stream = this.output as Stream;
    if (!this.full) return;
    this.full = false;
    if (typeof stream.once === 'function') await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
