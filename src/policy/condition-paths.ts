import type { Rule } from './schema.js';

/** The argument paths the rules' conditions look at, each once, in order of appearance. */
export function conditionPaths(rules: readonly Rule[]): string[] {
  return [...new Set(rules.flatMap((rule) => (rule.conditions ?? []).map((condition) => condition.path)))];
}
