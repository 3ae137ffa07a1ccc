import type { LintRule } from '../rule.js';
import { reachableWithoutApproval, toolRules } from '../policy-walk.js';
import { recommendationText } from '../recommendation.js';
import { toPointer } from '../../policy/pointer.js';

export const criticalToolAllowed: LintRule = {
  id: 'critical-tool-allowed',
  severity: 'warning',
  needsCatalog: true,
  description: 'A critical-risk (Destructive or Financial) tool that can be called without a human approving it.',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const tool of catalog.tools) {
      if (tool.risk !== 'Critical' || !reachableWithoutApproval(policy, tool.name)) continue;
      const rules = toolRules(policy, tool.name);
      const fix = tool.recommendation.action === 'allow' || tool.recommendation.action === 'limit' ? `"hide": [${JSON.stringify(tool.name)}]` : recommendationText(tool);
      report({
        pointer: rules ? toPointer(['tools', tool.name]) : '/default',
        ...(rules ? { part: 'key' as const } : {}),
        message: `${JSON.stringify(tool.name)} (${tool.category}, Critical risk) can be called without a human approving it${rules ? '' : ' under "default": "allow"'}; hide it, deny it, or require approval, e.g. ${fix}`,
      });
    }
  },
};
