import type { LintRule } from '../rule.js';
import { limitEntries } from '../policy-walk.js';

export const zeroMaxLimit: LintRule = {
  id: 'zero-max-limit',
  severity: 'warning',
  description: 'A limit with "max": 0 blocks every call; say so with hide or deny_if instead.',
  check({ policy, report }) {
    for (const { pointer, limit, tool } of limitEntries(policy)) {
      if (limit.max !== 0) continue;
      const target = tool ? `every call to ${JSON.stringify(tool.name)}` : 'every call to every tool';
      report({
        pointer: `${pointer}/max`,
        message: limit.increment_from
          ? `"max": 0 with "increment_from" only lets calls through whose ${limit.increment_from} is 0; if that is not the point, raise max`
          : `"max": 0 blocks ${target}; write that as "hide" or as a deny_if entry without conditions (with an on_deny message), which says so`,
      });
    }
  },
};
