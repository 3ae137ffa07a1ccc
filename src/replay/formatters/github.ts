import type { Io } from '../../output/io.js';
import { escapeData, escapeProperty } from '../../output/github.js';
import { printable } from '../../output/printable.js';
import { BufferedWriter } from '../../output/buffered-writer.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import type { ReplayEvent, ReplaySummary } from '../summary.js';
import { changeText, failureText, type ReplayFormatOptions } from './describe.js';
import { plural } from '../../output/plural.js';

type Level = 'error' | 'warning';

/** One workflow command, escaped with lint's helpers (actions/toolkit's rules). */
export function annotation(level: Level, properties: { file: string; line: number; title: string }, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level} ${props}::${escapeData(message)}\n`;
}

/**
 * GitHub Actions annotations: an error on each failed expectation, a warning (or, with
 * --fail-on-change, an error) on each changed call, a warning on each skipped line; then one plain
 * summary line for the log.
 */
export function githubReplay(io: Io, options: ReplayFormatOptions & { failOnChange: boolean }): ReplaySink {
  const out = new BufferedWriter(io.stdout);
  return {
    call(event: ReplayEvent) {
      const at = { file: event.item.file.split('\\').join('/'), line: event.item.line };
      const tool = printable(event.item.call.tool);
      if (event.failed) out.write(annotation('error', { ...at, title: 'policylayer replay: expectation failed' }, `${tool}: ${failureText(event)}`));
      if (event.changed) {
        const level = options.failOnChange ? 'error' : 'warning';
        out.write(annotation(level, { ...at, title: 'policylayer replay: decision changed' }, `${tool}: ${changeText(event)}${event.verdict.message ? `: ${printable(event.verdict.message)}` : ''}`));
      }
    },
    problem(problem: RecordingProblem) {
      const title = problem.replayed ? 'policylayer replay: out of time order' : 'policylayer replay: line skipped';
      out.write(annotation('warning', { file: problem.file.split('\\').join('/'), line: problem.line, title }, printable(problem.message)));
    },
    finish(summary: ReplaySummary) {
      const parts = [`${plural(summary.calls, 'call')} replayed under ${options.policyPath}`, `${summary.expectationsChecked} expectations checked, ${summary.expectationsFailed} failed`];
      if (summary.comparing) parts.push(`${plural(summary.changes, 'change')} compared with ${options.againstPath}`);
      out.write(`${parts.join('; ')}\n`);
    },
    flush: (force) => out.flush(force),
  };
}
