import type { Outcome } from '../engine/types.js';
import type { RecordedCall } from './read-recording.js';

/** Replay's outcomes: the engine's, plus `unknown` for audit-log calls whose decision needs argument values the log does not keep. */
export type ReplayOutcome = Outcome | 'unknown';
export const REPLAY_OUTCOMES: readonly ReplayOutcome[] = ['allow', 'deny', 'approval_required', 'unknown'];

export interface Verdict {
  outcome: ReplayOutcome;
  rule: string;
  message: string;
  retryAfterMs?: number;
}

export interface ReplayEvent {
  item: RecordedCall;
  /** The decision under `--policy`. */
  verdict: Verdict;
  /** The decision under `--against` (the old policy), when comparing. */
  before?: Verdict;
  changed: boolean;
  /** The call carries `expect` and the decision under `--policy` is different. */
  failed: boolean;
}

export type Counts = Record<ReplayOutcome, number>;

export const newCounts = (): Counts => ({ allow: 0, deny: 0, approval_required: 0, unknown: 0 });

/** Tools named in the summary table; the rest are added up in one row, so a hostile recording cannot grow memory. */
export const MAX_SUMMARY_TOOLS = 1000;
/** Failed expectations listed after the run; the counts stay exact beyond it. */
export const MAX_LISTED_FAILURES = 100;
export const OTHER_TOOLS = '(other tools)';

/** Everything replay keeps while it streams: counts, and at most MAX_LISTED_FAILURES failed calls. */
export class ReplaySummary {
  calls = 0;
  readonly byTool = new Map<string, Counts>();
  readonly totals = newCounts();
  readonly beforeTotals = newCounts();
  expectationsChecked = 0;
  expectationsFailed = 0;
  readonly failures: ReplayEvent[] = [];
  changes = 0;
  /** Compared calls where either policy's outcome is unknown (audit lines): neither a change nor the same. */
  undetermined = 0;
  /** "allow → deny" → count. */
  readonly transitions = new Map<string, number>();
  skippedLines = 0;
  outOfOrder = 0;
  durationMs = 0;

  constructor(
    readonly files: readonly string[],
    readonly comparing: boolean,
  ) {}

  record(event: ReplayEvent): void {
    this.calls++;
    const outcome = event.verdict.outcome;
    this.totals[outcome]++;
    let counts = this.byTool.get(event.item.call.tool);
    if (!counts) {
      const name = this.byTool.size < MAX_SUMMARY_TOOLS ? event.item.call.tool : OTHER_TOOLS;
      counts = this.byTool.get(name) ?? newCounts();
      this.byTool.set(name, counts);
    }
    counts[outcome]++;
    if (event.item.expect !== undefined) {
      this.expectationsChecked++;
      if (event.failed) {
        this.expectationsFailed++;
        if (this.failures.length < MAX_LISTED_FAILURES) this.failures.push(event);
      }
    }
    if (event.before) {
      this.beforeTotals[event.before.outcome]++;
      if (event.before.outcome === 'unknown' || outcome === 'unknown') this.undetermined++;
      if (event.changed) {
        this.changes++;
        const transition = `${event.before.outcome} → ${outcome}`;
        this.transitions.set(transition, (this.transitions.get(transition) ?? 0) + 1);
      }
    }
  }

  /** Tools by name, with the catch-all row last. */
  toolRows(): Array<[string, Counts]> {
    return [...this.byTool].sort(([a], [b]) => (a === OTHER_TOOLS ? 1 : b === OTHER_TOOLS ? -1 : a < b ? -1 : a > b ? 1 : 0));
  }
}
