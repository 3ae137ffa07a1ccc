import type { LintRule } from '../rule.js';

export const allToolsIncrementFrom: LintRule = {
  id: 'all-tools-increment-from',
  severity: 'warning',
  description: 'An all_tools limit with increment_from denies every call to a tool that lacks that numeric argument.',
  check({ policy, report }) {
    (policy.all_tools?.limits ?? []).forEach((limit, i) => {
      if (!limit.increment_from) return;
      report({
        pointer: `/all_tools/limits/${i}/increment_from`,
        message: `every call that lacks a numeric ${limit.increment_from} is denied by this limit, whatever the tool; put spend caps on the tools that take the argument, under tools.<name>.limits`,
      });
    });
  },
};
