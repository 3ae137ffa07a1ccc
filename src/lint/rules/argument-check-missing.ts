import type { LintRule } from '../rule.js';
import { reachableWithoutApproval, toolRules } from '../policy-walk.js';
import { toPointer } from '../../policy/pointer.js';
import { conditionPaths } from '../../policy/condition-paths.js';

/**
 * The catalog's argument checks (CatalogTool.argumentRules: values the server pastes into code it
 * runs) that the policy leaves out. Any deny_if or require condition on the same argument counts as
 * the user's own check: the rule asks for a decision, not for the catalog's exact list.
 */
export const argumentCheckMissing: LintRule = {
  id: 'argument-check-missing',
  severity: 'warning',
  needsCatalog: true,
  description: 'A tool whose server pastes an argument into code it runs is allowed with no rule on that argument.',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const tool of catalog.tools) {
      if (!tool.argumentRules?.length || !reachableWithoutApproval(policy, tool.name)) continue;
      const rules = toolRules(policy, tool.name);
      const checked = new Set(conditionPaths([...(rules?.deny_if ?? []), ...(rules?.require ?? [])]));
      const missing = conditionPaths(tool.argumentRules).filter((path) => !checked.has(path));
      if (missing.length === 0) continue;
      report({
        pointer: rules ? toPointer(['tools', tool.name]) : '/default',
        ...(rules ? { part: 'key' as const } : {}),
        message: `${JSON.stringify(tool.name)} is allowed with no rule on ${missing.join(', ')}, which the server pastes into code it runs; add the check policylayer init writes: "deny_if": ${JSON.stringify(tool.argumentRules)}`,
      });
    }
  },
};
