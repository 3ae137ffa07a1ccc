import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { UserError } from '../errors.js';
import { IsoTimeFormatter } from '../util/time.js';
import { sha256Hex } from './hash.js';
import { acquireLock } from './lock.js';
import { AUDIT_FORMAT_VERSION, GENESIS_HASH, type AuditCallEntry, type AuditLifecycleEntry, type AuditResultEntry } from './types.js';

type Body<T> = Omit<T, 'v' | 'ts' | 'seq' | 'prev'>;
export type AuditBody = Body<AuditCallEntry> | Body<AuditResultEntry> | Body<AuditLifecycleEntry>;

/**
 * Appends hash-chained lines to an audit log with synchronous write()s, so a line is in the
 * operating system's hands before the proxy acts on it: a killed proxy or server loses nothing
 * already decided (a power cut can still lose what the OS had not written to disk). Lines made
 * while the proxy handles one chunk of input are written together when it is done with the chunk,
 * before anything the chunk produced is forwarded. An existing log is continued: the chain picks up
 * from its last line.
 */
export class AuditWriter {
  private fd: number;
  private seq: number;
  private prev: string;
  private readonly releaseLock: () => void;
  private waiting: string[] = [];
  private holds = 0;
  private readonly clock = new IsoTimeFormatter();
  /** A torn last line found on open (the previous writer died mid-line); reported once. */
  readonly warning: string | undefined;

  private constructor(fd: number, seq: number, prev: string, releaseLock: () => void, warning: string | undefined) {
    this.fd = fd;
    this.seq = seq;
    this.prev = prev;
    this.releaseLock = releaseLock;
    this.warning = warning;
  }

  static open(path: string, shownPath: string = path): AuditWriter {
    const release = acquireLock(path, shownPath);
    try {
      const fd = openSync(path, 'a+');
      const tail = readTail(fd);
      let seq = 0;
      let prev = GENESIS_HASH;
      let warning: string | undefined;
      if (tail) {
        prev = sha256Hex(tail.line);
        const parsed = parseSeq(tail.line);
        seq = parsed ?? tail.lineNumber();
        if (parsed === undefined || !tail.complete) {
          warning = `${shownPath}: the last line is ${tail.complete ? 'not an audit entry' : 'incomplete (the previous writer stopped mid-line)'}; continuing after it (audit verify will report it)`;
        }
        if (!tail.complete) writeSync(fd, '\n');
      }
      return new AuditWriter(fd, seq, prev, release, warning);
    } catch (error) {
      release();
      if (error instanceof UserError) throw error;
      throw new UserError(`${shownPath}: cannot open the audit log (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }

  /**
   * Appends a line. Inside a hold() it waits for the release (one write for all the lines of a
   * burst); outside, it is written at once. Either way it is chained now.
   */
  append(body: AuditBody): void {
    if (this.fd < 0) return;
    // The same text as JSON.stringify({ v, ts, seq, prev, ...body }) without building the merged object.
    const line = `{"v":${AUDIT_FORMAT_VERSION},"ts":"${this.clock.format(Date.now())}","seq":${this.seq + 1},"prev":"${this.prev}",${JSON.stringify(body).slice(1)}`;
    this.waiting.push(`${line}\n`);
    this.seq++;
    this.prev = sha256Hex(line);
    if (this.holds === 0) this.flush();
  }

  /** Appends a line and writes it (with any waiting before it) before returning: for lines that must be on file before the proxy acts. */
  appendNow(body: AuditBody): void {
    this.append(body);
    this.flush();
  }

  /** Lines appended until the matching release() are written together. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    if (this.holds > 0 && --this.holds === 0) this.flush();
  }

  /**
   * Writes the waiting lines with one write(). A failure throws; the lines are lost but stay in the
   * chain, so `audit verify` shows the gap.
   */
  flush(): void {
    if (this.waiting.length === 0 || this.fd < 0) return;
    const text = this.waiting.length === 1 ? this.waiting[0]! : this.waiting.join('');
    this.waiting = [];
    writeAll(this.fd, Buffer.from(text, 'utf8'));
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      this.holds = 0;
    }
    closeSync(this.fd);
    this.fd = -1;
    this.releaseLock();
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function parseSeq(line: Buffer): number | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as { seq?: unknown };
    return typeof value.seq === 'number' && Number.isSafeInteger(value.seq) ? value.seq : undefined;
  } catch {
    return undefined;
  }
}

interface Tail {
  line: Buffer;
  complete: boolean;
  /** Counts the file's lines (only needed when the last line carries no seq). */
  lineNumber(): number;
}

/** The last line of the file (without its newline), read backwards in blocks. */
function readTail(fd: number): Tail | undefined {
  const size = fstatSync(fd).size;
  if (size === 0) return undefined;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  const complete = last[0] === 0x0a;
  const end = complete ? size - 1 : size;
  const blocks: Buffer[] = [];
  let position = end;
  let start = 0;
  while (position > 0) {
    const length = Math.min(65536, position);
    const block = Buffer.alloc(length);
    readSync(fd, block, 0, length, position - length);
    const newline = block.lastIndexOf(0x0a);
    if (newline >= 0) {
      blocks.unshift(block.subarray(newline + 1));
      start = position - length + newline + 1;
      break;
    }
    blocks.unshift(block);
    position -= length;
  }
  return {
    line: Buffer.concat(blocks),
    complete,
    lineNumber: () => countNewlines(fd, start) + 1,
  };
}

function countNewlines(fd: number, end: number): number {
  const block = Buffer.alloc(65536);
  let count = 0;
  for (let position = 0; position < end; ) {
    const read = readSync(fd, block, 0, Math.min(block.length, end - position), position);
    if (read <= 0) break;
    for (let i = 0; i < read; i++) if (block[i] === 0x0a) count++;
    position += read;
  }
  return count;
}
