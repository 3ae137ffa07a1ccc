import type { CompiledPolicy } from '../engine/compile.js';
import type { EnforcerOptions } from '../engine/enforcer.js';
import type { CounterStore } from '../engine/store.js';
import type { Decision } from '../engine/types.js';
import { InputError } from '../errors.js';
import { createDecider, type Decider } from '../engine/decider.js';
import { mergeByTime } from './merge.js';
import { checkRecordingFile, readRecording, type RecordedCall, type RecordedResult, type RecordingProblem } from './read-recording.js';
import { ReplaySummary, type ReplayEvent, type Verdict } from './summary.js';
import { ValueDependence } from './value-dependence.js';

export interface ReplayRun {
  files: ReadonlyArray<{ path: string; display: string }>;
  policy: CompiledPolicy;
  /** The old policy to compare with (`--against`); it gets counters of its own. */
  against?: CompiledPolicy;
  /** Any unreadable or out-of-order line fails the run (exit 2) instead of being reported and skipped. */
  strict?: boolean;
  /** Counter stores (default: fresh in-memory ones). `--state` passes an overlay of the shared store to each side. */
  stores?: { policy?: CounterStore; against?: CounterStore };
  /** Fail mode and timeout for those stores (`--state-fail-mode`, `--state-timeout`). */
  enforcer?: EnforcerOptions;
}

/** What replay writes to: a formatter. `flush` is awaited after every batch so output keeps pace (constant memory). */
export interface ReplaySink {
  call(event: ReplayEvent): void;
  /** Writes buffered output once enough has gathered; `force` writes everything (at the end). */
  flush(force?: boolean): Promise<void>;
  /** A line that was skipped, or a call replayed at another time than recorded. */
  problem(problem: RecordingProblem): void;
  finish(summary: ReplaySummary): void;
}

/** One side of the replay: a policy, its counters, and how to tell when audit lines leave it unsure. */
class Side {
  private readonly decider: Decider;
  private readonly dependence: ValueDependence;
  constructor(policy: CompiledPolicy, store: CounterStore | undefined, enforcer: EnforcerOptions | undefined) {
    this.decider = createDecider(policy, store, enforcer);
    this.dependence = new ValueDependence(policy);
  }

  /** Synchronous for the in-memory store (no promise per call on the hot path), a promise for other stores. */
  verdict(item: RecordedCall): Verdict | Promise<Verdict> {
    const pending = this.decider.decide(item.call, { atMs: item.atMs });
    return pending instanceof Promise ? pending.then((decision) => this.judge(item, decision)) : this.judge(item, pending);
  }

  private judge(item: RecordedCall, decision: Decision): Verdict | Promise<Verdict> {
    if (item.notApproved && decision.outcome === 'approval_required') {
      // The audit log says the human's approval did not come (or, for a 2026-07-28 client, was
      // only asked for): the proxy gave the budget back at once, and so does the replay.
      const released = this.decider.rollback(decision);
      const ended: Verdict = { outcome: decision.outcome, rule: decision.rule, message: decision.message };
      return released instanceof Promise ? released.then(() => ended) : ended;
    }
    if (item.argsKnown) return decision;
    const rule = this.dependence.uncertainRule(item.call, decision);
    if (rule === undefined) return decision;
    // Nobody knows whether this call passed, so it takes no budget: the counts that follow are a lower bound.
    const unknown: Verdict = { outcome: 'unknown', rule, message: `argument values are not in the audit log, and ${rule} reads them` };
    const released = this.decider.rollback(decision);
    return released instanceof Promise ? released.then(() => unknown) : unknown;
  }

  /** Gives back what a verdict reserved (its call failed upstream). */
  release(verdict: Verdict): void | Promise<unknown> {
    const decision = reservingDecision(verdict);
    if (decision) return this.decider.rollback(decision);
  }

  close(): Promise<void> {
    return this.decider.close();
  }
}

/** Audit calls whose `result` line may still come; a proxy killed mid-call never writes one, hence the cap. */
const MAX_OPEN_CALLS = 100_000;

/**
 * Audit calls that reserved budget, by file and request id, until their `result` line: when the
 * proxy rolled a call back (the server answered with an error, or died), the replay gives the
 * call's reservations back at that point too, as production did.
 */
