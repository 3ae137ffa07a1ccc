import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { LineSplitter } from '../util/line-splitter.js';
import { SHA256_CHAIN, hmacChain, splitHead, type Chain } from './chain.js';
import { sha256Hex } from './hash.js';
import type { AuditKey } from './key.js';
import { AUDIT_FORMAT_VERSION, GENESIS_HASH } from './types.js';

/**
 * What can be wrong with a log. `key-needed` is not a finding about the log but about the command
 * (exit 2): the log is keyed and no key was given.
 */
export type VerifyProblemKind =
  | 'unreadable'
  | 'changed'
  | 'missing'
  | 'inserted'
  | 'after-seal'
  | 'front-missing'
  | 'incomplete'
  | 'unsealed'
  | 'wrong-key'
  | 'unkeyed'
  | 'key-needed'
  | 'head-not-found';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** The 1-based line the message is about. */
  line: number;
  /** The whole finding: which line, what is wrong, what it means. */
  message: string;
  /** The same in a few words, for the closing summary. */
  summary: string;
  /** Lines 1 to `intact` verified before the problem (0: none). */
  intact: number;
}

export interface VerifyRun {
  /** First and last line of the run in the file. */
  first: number;
  last: number;
  /** `legacy`: written before runs named their chain and ended with a seal. */
  chain: 'sha256' | 'hmac-sha256' | 'legacy';
  keyId?: string;
  sealed: boolean;
}

export interface VerifyNote {
  line: number;
  message: string;
}

export interface VerifyResult {
  /** Complete lines read (an incomplete last line accepted with `open` is not counted). */
  lines: number;
  runs: VerifyRun[];
  /** What to publish to detect later changes: the last seal's head, else the last line's chain value. */
  head?: { value: string; line: number };
  /** Each `heads` value found: the line whose chain value, or whose checkpoint or seal head, it is. */
  headsFound: Array<{ head: string; line: number }>;
  /** Things that are not problems but limit what could be checked (older format, open runs). */
  notes: VerifyNote[];
  problem?: VerifyProblem;
}

export interface VerifyOptions {
  /** Keys for keyed runs (their key ids pick one). When given, every run must be keyed. */
  keys?: readonly AuditKey[];
  /** The log may still be open, or a run crashed: runs without a seal and an incomplete last line are notes, not problems. */
  open?: boolean;
  /** Heads published earlier (hex): each must occur in the log. */
  heads?: readonly string[];
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;

interface Run extends VerifyRun {
  /** Runs with a `chain` member promise a seal when they stop cleanly; legacy runs do not. */
  readonly expectsSeal: boolean;
  readonly hasher: Chain;
}

/**
 * Checks an audit log (docs/audit-log.md) line by line, in constant memory, and stops at the first
 * problem. Each line must be an audit entry whose `seq` is one more than the line before and whose
 * `prev` is the chain value of the line before (SHA-256, or HMAC-SHA256 in a keyed run; a run's
 * first line links by SHA-256). A run's checkpoint and seal lines must carry their own head; nothing
 * but a new run may follow a seal; a run that promised a seal must end with one unless `open`.
 *
 * What this cannot see: without a key, a chain rewritten from some line on (every hash
 * recomputed); with or without one, whole runs removed from the end. A head published elsewhere
 * (`heads`) shows both.
 */
export class AuditVerifier {
  private readonly keys: ReadonlyMap<string, AuditKey>;
  private readonly open: boolean;
  private readonly wanted: Set<string>;
  private readonly found = new Map<string, number>();
  private readonly splitter: LineSplitter;
  private lineNumber = 0;
  private prevSeq = 0;
  private prevLine: Buffer | undefined;
  private prevValue = GENESIS_HASH;
  private run: Run | undefined;
  private readonly runs: Run[] = [];
  private readonly notes: VerifyNote[] = [];
  private lastSeal: { value: string; line: number } | undefined;
  private problem: VerifyProblem | undefined;
  /** Set while the splitter hands over the last line, which had no newline. */
  private torn = false;

