import type { LintRule } from '../rule.js';
import { reachableWithoutApproval, toolRules } from '../policy-walk.js';
import { toPointer } from '../../policy/pointer.js';
import type { ToolRules } from '../../policy/schema.js';

/** Whether a tool's entry says anything beyond "allowed": a limit, a condition or an approval. */
function hasRule(rules: ToolRules): boolean {
  return (rules.limits ?? []).length > 0 || (rules.deny_if ?? []).length > 0 || (rules.require ?? []).length > 0 || (rules.require_approval ?? []).length > 0;
}

export const needsReviewAllowed: LintRule = {
  id: 'needs-review-allowed',
  severity: 'warning',
  needsCatalog: true,
  description: 'A tool whose class needs review (weak or conflicting evidence) is allowed without any rule.',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const tool of catalog.tools) {
      if (tool.needsReview === undefined || !reachableWithoutApproval(policy, tool.name)) continue;
      const rules = toolRules(policy, tool.name);
      if (rules && hasRule(rules)) continue;
      if (!rules && (policy.all_tools?.limits ?? []).length > 0) continue;
      const fix = tool.category === 'Destructive' ? `"hide": [${JSON.stringify(tool.name)}]` : `"tools": { ${JSON.stringify(tool.name)}: { "require_approval": [{ "message": "…" }] } }`;
      report({
        pointer: rules ? toPointer(['tools', tool.name]) : '/default',
        ...(rules ? { part: 'key' as const } : {}),
        message: `${JSON.stringify(tool.name)} is classed ${tool.category} on evidence that needs review (${tool.needsReview}), and ${rules ? 'is allowed with no rule' : 'is allowed by "default": "allow"'}; review what it does, then limit it or require approval, e.g. ${fix}`,
      });
    }
  },
};
