/**
 * The state behind `policylayer top`, built from audit log lines: counts per tool, the latest
 * known value of every counter, the most recent decisions, what the proxy reported about itself,
 * and the health of the log (unreadable lines, sequence gaps, rotations). Pure: lines and notices
 * in, state out; the follower and the screen live elsewhere. Mutable on purpose, so that thousands
 * of lines a second cost no copying; views are derived from it (top-view.ts).
 */
import { parseAuditLine } from '../../audit/parse.js';
import type { AuditCallEntry, AuditCounter, AuditEntry, AuditLifecycleEntry } from '../../audit/types.js';
import { classifyCall, type CallClass } from './classify.js';

export interface ToolStats {
  tool: string;
  calls: number;
  allowed: number;
  denied: number;
  limited: number;
  approved: number;
  refused: number;
  asked: number;
  /** Forwarded calls that failed upstream (JSON-RPC error, server exit) or reported isError. */
  errors: number;
  lastMs: number;
}

export interface CounterState {
  counter: string;
  scope: AuditCounter['scope'];
  scopeId: string;
  window: AuditCounter['window'];
  resetsAtMs: number;
  used: number;
  max: number;
  /** Tools whose calls reported this counter. */
  tools: Set<string>;
  /** Time of the line that reported this value. */
  seenMs: number;
}

export interface DecisionRecord {
  seq: number;
  tsMs: number;
  tool: string;
  cls: CallClass;
  rule: string;
  message: string;
  grant: string;
  retryAfterMs?: number;
  approval?: AuditCallEntry['approval'];
}

export interface ProxyState {
  status: 'unknown' | 'running' | 'stopped';
  policy?: string;
  policySha256?: string;
  startedMs?: number;
  /** The latest reload notice (accepted or rejected) and its detail. */
  lastReload?: { tsMs: number; detail: string };
  lastEventMs?: number;
}

export interface LogHealth {
  /** Whether the file exists right now (undefined before the first look). */
  exists?: boolean;
  lines: number;
  calls: number;
  results: number;
  unreadable: number;
  lastUnreadable?: { line: number; reason: string };
  rotations: number;
  truncations: number;
  /** Places where `seq` jumped forward, and how many lines are missing in total. */
  seqGaps: number;
  missingLines: number;
  /** Places where `seq` went backwards without a rotation: a different log was appended. */
  seqRestarts: number;
  /** The latest error reading the file (permissions, I/O), cleared by the next successful read. */
  readError?: string;
}

export interface TopModelOptions {
  /** How many recent decisions to keep for the scrolling list. */
  recentCapacity?: number;
}

const RATE_SECONDS = 10;

export class TopModel {
  readonly tools = new Map<string, ToolStats>();
  readonly counters = new Map<string, CounterState>();
  readonly proxy: ProxyState = { status: 'unknown' };
  readonly health: LogHealth = { lines: 0, calls: 0, results: 0, unreadable: 0, rotations: 0, truncations: 0, seqGaps: 0, missingLines: 0, seqRestarts: 0 };
  /** Ring buffer of recent decisions; `recentAt(0)` is the newest. */
  private readonly recent: Array<DecisionRecord | undefined>;
  private recentNext = 0;
  private recentSize = 0;
  private lastSeq: number | undefined;
  private lineInFile = 0;
  /** Calls per second of log time, for the rate over the last few seconds. */
  private readonly perSecond = new Map<number, number>();
  /** Bumped on every change, so a view can tell whether it is stale. */
  version = 0;

  constructor(options: TopModelOptions = {}) {
    this.recent = new Array(options.recentCapacity ?? 1000);
  }

  ingest(lines: readonly string[]): void {
    for (const line of lines) this.ingestLine(line);
    if (lines.length > 0) this.version++;
  }

  ingestLine(line: string): void {
    this.lineInFile++;
    if (line.trim() === '') return;
    this.health.lines++;
    const parsed = parseAuditLine(line);
    if (!parsed.ok) {
      this.unreadable(parsed.reason);
      return;
    }
    this.apply(parsed.entry);
  }

  /** The file was replaced or truncated: sequence numbers start again. */
  reset(reason: 'rotated' | 'truncated'): void {
    if (reason === 'rotated') this.health.rotations++;
    else this.health.truncations++;
    this.lastSeq = undefined;
    this.lineInFile = 0;
    this.version++;
  }

  overlong(bytes: number): void {
    this.lineInFile++;
    this.health.lines++;
    this.unreadable(`line of ${bytes} bytes is too long`);
    this.version++;
  }

  presence(exists: boolean): void {
    this.health.exists = exists;
    this.version++;
  }

  readError(message: string | undefined): void {
    if (message === undefined) delete this.health.readError;
    else this.health.readError = message;
    this.version++;
  }

  /** A deep copy, so a paused screen can keep showing (and filtering) the moment it was paused. */
  clone(): TopModel {
    const copy = new TopModel({ recentCapacity: this.recent.length });
    for (const [tool, stats] of this.tools) copy.tools.set(tool, { ...stats });
    for (const [key, counter] of this.counters) copy.counters.set(key, { ...counter, tools: new Set(counter.tools) });
    Object.assign(copy.proxy, this.proxy);
    Object.assign(copy.health, this.health);
    for (let i = 0; i < this.recent.length; i++) copy.recent[i] = this.recent[i];
    copy.recentNext = this.recentNext;
    copy.recentSize = this.recentSize;
    copy.lastSeq = this.lastSeq;
    copy.lineInFile = this.lineInFile;
    for (const [second, n] of this.perSecond) copy.perSecond.set(second, n);
    copy.version = this.version;
    return copy;
  }

