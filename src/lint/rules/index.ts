import type { LintRule } from '../rule.js';

/** Findings produced while parsing and validating against the schema. */
export const schemaRules: LintRule[] = [
  { id: 'invalid-syntax', severity: 'error', description: 'The file is not valid JSON or YAML.' },
  { id: 'duplicate-key', severity: 'error', description: 'A key appears twice in one object; parsers disagree on which one wins.' },
  { id: 'unknown-key', severity: 'error', description: 'A key the policy language does not define; a misspelt key silently drops a rule.' },
  { id: 'missing-key', severity: 'error', description: 'A required key is missing.' },
  { id: 'invalid-value', severity: 'error', description: 'A value of the wrong type or outside the allowed values.' },
];

/** Semantic rules, run on schema-valid policies, in this order. */
export const semanticRules: LintRule[] = [];

export const allRules: LintRule[] = [...schemaRules, ...semanticRules];

export function ruleById(id: string): LintRule | undefined {
  return allRules.find((rule) => rule.id === id);
}
