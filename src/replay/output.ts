import type { Output } from '../cli/io.js';

/**
 * Collects output into large writes and waits for a stream's 'drain' when it pushes back, so
 * streaming a million lines neither makes a million write calls nor piles them up in memory.
 */
export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly output: Output,
    private readonly limit = 64 * 1024,
  ) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Writes everything now without waiting for the stream (before a message on stderr, so the two stay in order). */
  flushNow(): void {
    if (this.size === 0) return;
    this.output.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Writes what is buffered once it is large enough (or always, with `force`), waiting for the stream if it asks. */
  async flush(force = false): Promise<void> {
    if (this.size === 0 || (!force && this.size < this.limit)) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const accepted = this.output.write(text);
    const stream = this.output as Output & { once?: (event: 'drain', listener: () => void) => unknown };
    if (accepted === false && typeof stream.once === 'function') await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
