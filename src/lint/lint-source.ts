import type { ServerCatalog } from '../catalog/types.js';
import type { PolicyDocument } from '../policy/schema.js';
import type { SourceRange } from '../policy/positions.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
import { compareFindings, type Finding } from './finding.js';
import { fixText } from './fix.js';
import type { RegexChecker } from './rule.js';
import { parseFindings, schemaFindings } from './schema-findings.js';
import { semanticRules } from './rules/index.js';

export interface LintOptions {
  catalog?: ServerCatalog;
  /** For unsafe-regex; see lint-document.ts, which loads it when the policy has regexes. */
  checkRegex?: RegexChecker;
}

export interface SourceLintResult {
  /** Present when the document is schema-valid (it may still have semantic findings). */
  policy?: PolicyDocument;
  findings: Finding[];
}

/** Lints one parsed policy: syntax, duplicate keys, schema, then semantic rules. Pure. */
export function lintSource(source: SourceDocument, options: LintOptions = {}): SourceLintResult {
  const findings = parseFindings(source);
  if (source.syntaxErrors.length > 0) return { findings };
  const schema = schemaFindings(source);
  findings.push(...schema.findings);
  if (schema.policy) {
    const policy = schema.policy;
    for (const rule of semanticRules) {
      if (!rule.check || (rule.needsCatalog && !options.catalog)) continue;
      rule.check({
        policy,
        source,
        ...(options.catalog ? { catalog: options.catalog } : {}),
        ...(options.checkRegex ? { checkRegex: options.checkRegex } : {}),
        report: (report) =>
          findings.push(
            locatedLazily(
              {
                ruleId: rule.id,
                severity: rule.severity,
                message: report.message,
                pointer: report.pointer,
                range: undefined as unknown as SourceRange,
                ...(report.suggestion ? { suggestion: report.suggestion } : {}),
              },
              source,
              report.part ?? 'value',
            ),
          ),
      });
    }
  }
  for (const finding of findings) {
    const text = fixText(source, finding);
    if (text !== undefined) finding.fix = { text };
  }
  findings.sort(compareFindings);
  return { ...(schema.policy ? { policy: schema.policy } : {}), findings };
}

/**
 * The finding with its `range` found in the source when first read. Locating a pointer builds the
 * document's spans and line index (~7 ms, cold, for the strict profile's policy), and a finding
 * the lint configuration suppresses, or a clean run's, is never shown: only the ones read pay.
 * The property keeps its place among the keys (JSON output order).
 */
function locatedLazily(finding: Finding, source: SourceDocument, part: 'key' | 'value'): Finding {
  let range: SourceRange | undefined;
  return Object.defineProperty(finding, 'range', {
    enumerable: true,
    configurable: true,
    get: () => (range ??= rangeOf(source, finding.pointer, part)),
    set: (value: SourceRange) => {
      range = value;
    },
  });
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}
