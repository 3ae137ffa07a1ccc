/**
 * The byte side of a transport: the proxy reads and writes newline-delimited JSON-RPC, as on
 * stdio, and a transport turns those lines into HTTP requests and SSE events and back.
 */
import { Readable, Writable } from 'node:stream';

const NEWLINE = 0x0a;
const NEWLINE_BUFFER = Buffer.from([NEWLINE]);
/** Below this, a line and its newline are pushed as one buffer (one 'data' event); above it, not copied. */
const JOIN_LIMIT_BYTES = 64 * 1024;

/**
 * Lines from the server to the proxy. Many producers (one per response stream) push whole lines;
 * each push lands complete, so lines never interleave. `pushLine` resolves when the reader wants
 * more, so a producer that awaits it stops reading its HTTP body while the proxy's client is slow:
 * back-pressure reaches the server through TCP instead of piling up here.
 */
export class LineReadable extends Readable {
  private waiters: Array<() => void> = [];
  private finished = false;

  override _read(): void {
    this.release();
  }

  /** Queues one message (the newline is added here); resolves once the reader can take more. */
  async pushLine(line: Buffer): Promise<void> {
    if (this.finished || this.destroyed) return;
    const wantsMore = line.length < JOIN_LIMIT_BYTES ? this.push(Buffer.concat([line, NEWLINE_BUFFER])) : this.push(line) && this.push(NEWLINE_BUFFER);
    if (!wantsMore) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** No more lines; pending pushes are released. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.push(null);
    this.release();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.finished = true;
    this.release();
    callback(error);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Lines from the proxy to the server: splits the bytes the proxy writes (several lines in one
 * chunk, or one large line in several) into whole lines without their newlines. `hold` lets the
 * transport slow the proxy down (the write callback waits), e.g. while the user signs in.
 */
export class LineWritable extends Writable {
  private parts: Buffer[] = [];
  private held: Promise<void> | undefined;

  constructor(
    private readonly onLine: (line: Buffer) => void,
    private readonly onEnd: () => void,
  ) {
    super({ decodeStrings: true });
  }

  /** Delays the proxy's writes until `until` settles. */
  hold(until: Promise<unknown>): void {
    const held = until.then(
      () => {},
      () => {},
    );
    this.held = held;
    void held.then(() => {
      if (this.held === held) this.held = undefined;
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.split(chunk);
    if (this.held) this.held.then(() => callback());
    else callback();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    for (const { chunk } of chunks) this.split(chunk);
    if (this.held) this.held.then(() => callback());
    else callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.parts.length > 0) this.emitLine(Buffer.alloc(0));
    this.onEnd();
    callback();
  }

  private split(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.emitLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  private emitLine(tail: Buffer): void {
    const line = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    this.parts = [];
    // A stray `\r` before the newline is not part of the message.
    const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    if (end > 0) this.onLine(line.subarray(0, end));
  }
}
