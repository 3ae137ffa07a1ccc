import type { ChalkInstance } from 'chalk';
import type { Io } from '../../cli/io.js';
import { printable } from '../../util/printable.js';
import { formatIsoTime } from '../../util/time.js';
import { BufferedWriter } from '../output.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import { REPLAY_OUTCOMES, type ReplayEvent, type ReplayOutcome, type ReplaySummary } from '../summary.js';
import { failureText, plural, shouldShow, where, type ReplayFormatOptions } from './describe.js';

/** Warnings printed one by one; the rest are counted in the summary. */
const MAX_WARNINGS = 100;

/** One line per call (or per change), warnings on stderr, then a summary table. For people. */
export function stylishReplay(io: Io, color: ChalkInstance, options: ReplayFormatOptions): ReplaySink {
  const out = new BufferedWriter(io.stdout);
  const paint: Record<ReplayOutcome, (text: string) => string> = {
    allow: color.green,
    deny: color.red,
    approval_required: color.yellow,
    unknown: color.magenta,
  };
  let warnings = 0;
  return {
    call(event: ReplayEvent) {
      if (!shouldShow(event, options)) return;
      const { item, verdict } = event;
      const head = `${color.dim(where(event))}  ${formatIsoTime(item.atMs)}  ${printable(item.call.grant)}  ${printable(item.call.tool)}  `;
      const message = verdict.message ? `  ${printable(verdict.message)}` : '';
      const before = event.before;
      const body =
        before !== undefined && event.changed
          ? `${paint[before.outcome](before.outcome)} by ${before.rule} → ${paint[verdict.outcome](verdict.outcome)} by ${verdict.rule}${message}`
          : `${paint[verdict.outcome](verdict.outcome.padEnd(8))}${verdict.rule}${message}`;
      const check = item.expect === undefined ? '' : event.failed ? `  ${color.red(`✗ expected ${item.expect}`)}` : `  ${color.green('✓')}`;
      out.write(`${head}${body}${check}\n`);
    },
    problem(problem: RecordingProblem) {
      if (++warnings > MAX_WARNINGS) return;
      out.flushNow();
      io.stderr.write(`${problem.file}:${problem.line}: warning: ${printable(problem.message)}\n`);
    },
    finish(summary: ReplaySummary) {
      out.flushNow();
      if (warnings > MAX_WARNINGS) io.stderr.write(`… ${plural(warnings - MAX_WARNINGS, 'more warning')} not shown\n`);
      out.write(summaryText(summary, color, options));
    },
    flush: (force) => out.flush(force),
  };
}

function summaryText(summary: ReplaySummary, color: ChalkInstance, options: ReplayFormatOptions): string {
  const lines: string[] = [''];
  lines.push(
    color.bold(
      `Replayed ${plural(summary.calls, 'call')} from ${plural(summary.files.length, 'file')} under ${options.policyPath} in ${(summary.durationMs / 1000).toFixed(1)} s`,
    ),
  );
  const columns = REPLAY_OUTCOMES.filter((outcome) => outcome === 'allow' || outcome === 'deny' || summary.totals[outcome] > 0);
  const rows = summary.toolRows().map(([tool, counts]) => [printable(tool), ...columns.map((c) => counts[c].toLocaleString('en-US'))]);
  rows.push(['total', ...columns.map((c) => summary.totals[c].toLocaleString('en-US'))]);
  const header = ['tool', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (row: string[]) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  if (summary.calls > 0) lines.push(color.dim(render(header)), ...rows.map(render));
  if (summary.comparing) {
    const transitions = [...summary.transitions].map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
    lines.push(
      summary.changes === 0
        ? `No changes compared with ${options.againstPath}.`
        : color.yellow(`${plural(summary.changes, 'change')} compared with ${options.againstPath}: ${transitions}`),
    );
  }
  if (summary.expectationsChecked > 0) {
    lines.push(
      summary.expectationsFailed === 0
        ? color.green(`Expectations: ${summary.expectationsChecked.toLocaleString('en-US')} checked, all met`)
        : color.red(`Expectations: ${summary.expectationsChecked.toLocaleString('en-US')} checked, ${summary.expectationsFailed.toLocaleString('en-US')} failed`),
    );
    for (const event of summary.failures) lines.push(`  ${where(event)}  ${printable(event.item.call.tool)}  ${failureText(event)}`);
    if (summary.expectationsFailed > summary.failures.length) lines.push(`  … and ${plural(summary.expectationsFailed - summary.failures.length, 'more failed expectation')}`);
  }
  const notes: string[] = [];
  if (summary.skippedLines > 0) notes.push(`${plural(summary.skippedLines, 'unreadable line')} skipped`);
  if (summary.outOfOrder > 0) notes.push(`${plural(summary.outOfOrder, 'call')} out of time order replayed at the time of the call before`);
  if (summary.undetermined > 0) notes.push(`${plural(summary.undetermined, 'call')} undetermined in the comparison (an outcome is unknown), not counted as changes`);
  if (summary.totals.unknown > 0) notes.push(`${plural(summary.totals.unknown, 'audit log call')} undecidable without argument values (outcome unknown, no budget taken; record full calls with the proxy's --record to replay them)`);
  if (notes.length > 0) lines.push(color.yellow(`Note: ${notes.join('; ')}.`));
  return `${lines.join('\n')}\n`;
}
