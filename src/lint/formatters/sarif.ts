import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { ruleDocsUrl, type Finding } from '../finding.js';
import { PROJECT_REPOSITORY } from '../../util/home.js';
import type { Formatter } from './types.js';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as GitHub code
 * scanning reads it: every rule declared in tool.driver.rules, results with ruleId and ruleIndex,
 * paths relative to the working folder (%SRCROOT%), 1-based regions in UTF-16 code units (SARIF's default).
 */
const LEVEL: Record<Finding['severity'], 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/** Relative paths against %SRCROOT% (the working folder); a file outside it gets an absolute file: URI. */
function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('\\').join('/').split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

export const sarif: Formatter = (report) => {
  const rules: ReportingDescriptor[] = report.rules.map((rule) => ({
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.description },
    helpUri: ruleDocsUrl(rule.id),
    help: { text: `${rule.description} See ${ruleDocsUrl(rule.id)}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: rule.needsCatalog ? ['policy', 'catalog'] : ['policy'] },
  }));
  const index = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const results: Result[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) {
      const { start, end } = finding.range;
      const region = { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: start.line === end.line ? Math.max(end.column, start.column) : end.column };
      const ruleIndex = index.get(finding.ruleId);
      results.push({
        ruleId: finding.ruleId,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(file.path),
              region,
            },
            ...(finding.pointer ? { logicalLocations: [{ fullyQualifiedName: finding.pointer, kind: 'object' }] } : {}),
          },
        ],
        ...(finding.suggestion !== undefined ? { properties: { suggestion: finding.suggestion } } : {}),
        // The did-you-mean replacement `lint --fix` would write, as a SARIF fix (§3.55).
        ...(finding.fix !== undefined
          ? {
              fixes: [
                {
                  description: { text: `Replace with ${JSON.stringify(finding.suggestion)}` },
                  artifactChanges: [{ artifactLocation: artifactLocation(file.path), replacements: [{ deletedRegion: region, insertedContent: { text: finding.fix.text } }] }],
                },
              ],
            }
          : {}),
      });
    }
  }
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'policylayer', version: report.toolVersion, informationUri: PROJECT_REPOSITORY, rules } },
        invocations: [
          {
            executionSuccessful: report.unreadable.length === 0,
            toolExecutionNotifications: report.unreadable.map((problem) => ({
              level: 'error' as const,
              message: { text: problem.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(problem.path) } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
