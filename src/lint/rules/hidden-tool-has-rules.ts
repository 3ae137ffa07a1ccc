import type { LintRule } from '../rule.js';
import { hiddenNames, toolEntries } from '../policy-walk.js';

export const hiddenToolHasRules: LintRule = {
  id: 'hidden-tool-has-rules',
  severity: 'warning',
  description: 'A hidden tool is also listed under "tools"; hiding wins, so its rules never apply.',
  check({ policy, report }) {
    const hidden = hiddenNames(policy);
    if (!hidden.all && hidden.names.size === 0) return;
    for (const tool of toolEntries(policy)) {
      if (!hidden.all && !hidden.names.has(tool.name)) continue;
      const why = hidden.names.has(tool.name) ? `${JSON.stringify(tool.name)} is in "hide"` : '"hide" contains "*"';
      report({
        pointer: tool.pointer,
        part: 'key',
        message: `${why}, so the rules under tools.${tool.name} never apply; remove the tool from one of the two`,
      });
    }
  },
};
