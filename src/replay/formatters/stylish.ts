import type { ChalkInstance } from 'chalk';
import type { Io } from '../../output/io.js';
import { printable } from '../../output/printable.js';
import { formatIsoTime } from '../../util/time.js';
import { BufferedWriter } from '../../output/buffered-writer.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import { REPLAY_OUTCOMES, type ReplayEvent, type ReplayOutcome, type ReplaySummary } from '../summary.js';
import { failureText, shouldShow, where, type ReplayFormatOptions } from './describe.js';
import { groupThousands, plural } from '../../output/plural.js';

/** Warnings printed one by one; the rest are counted in the summary. */
const MAX_WARNINGS = 100;

/** Rows aligned together: enough for a screenful, little enough to keep a million-call replay in constant memory. */
const ROWS_PER_BLOCK = 256;

interface Cell {
  text: string;
  paint?: (text: string) => string;
}

/**
 * One line per call (per change with --against), in aligned columns, warnings on stderr, then a
 * summary table. Output streams, so rows are aligned a block at a time; a column never narrows,
 * so only a block before a wider value can be narrower than the rest. For people.
 */
export function stylishReplay(io: Io, color: ChalkInstance, options: ReplayFormatOptions): ReplaySink {
  const out = new BufferedWriter(io.stdout);
  const paint: Record<ReplayOutcome, (text: string) => string> = {
    allow: color.green,
    deny: color.red,
    approval_required: color.yellow,
    unknown: color.magenta,
  };
  let warnings = 0;
  const rows: Cell[][] = [];
  const widths: number[] = [];
  const writeRows = () => {
    for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.text.length)));
    for (const row of rows) {
      let last = row.length;
      while (last > 0 && row[last - 1]!.text === '') last--;
      const cells = row.slice(0, last).map((cell, i) => {
        const shown = cell.paint ? cell.paint(cell.text) : cell.text;
        return i === last - 1 ? shown : shown + ' '.repeat(widths[i]! - cell.text.length);
      });
      out.write(`${cells.join('  ')}\n`);
    }
    rows.length = 0;
  };
  return {
    call(event: ReplayEvent) {
      if (!shouldShow(event, options)) return;
      const { item, verdict } = event;
      const head: Cell[] = [{ text: where(event), paint: color.dim }, { text: formatIsoTime(item.atMs) }, { text: printable(item.call.grant) }, { text: printable(item.call.tool) }];
      const before = event.before;
      const decision: Cell[] =
        before !== undefined && event.changed
          ? [{ text: `${before.outcome} by ${before.rule}`, paint: paint[before.outcome] }, { text: '→' }, { text: `${verdict.outcome} by ${verdict.rule}`, paint: paint[verdict.outcome] }]
          : [{ text: verdict.outcome, paint: paint[verdict.outcome] }, { text: verdict.rule }];
      const check: Cell = item.expect === undefined ? { text: '' } : event.failed ? { text: `✗ expected ${item.expect}`, paint: color.red } : { text: '✓', paint: color.green };
      rows.push([...head, ...decision, check, { text: verdict.message ? printable(verdict.message) : '' }]);
      if (rows.length >= ROWS_PER_BLOCK) writeRows();
    },
    problem(problem: RecordingProblem) {
      if (++warnings > MAX_WARNINGS) return;
      writeRows();
      out.flushNow();
      io.stderr.write(`${problem.file}:${problem.line}: warning: ${printable(problem.message)}\n`);
    },
    finish(summary: ReplaySummary) {
      writeRows();
      out.flushNow();
      if (warnings > MAX_WARNINGS) io.stderr.write(`… ${plural(warnings - MAX_WARNINGS, 'more warning')} not shown\n`);
      out.write(summaryText(summary, color, options));
    },
    flush: (force) => {
      if (force) writeRows();
      return out.flush(force);
    },
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
  const rows = summary.toolRows().map(([tool, counts]) => [printable(tool), ...columns.map((c) => groupThousands(counts[c]))]);
  rows.push(['total', ...columns.map((c) => groupThousands(summary.totals[c]))]);
  const header = ['tool', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (row: string[]) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  if (summary.calls > 0) lines.push(color.dim(render(header)), ...rows.map(render));
  if (summary.comparing) {
    const transitions = [...summary.transitions].map(([t, n]) => `${t} ${groupThousands(n)}`).join(', ');
    lines.push(
      summary.changes === 0
        ? `No changes compared with ${options.againstPath}.`
        : color.yellow(`${plural(summary.changes, 'change')} compared with ${options.againstPath}: ${transitions}`),
    );
  }
  if (summary.expectationsChecked > 0) {
    lines.push(
      summary.expectationsFailed === 0
        ? color.green(`Expectations: ${groupThousands(summary.expectationsChecked)} checked, all met`)
        : color.red(`Expectations: ${groupThousands(summary.expectationsChecked)} checked, ${groupThousands(summary.expectationsFailed)} failed`),
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
