/**
 * Splits a byte stream into newline-delimited lines (MCP stdio framing). Works on Buffers, never on
 * decoded text: 0x0A cannot occur inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
 *
 * No quadratic buffering: a partial line is kept as a list of chunks and only the new chunk is
 * searched for a newline; the pieces are joined once, when the line completes. A line longer than
 * `maxLineBytes` is not kept: its bytes are dropped as they arrive (only a bounded head and tail stay,
 * so the caller can still find the message id) and it is reported once its newline arrives.
 */
export interface OversizedLine {
  /** Total bytes of the line, without its newline. */
  length: number;
  /** The first bytes of the line (up to the keep size). */
  head: Buffer;
  /** The last bytes of the line (up to the keep size). */
  tail: Buffer;
}

export interface LineHandlers {
  line(line: Buffer): void;
  oversized(line: OversizedLine): void;
  /**
   * Offered a line of at least LARGE_LINE_BYTES that arrived in several chunks, before they are
   * joined: a handler that can pass the chunks on as they are returns true, and the line is never
   * copied into one buffer (a 10 MiB result then costs the proxy 10 MiB, not 20).
   */
  large?(parts: readonly Buffer[], length: number): boolean;
}

export const LARGE_LINE_BYTES = 1024 * 1024;

export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const KEEP_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Set while dropping a line that went over the limit. */
  private oversize: OversizedLine | undefined;

  constructor(
    private readonly handlers: LineHandlers,
    private readonly maxLineBytes: number = MAX_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.finishLine(chunk.subarray(start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.partBytes > 0 || this.oversize) this.finishLine(Buffer.alloc(0));
  }

  /** Bytes of the line in progress (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.oversize ? this.oversize.length : this.partBytes;
  }

  private keep(piece: Buffer): void {
    if (!this.oversize && this.partBytes + piece.length > this.maxLineBytes) this.startOversize();
    if (this.oversize) {
      extendOversize(this.oversize, piece);
      return;
    }
    // A chunk is a view into a (usually 64 KiB) read buffer; copying small pieces lets that buffer go.
    this.parts.push(piece.length < 4096 ? Buffer.from(piece) : piece);
    this.partBytes += piece.length;
  }

  /** Switches to dropping the current line: what was kept so far only feeds the head and tail. */
  private startOversize(): void {
    const state = { length: 0, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
    for (const part of this.parts) extendOversize(state, part);
    this.parts = [];
    this.partBytes = 0;
    this.oversize = state;
  }

  private finishLine(last: Buffer): void {
    if (!this.oversize && this.partBytes + last.length > this.maxLineBytes) this.startOversize();
    if (this.oversize) {
      const report = this.oversize;
      extendOversize(report, last);
      this.oversize = undefined;
      this.handlers.oversized(report);
      return;
    }
    if (this.partBytes === 0) {
      this.handlers.line(last);
      return;
    }
    const total = this.partBytes + last.length;
    if (last.length > 0) this.parts.push(last);
    const parts = this.parts;
    this.parts = [];
    this.partBytes = 0;
    if (parts.length > 1 && total >= LARGE_LINE_BYTES && this.handlers.large?.(parts, total)) return;
    this.handlers.line(parts.length === 1 ? parts[0]! : Buffer.concat(parts, total));
  }
}

function extendOversize(state: OversizedLine, piece: Buffer): void {
  if (state.head.length < KEEP_BYTES) state.head = Buffer.concat([state.head, piece.subarray(0, KEEP_BYTES - state.head.length)]);
  state.tail =
    piece.length >= KEEP_BYTES
      ? Buffer.from(piece.subarray(piece.length - KEEP_BYTES))
      : Buffer.concat([state.tail.subarray(Math.max(0, state.tail.length + piece.length - KEEP_BYTES)), piece]);
  state.length += piece.length;
}
