import type { Io } from '../../output/io.js';
import { formatIsoTime } from '../../util/time.js';
import { BufferedWriter } from '../../output/buffered-writer.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import type { ReplayEvent, ReplaySummary, Verdict } from '../summary.js';
import { shouldShow, type ReplayFormatOptions } from './describe.js';

/**
 * JSON Lines: one object per shown call, one per warning, and a last `summary` object
 * (docs/recordings.md). Scripts get every failed expectation as a call too, also an unchanged one
 * under --against (`"changed": false`), where stylish lists it in the summary.
 */
export function jsonReplay(io: Io, options: ReplayFormatOptions): ReplaySink {
  const out = new BufferedWriter(io.stdout);
  return {
    call(event: ReplayEvent) {
      if (!event.failed && !shouldShow(event, options)) return;
      const { item } = event;
      const line: Record<string, unknown> = {
        type: 'call',
        file: item.file,
        line: item.line,
        ts: formatIsoTime(item.atMs),
        tool: item.call.tool,
        grant: item.call.grant,
        session: item.call.session,
        ...verdictJson(event.verdict),
      };
      if (item.recordedAtMs !== undefined) line.recorded_ts = formatIsoTime(item.recordedAtMs);
      if (item.expect !== undefined) {
        line.expect = item.expect;
        line.expect_met = !event.failed;
      }
      if (event.before) {
        line.before = verdictJson(event.before);
        line.changed = event.changed;
      }
      out.write(`${JSON.stringify(line)}\n`);
    },
    problem(problem: RecordingProblem) {
      out.write(`${JSON.stringify({ type: 'warning', file: problem.file, line: problem.line, message: problem.message, skipped: !problem.replayed })}\n`);
    },
    finish(summary: ReplaySummary) {
      const json: Record<string, unknown> = {
        type: 'summary',
        policy: options.policyPath,
        files: summary.files,
        calls: summary.calls,
        outcomes: summary.totals,
        by_tool: Object.fromEntries(summary.toolRows()),
        expectations: { checked: summary.expectationsChecked, failed: summary.expectationsFailed },
        skipped_lines: summary.skippedLines,
        out_of_order: summary.outOfOrder,
        duration_ms: Math.round(summary.durationMs),
      };
      if (summary.comparing) {
        json.against = options.againstPath;
        json.before_outcomes = summary.beforeTotals;
        json.changes = { total: summary.changes, transitions: Object.fromEntries(summary.transitions), undetermined: summary.undetermined };
      }
      out.write(`${JSON.stringify(json)}\n`);
    },
    flush: (force) => out.flush(force),
  };
}

function verdictJson(verdict: Verdict): Record<string, unknown> {
  return {
    outcome: verdict.outcome,
    rule: verdict.rule,
    message: verdict.message,
    ...(verdict.retryAfterMs !== undefined ? { retry_after_ms: verdict.retryAfterMs } : {}),
  };
}
