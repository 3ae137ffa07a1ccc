import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';

export const unsafeRegex: LintRule = {
  id: 'unsafe-regex',
  severity: 'error',
  description: 'A regular expression with catastrophic backtracking: an agent-chosen argument can stall the proxy.',
  check({ policy, checkRegex, report }) {
    if (!checkRegex) return;
    for (const { condition, pointer } of conditionEntries(policy)) {
      if (condition.op !== 'regex') continue;
      const verdict = checkRegex(condition.value);
      if (verdict.status !== 'vulnerable') continue;
      const growth = verdict.complexity === 'exponential' ? 'exponential' : 'polynomial';
      const where = verdict.hotspot ? ` (the repetition at /${verdict.hotspot}/)` : '';
      report({
        pointer: `${pointer}/value`,
        message: `this regular expression takes ${growth} time on some inputs${where}, e.g. ${verdict.attack}; the agent chooses ${condition.path}, so one call can stall the proxy: rewrite it without nested or overlapping repetition`,
      });
    }
  },
};