class OpenCalls {
  private readonly open = new Map<string, { current: Verdict; before: Verdict | undefined }>();

  add(item: RecordedCall, current: Verdict, before: Verdict | undefined): void {
    if (item.requestId === undefined) return;
    const key = openCallKey(item.file, item.requestId);
    // A request id is reused once its call has ended (a new proxy run starts again at 1).
    this.open.delete(key);
    if (!reservingDecision(current) && (before === undefined || !reservingDecision(before))) return;
    this.open.set(key, { current, before });
    if (this.open.size > MAX_OPEN_CALLS) this.open.delete(this.open.keys().next().value!);
  }

  settle(item: RecordedResult): { current: Verdict; before: Verdict | undefined } | undefined {
    const key = openCallKey(item.file, item.requestId);
    const entry = this.open.get(key);
    this.open.delete(key);
    return item.rolledBack ? entry : undefined;
  }
}

/** Request ids are per proxy, and one audit log is one proxy's: a call is known by its file and id. */
function openCallKey(file: string, requestId: string): string {
  return `${file}\u0000${requestId}`;
}

/** The engine's decision behind a verdict, when it reserved budget (an `unknown` verdict holds none). */
function reservingDecision(verdict: Verdict): Decision | undefined {
  const reservations = (verdict as Partial<Decision>).reservations;
  return reservations !== undefined && reservations.length > 0 ? (verdict as Decision) : undefined;
}

/**
 * Replays recordings in time order through the engine and streams every decision to the sink.
 * Memory stays constant whatever the input size: one batch of lines per file, the counters of the
 * current windows, and the summary (counts plus a capped list of failed expectations).
 */
export async function runReplay(run: ReplayRun, sink: ReplaySink): Promise<ReplaySummary> {
  for (const file of run.files) checkRecordingFile(file.path, file.display);
  const started = performance.now();
  const summary = new ReplaySummary(
    run.files.map((file) => file.display),
    run.against !== undefined,
  );
  const current = new Side(run.policy, run.stores?.policy, run.enforcer);
  const old = run.against ? new Side(run.against, run.stores?.against, run.enforcer) : undefined;
  const openCalls = new OpenCalls();
  try {
    for await (const batch of mergeByTime(run.files.map((file) => readRecording(file.path, file.display)))) {
      for (const item of batch) {
        if (item.kind === 'problem') {
          if (run.strict) throw new InputError(`${item.file}:${item.line}`, item.message);
          summary.skippedLines++;
          sink.problem(item);
          continue;
        }
        if (item.kind === 'result') {
          const rolledBack = openCalls.settle(item);
          if (rolledBack) {
            const released = [current.release(rolledBack.current), rolledBack.before && old?.release(rolledBack.before)];
            for (const pending of released) if (pending instanceof Promise) await pending;
          }
          continue;
        }
        if (item.recordedAtMs !== undefined) {
          const problem = `recorded at ${new Date(item.recordedAtMs).toISOString()}, before the call above it; replayed at ${new Date(item.atMs).toISOString()}`;
          if (run.strict) throw new InputError(`${item.file}:${item.line}`, problem);
          summary.outOfOrder++;
          sink.problem({ kind: 'problem', file: item.file, line: item.line, message: problem, replayed: true });
        }
        let verdict = current.verdict(item);
        if (verdict instanceof Promise) verdict = await verdict;
        let before = old?.verdict(item);
        if (before instanceof Promise) before = await before;
        const event: ReplayEvent = {
          item,
          verdict,
          // A side that cannot know (audit lines without values) is undetermined, not changed.
          changed: before !== undefined && before.outcome !== verdict.outcome && before.outcome !== 'unknown' && verdict.outcome !== 'unknown',
          failed: item.expect !== undefined && item.expect !== verdict.outcome,
        };
        if (before) event.before = before;
        openCalls.add(item, verdict, before);
        summary.record(event);
        sink.call(event);
      }
      await sink.flush();
    }
  } finally {
    await current.close();
    await old?.close();
  }
  summary.durationMs = performance.now() - started;
  sink.finish(summary);
  await sink.flush(true);
  return summary;
}
