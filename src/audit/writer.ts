import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { IsoTimeFormatter } from '../util/time.js';
import { chainFor, withHead, type Chain } from './chain.js';
import { sha256Hex } from './hash.js';
import type { AuditKey } from './key.js';
import { acquireLock } from './lock.js';
import { AUDIT_FORMAT_VERSION, GENESIS_HASH, type AuditCallEntry, type AuditLifecycleEntry, type AuditRefusedEntry, type AuditResultEntry } from './types.js';

type Body<T> = Omit<T, 'v' | 'ts' | 'seq' | 'prev'>;
export type AuditBody = Body<AuditCallEntry> | Body<AuditResultEntry> | Body<AuditLifecycleEntry> | Body<AuditRefusedEntry>;

export interface AuditWriterOptions {
  /** Chain with HMAC-SHA256 under this key instead of SHA-256 (`--audit-key`). */
  key?: AuditKey;
  /** A checkpoint line after this many lines not yet covered by one (default 1000)… */
  checkpointLines?: number;
  /** …or this many milliseconds after the first of them, whichever comes first (default 60 000). */
  checkpointMs?: number;
  /** The clock for `ts` (tests). */
  now?: () => number;
}

export const DEFAULT_CHECKPOINT_LINES = 1000;
export const DEFAULT_CHECKPOINT_MS = 60_000;
/** How long a line appended "soon" (a result) may wait for a write of its own. */
export const SOON_MS = 10;

/**
 * Appends hash-chained lines to an audit log with synchronous write()s, so a line is in the
 * operating system's hands before the proxy acts on it: a killed proxy or server loses nothing
 * already decided (a power cut can still lose what the OS had not written to disk). Lines made
 * while the proxy handles one chunk of input are written together when it is done with the chunk,
 * before anything the chunk produced is forwarded. An existing log is continued: the chain picks up
 * from its last line.
 *
 * Each writer is one run of the log (docs/audit-log.md): its first line names the chain (and the
 * key's id), checkpoint lines follow every `checkpointLines` lines or `checkpointMs` ms, and close()
 * ends the run with a seal line. A run that ends without one was killed, crashed, or is still open.
 */
export class AuditWriter {
  private fd: number;
  private seq: number;
  private prev: string;
  private readonly releaseLock: () => void;
  private waiting: string[] = [];
  private holds = 0;
  /** Something waiting must be written at the end of the current hold (not only lines appended "soon"). */
  private urgent = false;
  private soonTimer: NodeJS.Timeout | undefined;
  private deferredError: unknown;
  private readonly clock = new IsoTimeFormatter();
  private readonly now: () => number;
  private readonly chain: Chain;
  private readonly checkpointLines: number;
  private readonly checkpointMs: number;
  /** Lines this writer has appended (its run). */
  private runLines = 0;
  /** Lines since the last checkpoint, and the timer that writes one when they are old enough. */
  private uncovered = 0;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** What open() found worth saying (a torn last line, a previous run without a seal); reported once. */
  readonly warning: string | undefined;

