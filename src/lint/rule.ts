import type { PolicyDocument } from '../policy/schema.js';
import type { SourceDocument } from '../policy/source.js';
import type { ServerCatalog } from '../catalog/types.js';
import type { Severity } from './finding.js';

export interface RuleReport {
  pointer: string;
  message: string;
  /** Point at the member's key instead of its value. */
  part?: 'key' | 'value';
  suggestion?: string;
}

/** What a ReDoS check says about one pattern (see regex-safety.ts). */
export type RegexVerdict =
  | { status: 'safe' }
  | { status: 'vulnerable'; complexity: 'exponential' | 'polynomial'; attack: string; hotspot?: string }
  | { status: 'unknown'; reason: string };

export type RegexChecker = (pattern: string) => RegexVerdict;

export interface RuleContext {
  /** The schema-valid policy. Semantic rules only run once the schema accepts the document. */
  policy: PolicyDocument;
  source: SourceDocument;
  /** The server's tool catalog, when known (`--server`, `--catalog`, `--live`). */
  catalog?: ServerCatalog;
  /** A ReDoS checker, loaded only for policies with regex conditions; rules that need it skip without it. */
  checkRegex?: RegexChecker;
  report(report: RuleReport): void;
}

export interface LintRule {
  /** Stable kebab-case id; also the name of docs/rules/<id>.md. */
  id: string;
  severity: Severity;
  /** One line, for SARIF and `--help`. */
  description: string;
  /** Rules that need a catalog are skipped without one. */
  needsCatalog?: boolean;
  /** Its suggestion replaces exactly the text the finding points at, so `--fix` can apply it. */
  fixable?: true;
  /** Absent for rules produced while parsing and validating (invalid-syntax, unknown-key, …). */
  check?(context: RuleContext): void;
}
