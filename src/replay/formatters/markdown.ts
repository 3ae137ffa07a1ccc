import type { Io } from '../../output/io.js';
import { markdownCell, markdownCode, MARKDOWN_MAX_ROWS } from '../../util/markdown.js';
import { printable } from '../../output/printable.js';
import { BufferedWriter } from '../../output/buffered-writer.js';
import type { ReplaySink } from '../replay.js';
import type { RecordingProblem } from '../read-recording.js';
import type { ReplayEvent, ReplaySummary } from '../summary.js';
import { verdictText, where, type ReplayFormatOptions } from './describe.js';
import { plural } from '../../output/plural.js';

/**
 * A Markdown summary for a CI job page: a heading with the counts, a table of failed expectations
 * and (with --against) changed decisions, the first MARKDOWN_MAX_ROWS of them kept while streaming,
 * and the outcome counts per tool. Written once at the end: a summary, not a log.
 */
export function markdownReplay(io: Io, options: ReplayFormatOptions & { failOnChange: boolean }): ReplaySink {
  const out = new BufferedWriter(io.stdout);
  const rows: string[] = [];
  let more = 0;
  let skipped = 0;
  const row = (text: string) => (rows.length < MARKDOWN_MAX_ROWS ? rows.push(text) : more++);
  return {
    call(event: ReplayEvent) {
      const at = markdownCode(where(event));
      const tool = markdownCode(printable(event.item.call.tool));
      if (event.failed) row(`| ❌ expectation failed | ${at} | ${tool} | expected ${markdownCell(event.item.expect ?? '')} | ${markdownCell(verdictText(event.verdict))} |`);
      if (event.changed) row(`| ${options.failOnChange ? '❌' : '🔀'} changed | ${at} | ${tool} | ${markdownCell(verdictText(event.before!))} | ${markdownCell(verdictText(event.verdict))} |`);
    },
    problem(_problem: RecordingProblem) {
      skipped++;
    },
    finish(summary: ReplaySummary) {
      const bad = summary.expectationsFailed > 0 || (options.failOnChange && summary.changes > 0);
      const parts = [`${plural(summary.calls, 'call')} replayed under ${markdownCode(options.policyPath)}`, `${summary.expectationsFailed} of ${plural(summary.expectationsChecked, 'expectation')} failed`];
      if (summary.comparing) parts.push(`${plural(summary.changes, 'change')} compared with ${markdownCode(options.againstPath ?? '')}`);
      const lines = [`### ${bad ? '❌' : summary.changes > 0 ? '🔀' : '✅'} policylayer replay: ${parts.join('; ')}`];
      if (skipped > 0) lines.push('', `⚠️ ${plural(skipped, 'recording line')} skipped or out of order (\`policylayer replay\` prints them).`);
      if (rows.length > 0) {
        const was = summary.comparing ? 'Before' : 'Expected';
        lines.push('', `| | Where | Tool | ${was} | Now |`, '| --- | --- | --- | --- | --- |', ...rows);
        if (more > 0) lines.push('', `…and ${more} more (\`policylayer replay\` lists them all).`);
      }
      if (summary.byTool.size > 0) {
        lines.push('', '<details><summary>Decisions per tool</summary>', '', '| Tool | allow | deny | approval required | unknown |', '| --- | --- | --- | --- | --- |');
        for (const [tool, counts] of [...summary.byTool].slice(0, MARKDOWN_MAX_ROWS)) lines.push(`| ${markdownCode(printable(tool))} | ${counts.allow} | ${counts.deny} | ${counts.approval_required} | ${counts.unknown} |`);
        lines.push('', '</details>');
      }
      out.write(`${lines.join('\n')}\n`);
    },
    flush: (force) => out.flush(force),
  };
}
