import { markdownCell, markdownCode, MARKDOWN_MAX_ROWS } from '../../util/markdown.js';
import { ruleDocsUrl } from '../finding.js';
import { plural } from '../../output/plural.js';
import { countFindings, type Formatter } from './types.js';

const ICON = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

/**
 * A Markdown summary for a CI job page (GitHub's $GITHUB_STEP_SUMMARY, GitLab's and others'
 * Markdown reports): a heading with the counts, then one table row per finding.
 */
export const markdown: Formatter = (report) => {
  const counts = countFindings(report.files);
  const total = counts.errors + counts.warnings + counts.infos;
  const files = plural(report.files.length, 'file');
  const lines: string[] = [];
  const unreadable = report.unreadable.length > 0 ? `, ${report.unreadable.length} unreadable` : '';
  if (total === 0 && report.unreadable.length === 0) lines.push(`### ✅ policylayer lint: no problems in ${files}`);
  else lines.push(`### ${counts.errors > 0 || report.unreadable.length > 0 ? '❌' : '⚠️'} policylayer lint: ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')} in ${files}${unreadable}`);
  if (total > 0 || report.unreadable.length > 0) {
    lines.push('', '| Severity | Where | Rule | Message |', '| --- | --- | --- | --- |');
    let rows = 0;
    for (const file of report.files) {
      for (const finding of file.findings) {
        if (rows++ >= MARKDOWN_MAX_ROWS) continue;
        const where = markdownCode(`${file.path}:${finding.range.start.line}:${finding.range.start.column}`);
        lines.push(`| ${ICON[finding.severity]} | ${where} | [${finding.ruleId}](${ruleDocsUrl(finding.ruleId)}) | ${markdownCell(finding.message)} |`);
      }
    }
    for (const problem of report.unreadable) lines.push(`| ❌ error | ${markdownCode(problem.path)} | unreadable | ${markdownCell(problem.message)} |`);
    if (rows > MARKDOWN_MAX_ROWS) lines.push('', `…and ${plural(rows - MARKDOWN_MAX_ROWS, 'more finding')} (\`policylayer lint\` lists them all).`);
  }
  return `${lines.join('\n')}\n`;
};
