import type { LintRule } from '../rule.js';
import { toolEntries } from '../policy-walk.js';

export const redundantAllow: LintRule = {
  id: 'redundant-allow',
  severity: 'info',
  description: 'A tool listed with {} under "default": "allow", where it is allowed anyway.',
  check({ policy, report }) {
    if (policy.default !== 'allow') return;
    for (const tool of toolEntries(policy)) {
      const lists = [tool.rules.deny_if, tool.rules.require, tool.rules.limits, tool.rules.require_approval];
      if (lists.some((list) => list !== undefined && list.length > 0)) continue;
      report({ pointer: tool.pointer, part: 'key', message: `${JSON.stringify(tool.name)} has no rules, and "default": "allow" allows it anyway; remove the entry or add rules` });
    }
  },
};
