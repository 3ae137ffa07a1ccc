import { ruleDocsUrl } from '../finding.js';
import { countFindings, type Formatter } from './types.js';

/**
 * `--format json`, documented in docs/lint.md. `version` is this output's schema version (bumped only
 * on incompatible changes). Lines and columns are 1-based; columns count UTF-16 code units.
 */
export const JSON_FORMAT_VERSION = 1;

export const json: Formatter = (report) => {
  const total = countFindings(report.files);
  const output = {
    format: 'policylayer-lint',
    version: JSON_FORMAT_VERSION,
    tool: { name: 'policylayer', version: report.toolVersion },
    positions: { base: 1, columns: 'utf-16' },
    files: report.files.map((file) => {
      const counts = countFindings([file]);
      return {
        path: file.path,
        errorCount: counts.errors,
        warningCount: counts.warnings,
        infoCount: counts.infos,
        findings: file.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          pointer: f.pointer,
          line: f.range.start.line,
          column: f.range.start.column,
          endLine: f.range.end.line,
          endColumn: f.range.end.column,
          ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
          docs: ruleDocsUrl(f.ruleId),
        })),
      };
    }),
    unreadable: report.unreadable,
    skipped: report.skipped ?? [],
    summary: { files: report.files.length, unreadable: report.unreadable.length, skipped: (report.skipped ?? []).length, errorCount: total.errors, warningCount: total.warnings, infoCount: total.infos },
  };
  return `${JSON.stringify(output, null, 2)}\n`;
};
