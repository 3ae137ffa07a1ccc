import { isFixable } from '../fix.js';
import { ruleDocsUrl, type Finding } from '../finding.js';
import { codeFrame } from './code-frame.js';
import { plural } from '../../output/plural.js';
import { countFindings, type Formatter } from './types.js';

/** The colours stylish uses; a ChalkInstance fits, and without one the output is plain. */
interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  underline(text: string): string;
}

const plain: Paint = { red: String, yellow: String, blue: String, green: String, dim: String, bold: String, underline: String };

function severityPaint(paint: Paint, finding: Finding): (text: string) => string {
  return finding.severity === 'error' ? paint.red : finding.severity === 'warning' ? paint.yellow : paint.blue;
}

/** The message without its trailing "(did you mean "x"?)", which the frame shows under the caret instead. */
function splitHint(finding: Finding): { headline: string; hint?: string } {
  if (finding.suggestion === undefined) return { headline: finding.message };
  const hint = `did you mean ${JSON.stringify(finding.suggestion)}?`;
  const inline = ` (${hint})`;
  const at = finding.message.indexOf(inline);
  return { headline: at >= 0 ? finding.message.slice(0, at) + finding.message.slice(at + inline.length) : finding.message, hint };
}

/**
 * The default, for people: findings grouped by file, each with the source line, an underline at the
 * position, the did-you-mean hint and the rule's doc; one summary line at the end.
 */
export const stylish: Formatter = (report, options) => {
  const paint: Paint = options.color ?? plain;
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    out.push(paint.underline(file.path));
    for (const finding of file.findings) {
      const colour = severityPaint(paint, finding);
      const { start } = finding.range;
      const { headline, hint } = splitHint(finding);
      out.push(`  ${paint.dim(`${start.line}:${start.column}`)}  ${colour(finding.severity)}  ${headline}  ${paint.dim(finding.ruleId)}`);
      const source = file.lines?.lineText(start.line);
      if (source !== undefined && (source.trim() !== '' || finding.ruleId === 'invalid-syntax')) {
        const gutter = String(start.line);
        const frame = codeFrame(source, finding.range);
        out.push(`    ${paint.dim(`${gutter} |`)} ${frame.text}`);
        out.push(`    ${paint.dim(`${' '.repeat(gutter.length)} |`)} ${colour(frame.marker)}${hint ? ` ${paint.bold(hint)}` : ''}`);
      } else if (hint) {
        out.push(`    ${paint.bold(hint)}`);
      }
      out.push(`    ${paint.dim(`docs: ${ruleDocsUrl(finding.ruleId)}`)}`);
    }
    out.push('');
  }
  const counts = countFindings(report.files);
  const problems = counts.errors + counts.warnings + counts.infos;
  const files = plural(report.files.length, 'file');
  const unreadable = report.unreadable.length > 0 ? `; ${plural(report.unreadable.length, 'path')} could not be read` : '';
  if (report.files.length === 0 && report.unreadable.length > 0) {
    out.push(paint.red(`nothing linted: ${plural(report.unreadable.length, 'path')} could not be read`));
  } else if (problems === 0) {
    out.push(unreadable ? paint.red(`no problems in ${files}${unreadable}`) : paint.green(`no problems in ${files}`));
  } else {
    const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'), ...(counts.infos > 0 ? [plural(counts.infos, 'info')] : [])];
    const summary = `${plural(problems, 'problem')} (${parts.join(', ')}) in ${files}${unreadable}`;
    out.push(paint.bold(counts.errors > 0 || unreadable ? paint.red(summary) : counts.warnings > 0 ? paint.yellow(summary) : summary));
    const fixable = report.files.reduce((sum, file) => sum + file.findings.filter(isFixable).length, 0);
    if (fixable > 0) out.push(`${plural(fixable, 'problem')} potentially fixable with \`policylayer lint --fix\``);
  }
  return `${out.join('\n')}\n`;
};