  private constructor(fd: number, seq: number, prev: string, releaseLock: () => void, warning: string | undefined, options: AuditWriterOptions) {
    this.fd = fd;
    this.seq = seq;
    this.prev = prev;
    this.releaseLock = releaseLock;
    this.warning = warning;
    this.chain = chainFor(options.key);
    this.checkpointLines = Math.max(1, options.checkpointLines ?? DEFAULT_CHECKPOINT_LINES);
    this.checkpointMs = options.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Opens (creating it with mode 0600: it names tools and grants) or continues a log. Missing
   * folders above it are created with mode 0700 (`--audit ~/.policylayer/audit/NAME.jsonl` on a
   * first run); mkdir does not change folders that exist.
   */
  static open(path: string, shownPath: string = path, options: AuditWriterOptions = {}): AuditWriter {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new UserError(`${shownPath}: cannot create its folder ${dirname(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const release = acquireLock(path, shownPath);
    try {
      const fd = openSync(path, 'a+', 0o600);
      const tail = readTail(fd);
      let seq = 0;
      let prev = GENESIS_HASH;
      let warning: string | undefined;
      if (tail) {
        // A new run links to the line before it by SHA-256, whatever key the previous run used.
        prev = sha256Hex(tail.line);
        const parsed = parseTail(tail.line);
        seq = parsed?.seq ?? tail.lineNumber();
        if (parsed === undefined || !tail.complete) {
          warning = `${shownPath}: the last line is ${tail.complete ? 'not an audit entry' : 'incomplete (the previous writer stopped mid-line)'}; continuing after it (audit verify will report it)`;
        } else if (parsed.event !== 'seal') {
          warning = `${shownPath}: the previous run has no seal (its proxy was killed or crashed, or a policylayer older than seals wrote it); continuing after it`;
        }
        if (!tail.complete) writeSync(fd, '\n');
      }
      return new AuditWriter(fd, seq, prev, release, warning, options);
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
    // The run's first line says how it is chained.
    const members = this.runLines === 0 ? { ...body, chain: this.chain.kind, ...(this.chain.keyId ? { key_id: this.chain.keyId } : {}) } : body;
    // The same text as JSON.stringify({ v, ts, seq, prev, ...body }) without building the merged object.
    this.appended(JSON.stringify(members).slice(1));
  }

  /**
   * Appends a line given as the JSON text of its members after the standard ones (`"event":…}`),
   * as JSON.stringify would write them: for the lines written per call (src/proxy/audit-lines.ts).
   */
  appendMembers(members: string): void {
    if (this.fd < 0) return;
    if (this.runLines === 0) this.append(JSON.parse(`{${members}`) as AuditBody);
    else this.appended(members);
  }

  /**
   * Appends a line that need not be on file before the proxy acts (a call's result: the call has
   * run already): it is chained now and written with the next line that must be, or within
   * SOON_MS. Under load that spares one write() per answer; a proxy killed in between loses these
   * lines (verify shows the end it reached), never a call line.
   */
  appendMembersSoon(members: string): void {
    if (this.fd < 0) return;
    if (this.runLines === 0) {
      this.append(JSON.parse(`{${members}`) as AuditBody);
      return;
    }
    this.push(`${this.lineStart()}${members}`);
    if (++this.uncovered >= this.checkpointLines) this.mark('checkpoint');
    else if (this.uncovered === 1) this.armCheckpointTimer();
    this.armSoonTimer();
  }

  private appended(members: string): void {
    this.push(`${this.lineStart()}${members}`);
    this.urgent = true;
    if (++this.uncovered >= this.checkpointLines) this.mark('checkpoint');
    else if (this.uncovered === 1) this.armCheckpointTimer();
    if (this.holds === 0) this.flush();
  }

  private armSoonTimer(): void {
    if (this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      if (this.fd < 0) return;
      // Inside a hold, the release writes them.
      if (this.holds > 0) {
        this.urgent = true;
        return;
      }
      try {
        this.flush();
      } catch (error) {
        // The next line that must be on file meets it (and its call is denied): fail closed.
        this.deferredError = error;
      }
    }, SOON_MS);
    this.soonTimer.unref();
  }

  private lineStart(): string {
    return `{"v":${AUDIT_FORMAT_VERSION},"ts":"${this.clock.format(this.now())}","seq":${this.seq + 1},"prev":"${this.prev}",`;
  }

  private push(line: string): void {
    // Two pieces, joined once by flush(): `${line}\n` would copy every line once more.
    this.waiting.push(line, '\n');
    this.seq++;
    this.runLines++;
    this.prev = this.chain.value(line);
  }

  /** A checkpoint or the seal: count and head (src/audit/chain.ts), head last. */
  private mark(event: 'checkpoint' | 'seal'): void {
    this.push(withHead(`${this.lineStart()}"event":"${event}","count":${this.seq + 1}}`, this.chain).line);
    this.uncovered = 0;
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
  }

  private armCheckpointTimer(): void {
    if (this.checkpointTimer || !Number.isFinite(this.checkpointMs)) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      if (this.fd < 0 || this.uncovered === 0) return;
      this.mark('checkpoint');
      try {
        if (this.holds === 0) this.flush();
      } catch {
        // The next line the proxy writes meets the same failure and reports it; the checkpoint stays
        // in the chain, so verify shows the gap.
      }
    }, this.checkpointMs);
    this.checkpointTimer.unref();
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
    // Lines appended "soon" alone wait for their timer (or the next line that must be written).
    if (this.holds > 0 && --this.holds === 0 && this.urgent) this.flush();
  }

  /**
   * Writes the waiting lines with one write(). A failure throws; the lines are lost but stay in the
   * chain, so `audit verify` shows the gap.
   */
  flush(): void {
    if (this.deferredError !== undefined) {
      const error = this.deferredError;
      this.deferredError = undefined;
      throw error;
    }
    this.urgent = false;
    if (this.waiting.length === 0 || this.fd < 0) return;
    const text = this.waiting.length === 1 ? this.waiting[0]! : this.waiting.join('');
    this.waiting = [];
    writeAll(this.fd, Buffer.from(text, 'utf8'));
  }

  /**
   * Ends the run: writes the seal line (when the run wrote anything) and closes the file. The file
   * is closed and the lock released even when the last write fails; that failure is then thrown.
   */
  close(): void {
    if (this.fd < 0) return;
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    try {
      if (this.runLines > 0) this.mark('seal');
      this.flush();
    } finally {
      this.holds = 0;
      closeSync(this.fd);
      this.fd = -1;
      this.releaseLock();
    }
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function parseTail(line: Buffer): { seq: number; event: unknown } | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as { seq?: unknown; event?: unknown };
    return typeof value.seq === 'number' && Number.isSafeInteger(value.seq) ? { seq: value.seq, event: value.event } : undefined;
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
