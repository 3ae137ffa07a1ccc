import type { LintRule } from '../rule.js';
import { toolEntries } from '../policy-walk.js';

export const emptyRequire: LintRule = {
  id: 'empty-require',
  severity: 'warning',
  description: 'A require entry without conditions always holds, so it checks nothing.',
  check({ policy, report }) {
    for (const tool of toolEntries(policy)) {
      (tool.rules.require ?? []).forEach((entry, i) => {
        if ((entry.conditions ?? []).length > 0) return;
        report({
          pointer: `${tool.pointer}/require/${i}`,
          message: 'this require entry has no conditions, so it always holds and checks nothing; add conditions, or use deny_if to block the tool',
        });
      });
    }
  },
};
