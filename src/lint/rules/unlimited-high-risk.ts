import type { LintRule } from '../rule.js';
import { reachableWithoutApproval, toolRules } from '../policy-walk.js';
import { recommendationText } from '../recommendation.js';
import { toPointer } from '../../policy/pointer.js';

export const unlimitedHighRisk: LintRule = {
  id: 'unlimited-high-risk',
  severity: 'warning',
  needsCatalog: true,
  description: 'A high-risk (Execute) tool that can be called without any limit.',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const tool of catalog.tools) {
      if (tool.risk !== 'High' || !reachableWithoutApproval(policy, tool.name)) continue;
      const rules = toolRules(policy, tool.name);
      if ((policy.all_tools?.limits ?? []).length > 0 || (rules?.limits ?? []).length > 0) continue;
      const how = rules ? 'is allowed' : 'is allowed by "default": "allow"';
      report({
        pointer: rules ? toPointer(['tools', tool.name]) : '/default',
        ...(rules ? { part: 'key' as const } : {}),
        message: `${JSON.stringify(tool.name)} (${tool.category}, ${tool.risk} risk) ${how} with no limit; add one, e.g. ${recommendationText(tool.recommendation.action === 'limit' ? tool : { ...tool, recommendation: { action: 'limit', max: 10, window: 'minute' } })}`,
      });
    }
  },
};