  constructor(options: VerifyOptions = {}) {
    this.keys = new Map((options.keys ?? []).map((key) => [key.id, key]));
    this.open = options.open ?? false;
    this.wanted = new Set((options.heads ?? []).map((head) => head.toLowerCase()));
    this.splitter = new LineSplitter(
      {
        line: (line) => this.line(line),
        oversized: (line) => {
          if (this.torn) return this.tornLine();
          this.lineNumber++;
          this.fail('unreadable', this.lineNumber, `line ${this.lineNumber} is not an audit entry: it is ${line.length} bytes long, more than any audit entry (${MAX_LINE_BYTES} bytes)`, `line ${this.lineNumber} is not an audit entry`);
        },
      },
      MAX_LINE_BYTES,
    );
  }

  /** False once a problem is found: the rest need not be read. */
  push(chunk: Buffer): boolean {
    if (!this.problem) this.splitter.push(chunk);
    return !this.problem;
  }

  end(): VerifyResult {
    if (!this.problem && this.splitter.pendingBytes > 0) {
      this.torn = true;
      this.splitter.end();
    }
    if (!this.problem) this.finishRun('end');
    if (!this.problem && this.run && !this.run.expectsSeal) {
      this.notes.push({
        line: this.run.first,
        message: `lines ${this.run.first}–${this.run.last} were written before runs ended with a seal: lines cut off their end cannot be detected (unless you kept a head: --head)`,
      });
    }
    if (!this.problem) {
      for (const head of this.wanted) {
        if (this.found.has(head)) continue;
        this.fail(
          'head-not-found',
          this.lineNumber,
          `the head ${head} is not in this log: lines it covered were changed or removed since it was taken, or it is another log's head`,
          `the head ${head.slice(0, 12)}… is not in it`,
          this.lineNumber,
        );
        break;
      }
    }
    const lines = this.lineNumber;
    const last = this.run?.sealed ? this.lastSeal : lines > 0 ? { value: this.prevValue, line: lines } : undefined;
    return {
      lines,
      runs: this.runs.map(({ first, last: end, chain, keyId, sealed }) => ({ first, last: end, chain, ...(keyId ? { keyId } : {}), sealed })),
      ...(last && !this.problem ? { head: last } : {}),
      headsFound: [...this.found].map(([head, line]) => ({ head, line })),
      notes: this.notes,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  private line(bytes: Buffer): void {
    if (this.problem) return;
    if (this.torn) return this.tornLine();
    const n = ++this.lineNumber;
    const entry = readEntry(bytes);
    if (typeof entry === 'string') return this.fail('unreadable', n, `line ${n} is not an audit entry: ${entry}`, `line ${n} is not an audit entry`);

    const expectedSeq = this.prevSeq + 1;
    if (entry.seq > expectedSeq) {
      const missing = entry.seq - expectedSeq;
      const lines = `${missing} line${missing === 1 ? ' is' : 's are'}`;
      if (n === 1) return this.fail('front-missing', 1, `the log starts at seq ${entry.seq}, not 1: ${lines} missing before line 1 (cut off the front, or the log was rotated)`, 'its first lines are missing');
      return this.fail('missing', n, `${lines} missing before line ${n}: its seq is ${entry.seq}, the line before has ${this.prevSeq} (removed, or moved elsewhere)`, `lines are missing before line ${n}`);
    }
    if (entry.seq < expectedSeq) {
      return this.fail('inserted', n, `line ${n} has seq ${entry.seq} after seq ${this.prevSeq}: it was inserted, duplicated or moved here`, `line ${n} was inserted or moved`);
    }

    const opens = entry.chain !== undefined || entry.event === 'start';
    const run = this.run;
    if (!opens && run?.sealed) {
      return this.fail('after-seal', n, `line ${n} follows the seal on line ${n - 1} but does not start a new run: it was added after the seal`, `line ${n} was added after a seal`);
    }

    // A run's first line links by SHA-256 (the writer may not hold the previous run's key).
    const expectedPrev = n === 1 ? GENESIS_HASH : opens ? sha256Hex(this.prevLine!) : this.prevValue;
    if (entry.prev !== expectedPrev) {
      if (n === 1) return this.fail('front-missing', 1, 'line 1 does not begin a log: its prev is not 64 zeros (the lines before it are missing, or it was changed)', 'line 1 does not begin a log', 0);
      const algorithm = opens || run?.hasher.kind !== 'hmac-sha256' ? 'SHA-256' : 'HMAC';
      return this.fail('changed', n - 1, `line ${n - 1} was changed: its ${algorithm} does not match the "prev" recorded on line ${n} (or that "prev" was changed)`, `line ${n - 1} was changed`, n - 2);
    }

    if (opens) {
      this.finishRun(n);
      if (this.problem || !this.startRun(n, entry)) return;
    } else if (!run) {
      // Lines before any start line: an older log, or a writer used without one.
      if (!this.startRun(n, { ...entry, chain: undefined })) return;
    }
    const current = this.run!;
    current.last = n;

    if (entry.event === 'checkpoint' || entry.event === 'seal') {
      const what = entry.event === 'seal' ? 'the seal' : 'a checkpoint';
      if (!current.expectsSeal) {
        return this.fail('changed', n, `line ${n} is ${what}, but its run's first line (line ${current.first}) has no "chain": one of the two was changed`, `line ${n} or line ${current.first} was changed`);
      }
      const split = splitHead(bytes);
      if (!split || entry.count !== entry.seq || current.hasher.value(split.text) !== split.head) {
        const why = !split ? 'it does not end with its head' : entry.count !== entry.seq ? `its count ${JSON.stringify(entry.count)} is not its seq ${entry.seq}` : 'its head does not match its content';
        return this.fail('changed', n, `line ${n} (${what}) was changed: ${why}`, `line ${n} was changed`);
      }
      this.sawHead(split.head, n);
      if (entry.event === 'seal') {
        current.sealed = true;
        this.lastSeal = { value: split.head, line: n };
      }
    }

    const value = current.hasher.value(bytes);
    this.sawHead(value, n);
    this.prevValue = value;
    this.prevLine = bytes;
    this.prevSeq = entry.seq;
  }

  /** Opens a run at line `n`; false when it cannot be checked (the problem is set). */
  private startRun(n: number, entry: Entry): boolean {
    let hasher: Chain = SHA256_CHAIN;
    let keyId: string | undefined;
    if (entry.chain !== undefined && entry.chain !== 'sha256') {
      if (entry.chain !== 'hmac-sha256') return this.refuse('unreadable', n, `line ${n} is not an audit entry: unknown chain ${JSON.stringify(entry.chain)} (expected "sha256" or "hmac-sha256")`, `line ${n} is not an audit entry`);
      if (typeof entry.key_id !== 'string') return this.refuse('unreadable', n, `line ${n} is not an audit entry: chain "hmac-sha256" without a "key_id"`, `line ${n} is not an audit entry`);
      keyId = entry.key_id;
      const key = this.keys.get(keyId);
      if (!key) {
        if (this.keys.size === 0) return this.refuse('key-needed', n, `line ${n} starts a run chained with a key (key id ${keyId}): give that key with --key FILE`, 'its key is needed');
        const given = [...this.keys.keys()];
        const yours = given.length === 1 ? `the key given has key id ${given[0]}` : `the keys given have key ids ${given.join(', ')}`;
        return this.refuse('wrong-key', n, `wrong key: line ${n} starts a run written with key id ${keyId}, but ${yours}`, `line ${n}'s run was written with another key`);
      }
      hasher = hmacChain(key);
    } else if (this.keys.size > 0) {
      return this.refuse('unkeyed', n, `line ${n} starts a run without a key, but --key was given: the log was rewritten without the key, or a proxy without --audit-key wrote this run`, `line ${n}'s run has no key`);
    }
    const chain = entry.chain === undefined ? 'legacy' : hasher.kind;
    const run: Run = { first: n, last: n, chain, ...(keyId ? { keyId } : {}), sealed: false, expectsSeal: entry.chain !== undefined, hasher };
    this.runs.push(run);
    this.run = run;
    return true;
  }

  /** The current run ends (another starts at line `next`, or the file ends): it must be sealed if it promised to be. */
  private finishRun(next: number | 'end'): void {
    const run = this.run;
    if (!run || !run.expectsSeal || run.sealed) return;
    const range = `lines ${run.first}–${run.last}`;
    if (this.open) {
      this.notes.push({
        line: run.last,
        message: next === 'end' ? `the last run (${range}) has no seal yet: its proxy is still running, or was killed or crashed` : `the run of ${range} has no seal: its proxy was killed or crashed`,
      });
      return;
    }
    if (next === 'end') {
      this.fail('unsealed', run.last, `the log ends without a seal after line ${run.last}: lines were cut off its end, or its proxy is still running, or was killed or crashed (if so, verify with --open)`, 'it ends without a seal', run.last);
    } else {
      this.fail('unsealed', run.last, `the run of ${range} ends without a seal: lines were removed from its end, or its proxy was killed or crashed (if so, verify with --open)`, `the run of ${range} has no seal`, run.last);
    }
  }

  private tornLine(): void {
    const n = this.lineNumber + 1;
    if (this.open) {
      this.notes.push({ line: n, message: `line ${n} is incomplete (no newline yet): the proxy is writing it, or stopped in the middle of it; not checked` });
      return;
    }
    this.fail('incomplete', n, `line ${n} is incomplete: it has no newline (the writer stopped in the middle of it, or the file was cut there)`, `line ${n} is incomplete`);
  }

  private sawHead(value: string, line: number): void {
    if (this.wanted.has(value) && !this.found.has(value)) this.found.set(value, line);
  }

  private refuse(kind: VerifyProblemKind, line: number, message: string, summary: string): false {
    this.fail(kind, line, message, summary);
    return false;
  }

  private fail(kind: VerifyProblemKind, line: number, message: string, summary: string, intact: number = line - 1): void {
    this.problem ??= { kind, line, message, summary, intact: Math.max(0, intact) };
  }
}

interface Entry {
  seq: number;
  prev: string;
  event: string;
  chain?: unknown;
  key_id?: unknown;
  count?: unknown;
}

/** The members verify needs, or why the line is not an audit entry. */
function readEntry(line: Buffer): Entry | string {
  if (!isUtf8(line)) return 'not valid UTF-8';
  let entry: unknown;
  try {
    entry = JSON.parse(line.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'not a JSON object';
  const { v, seq, prev, event } = entry as Record<string, unknown>;
  if (v !== AUDIT_FORMAT_VERSION) return v === undefined ? 'no format version "v"' : `unknown format version ${JSON.stringify(v)} (expected ${AUDIT_FORMAT_VERSION})`;
  if (typeof event !== 'string') return 'no "event"';
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return 'no "seq" number';
  if (typeof prev !== 'string') return 'no "prev" hash';
  return entry as Entry;
}

/** Verifies a log held in memory (tests, and callers that already have the bytes). */
export function verifyAuditBytes(bytes: Buffer, options: VerifyOptions = {}): VerifyResult {
  const verifier = new AuditVerifier(options);
  verifier.push(bytes);
  return verifier.end();
}

/** Streams a file through the verifier; rejects when the file cannot be read. */
export async function verifyAuditLog(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const verifier = new AuditVerifier(options);
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) if (!verifier.push(chunk as Buffer)) break;
  } finally {
    stream.destroy();
  }
  return verifier.end();
}
