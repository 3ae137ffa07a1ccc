import type { ChalkInstance } from 'chalk';
import type { FileResult } from '../finding.js';
import type { LintRule } from '../rule.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'markdown'] as const;
export type FormatName = (typeof FORMATS)[number];

/** Everything a formatter needs; findings are already filtered (--quiet) and sorted. */
export interface LintReport {
  files: FileResult[];
  /** Inputs that could not be linted (missing, unreadable, not text); also printed on stderr. */
  unreadable: Array<{ path: string; message: string }>;
  /** Files found but not linted: policylayer's own kinds that are not policies (lock files, catalogs, …). */
  skipped?: Array<{ path: string; kind: string }>;
  /** Every rule, for formats that declare them (SARIF). */
  rules: readonly LintRule[];
  toolVersion: string;
}

export interface FormatOptions {
  /** Only stylish colours its output. */
  color?: ChalkInstance;
}

export type Formatter = (report: LintReport, options: FormatOptions) => string;

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(files: readonly FileResult[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const finding of file.findings) {
      if (finding.severity === 'error') counts.errors++;
      else if (finding.severity === 'warning') counts.warnings++;
      else counts.infos++;
    }
  }
  return counts;
}

