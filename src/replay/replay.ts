import type { CompiledPolicy } from '../engine/compile.js';
import type { EnforcerOptions } from '../engine/enforcer.js';
import type { CounterStore } from '../engine/store.js';
import type { Decision } from '../engine/types.js';
import { InputError } from '../errors.js';
import { createDecider, type ReplayDecider } from './decider.js';
import { mergeByTime } from './merge.js';
import { checkRecordingFile, readRecording, type RecordedCall, type RecordingProblem } from './read-recording.js';
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
  private readonly decider: ReplayDecider;
  private readonly dependence: ValueDependence;
  constructor(policy: CompiledPolicy, store: CounterStore | undefined, enforcer: EnforcerOptions | undefined) {
    this.decider = createDecider(policy, store, enforcer);
    this.dependence = new ValueDependence(policy);
  }

  /** Synchronous for the in-memory store (no promise per call on the hot path), a promise for other stores. */
  verdict(item: RecordedCall): Verdict | Promise<Verdict> {
    const pending = this.decider.decide(item.call, item.atMs);
    return pending instanceof Promise ? pending.then((decision) => this.judge(item, decision)) : this.judge(item, pending);
  }

  private judge(item: RecordedCall, decision: Decision): Verdict | Promise<Verdict> {
    if (item.argsKnown) return decision;
    const rule = this.dependence.uncertainRule(item.call, decision);
    if (rule === undefined) return decision;
    // Nobody knows whether this call passed, so it takes no budget: the counts that follow are a lower bound.
    const unknown: Verdict = { outcome: 'unknown', rule, message: `argument values are not in the audit log, and ${rule} reads them` };
    const released = this.decider.release(decision);
    return released instanceof Promise ? released.then(() => unknown) : unknown;
  }

  close(): Promise<void> {
    return this.decider.close();
  }
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
  try {
    for await (const batch of mergeByTime(run.files.map((file) => readRecording(file.path, file.display)))) {
      for (const item of batch) {
        if (item.kind === 'problem') {
          if (run.strict) throw new InputError(`${item.file}:${item.line}`, item.message);
          summary.skippedLines++;
          sink.problem(item);
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
