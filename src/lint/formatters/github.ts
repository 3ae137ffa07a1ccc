import { ruleDocsUrl, type Finding } from '../finding.js';
import { escapeData, escapeProperty } from '../../output/github.js';
import { plural } from '../../output/plural.js';
import { countFindings, type Formatter } from './types.js';

/** GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the pull request. */

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

function annotation(path: string, finding: Finding): string {
  const { start, end } = finding.range;
  // GitHub ignores columns on an annotation that spans lines, so they are given only for one line.
  const oneLine = start.line === end.line;
  const properties: Array<[string, string | number]> = [
    ['file', path],
    ['line', start.line],
    ...(oneLine ? [['col', start.column] as [string, number]] : []),
    ['endLine', end.line],
    ...(oneLine ? [['endColumn', Math.max(end.column, start.column)] as [string, number]] : []),
    ['title', `policylayer ${finding.ruleId}`],
  ];
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${COMMAND[finding.severity]} ${props}::${escapeData(`${finding.message}\nSee ${ruleDocsUrl(finding.ruleId)}`)}`;
}

export const github: Formatter = (report) => {
  const lines: string[] = [];
  for (const file of report.files) for (const finding of file.findings) lines.push(annotation(file.path.split('\\').join('/'), finding));
  for (const problem of report.unreadable) lines.push(`::error file=${escapeProperty(problem.path)},title=${escapeProperty('policylayer unreadable')}::${escapeData(problem.message)}`);
  const counts = countFindings(report.files);
  lines.push(
    `policylayer lint: ${plural(report.files.length, 'file')}, ${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')}` +
      (report.unreadable.length > 0 ? `, ${report.unreadable.length} unreadable` : ''),
  );
  return `${lines.join('\n')}\n`;
};
