import { markdownCell, markdownCode, MARKDOWN_MAX_ROWS } from '../util/markdown.js';
import { printable } from '../output/printable.js';
import { totals } from './format.js';
import type { TestFileResult } from './run.js';

/** A Markdown summary for a CI job page: the totals as a heading, then each failure and each file that could not run. */
export function formatTestMarkdown(results: readonly TestFileResult[]): string {
  const { passed, failed, broken } = totals(results);
  const ok = failed === 0 && broken === 0;
  const lines = [`### ${ok ? '✅' : '❌'} policylayer test: ${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} test file${broken === 1 ? '' : 's'} could not run` : ''}`];
  const rows: string[] = [];
  for (const file of results) {
    for (const problem of file.problems) rows.push(`| 💥 could not run | ${markdownCode(problem.where)} | ${markdownCell(printable(problem.message))} | | |`);
    for (const result of file.cases) {
      if (result.passed) continue;
      const expected = `${result.expected.outcome}${result.expected.rule !== undefined ? ` by ${result.expected.rule}` : ''}`;
      const got = `${result.actual.outcome} by ${result.actual.rule}${result.actual.message ? `: ${printable(result.actual.message)}` : ''}`;
      rows.push(`| ❌ failed | ${markdownCode(`${file.file}:${result.line}:${result.column}`)} | ${markdownCell(printable(result.name))} | ${markdownCell(expected)} | ${markdownCell(got)} |`);
    }
  }
  if (rows.length > 0) {
    lines.push('', '| Result | Where | Case | Expected | Got |', '| --- | --- | --- | --- | --- |', ...rows.slice(0, MARKDOWN_MAX_ROWS));
    if (rows.length > MARKDOWN_MAX_ROWS) lines.push('', `…and ${rows.length - MARKDOWN_MAX_ROWS} more (\`policylayer test\` lists them all).`);
  }
  const files = results.filter((file) => file.problems.length === 0);
  if (files.length > 0) {
    lines.push('', '<details><summary>Test files</summary>', '', '| File | Policy | Passed | Failed |', '| --- | --- | --- | --- |');
    for (const file of files.slice(0, MARKDOWN_MAX_ROWS)) {
      const failedHere = file.cases.filter((c) => !c.passed).length;
      lines.push(`| ${markdownCode(file.file)} | ${file.policy !== undefined ? markdownCode(file.policy) : ""} | ${file.cases.length - failedHere} | ${failedHere} |`);
    }
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
