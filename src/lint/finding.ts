import type { SourceRange } from '../policy/positions.js';
import { projectPage } from '../util/home.js';

export type Severity = 'error' | 'warning' | 'info';

/** One problem in one policy file. `pointer` is a JSON Pointer into the document. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  pointer: string;
  range: SourceRange;
  /** A replacement the user most likely meant (did-you-mean), when there is one. */
  suggestion?: string;
  /** The text `lint --fix` writes over `range` for the suggestion (quoted as the file needs), when it can. */
  fix?: { text: string };
}

export interface FileResult {
  /** The path as given or found, relative to the working folder when inside it. */
  path: string;
  findings: Finding[];
  /** The source lines, for code frames; absent when the file could not be read. */
  lines?: { lineText(line: number): string };
}

export const DOCS_BASE = projectPage('docs/rules');

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE}/${ruleId}.md`;
}

export function compareFindings(a: Finding, b: Finding): number {
  // Rule ids are lower-case ASCII, where code-unit order is localeCompare's order; localeCompare's
  // first call loads ICU's collator (about 5 ms of a lint run).
  return a.range.start.offset - b.range.start.offset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