  get recentCount(): number {
    return this.recentSize;
  }

  /** The i-th most recent decision (0 = newest). */
  recentAt(index: number): DecisionRecord | undefined {
    if (index < 0 || index >= this.recentSize) return undefined;
    const capacity = this.recent.length;
    return this.recent[(this.recentNext - 1 - index + capacity * 2) % capacity];
  }

  /** Calls per second over the last few seconds of log time before `nowMs`. */
  callRate(nowMs: number): number {
    const nowSecond = Math.floor(nowMs / 1000);
    let total = 0;
    for (let s = nowSecond - RATE_SECONDS; s < nowSecond; s++) total += this.perSecond.get(s) ?? 0;
    return total / RATE_SECONDS;
  }

  private unreadable(reason: string): void {
    this.health.unreadable++;
    this.health.lastUnreadable = { line: this.lineInFile, reason };
  }

  private apply(entry: AuditEntry): void {
    this.checkSequence(entry.seq);
    const tsMs = Date.parse(entry.ts);
    this.proxy.lastEventMs = Math.max(this.proxy.lastEventMs ?? 0, tsMs);
    switch (entry.event) {
      case 'call':
        this.applyCall(entry, tsMs);
        break;
      case 'result':
        this.health.results++;
        if (entry.error !== null || entry.is_error === true) this.toolStats(entry.tool).errors++;
        break;
      case 'checkpoint':
      case 'seal':
        // For `audit verify`: nothing to show (the stop line before a seal says the proxy stopped).
      case 'refused':
        // A client message refused before any decision: not a call.
        break;
      default:
        this.applyLifecycle(entry, tsMs);
    }
  }

  private checkSequence(seq: number): void {
    const last = this.lastSeq;
    this.lastSeq = seq;
    if (last === undefined || seq === last + 1) return;
    if (seq > last + 1) {
      this.health.seqGaps++;
      this.health.missingLines += seq - last - 1;
    } else {
      this.health.seqRestarts++;
    }
  }

  private applyCall(entry: AuditCallEntry, tsMs: number): void {
    this.health.calls++;
    const cls = classifyCall(entry);
    const stats = this.toolStats(entry.tool);
    stats.calls++;
    stats[cls]++;
    stats.lastMs = Math.max(stats.lastMs, tsMs);
    for (const counter of entry.counters ?? []) this.applyCounter(counter, entry.tool, tsMs);
    this.remember({
      seq: entry.seq,
      tsMs,
      tool: entry.tool,
      cls,
      rule: entry.rule,
      message: entry.message,
      grant: entry.grant,
      ...(entry.retry_after_ms !== undefined ? { retryAfterMs: entry.retry_after_ms } : {}),
      ...(entry.approval !== undefined ? { approval: entry.approval } : {}),
    });
    const second = Math.floor(tsMs / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    if (this.perSecond.size > RATE_SECONDS * 4) this.prunePerSecond(second);
  }

  private applyCounter(counter: AuditCounter, tool: string, tsMs: number): void {
    // A limit that counts an argument's value is logged without its state (it would reveal the values).
    if (counter.used === undefined) return;
    const key = `${counter.window}\u0000${counter.scope}\u0000${counter.scope_id}\u0000${counter.counter}`;
    const resetsAtMs = Date.parse(counter.resets_at);
    const known = this.counters.get(key);
    if (known) {
      // Lines arrive in order, but a line about an older window must not undo a newer one.
      if (resetsAtMs < known.resetsAtMs) return;
      known.used = counter.used;
      known.max = counter.max;
      known.resetsAtMs = resetsAtMs;
      known.seenMs = tsMs;
      known.tools.add(tool);
      return;
    }
    this.counters.set(key, {
      counter: counter.counter,
      scope: counter.scope,
      scopeId: counter.scope_id,
      window: counter.window,
      resetsAtMs,
      used: counter.used,
      max: counter.max,
      tools: new Set([tool]),
      seenMs: tsMs,
    });
  }

  private applyLifecycle(entry: AuditLifecycleEntry, tsMs: number): void {
    if (entry.event === 'start') {
      this.proxy.status = 'running';
      this.proxy.startedMs = tsMs;
      delete this.proxy.lastReload;
    } else if (entry.event === 'stop') {
      this.proxy.status = 'stopped';
    } else {
      this.proxy.lastReload = { tsMs, detail: entry.detail ?? 'policy reloaded' };
    }
    if (entry.policy !== undefined) this.proxy.policy = entry.policy;
    if (entry.policy_sha256 !== undefined) this.proxy.policySha256 = entry.policy_sha256;
  }

  private toolStats(tool: string): ToolStats {
    let stats = this.tools.get(tool);
    if (!stats) {
      stats = { tool, calls: 0, allowed: 0, denied: 0, limited: 0, approved: 0, refused: 0, asked: 0, errors: 0, lastMs: 0 };
      this.tools.set(tool, stats);
    }
    return stats;
  }

  private remember(record: DecisionRecord): void {
    this.recent[this.recentNext] = record;
    this.recentNext = (this.recentNext + 1) % this.recent.length;
    if (this.recentSize < this.recent.length) this.recentSize++;
  }

  private prunePerSecond(newest: number): void {
    for (const second of this.perSecond.keys()) if (second < newest - RATE_SECONDS * 2) this.perSecond.delete(second);
  }
}
