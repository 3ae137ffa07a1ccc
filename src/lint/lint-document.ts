import type { ServerCatalog } from '../catalog/types.js';
import type { SourceDocument } from '../policy/source.js';
import { lintSource, type SourceLintResult } from './lint-source.js';
import type { RegexChecker } from './rule.js';

export interface LintDocumentOptions {
  catalog?: ServerCatalog;
}

let regexChecker: Promise<RegexChecker> | undefined;

/** Whether the parsed value has any `"op": "regex"` condition, before the schema has even run. */
export function hasRegexConditions(value: unknown): boolean {
  const tools = (value as { tools?: unknown } | null)?.tools;
  if (!tools || typeof tools !== 'object') return false;
  for (const rules of Object.values(tools)) {
    if (!rules || typeof rules !== 'object') continue;
    for (const list of ['deny_if', 'require', 'require_approval']) {
      const entries = (rules as Record<string, unknown>)[list];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        const conditions = (entry as { conditions?: unknown } | null)?.conditions;
        if (Array.isArray(conditions) && conditions.some((c) => (c as { op?: unknown } | null)?.op === 'regex')) return true;
      }
    }
  }
  return false;
}

/**
 * Lints one parsed policy with every rule. The ReDoS checker (recheck, ~3 MB of JavaScript) is
 * loaded only for a policy that has regex conditions, so linting the usual policy stays fast.
 */
export async function lintDocument(source: SourceDocument, options: LintDocumentOptions = {}): Promise<SourceLintResult> {
  let checkRegex: RegexChecker | undefined;
  if (source.syntaxErrors.length === 0 && hasRegexConditions(source.value)) {
    regexChecker ??= import('./regex-safety.js').then((module) => module.createRegexChecker());
    checkRegex = await regexChecker;
  }
  return lintSource(source, { ...(options.catalog ? { catalog: options.catalog } : {}), ...(checkRegex ? { checkRegex } : {}) });
}
