import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';

export const invalidRegex: LintRule = {
  id: 'invalid-regex',
  severity: 'error',
  description: 'A regex condition whose pattern is not a valid JavaScript regular expression.',
  check({ policy, report }) {
    for (const { condition, pointer } of conditionEntries(policy)) {
      if (condition.op !== 'regex') continue;
      try {
        new RegExp(condition.value);
      } catch (error) {
        const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
        report({ pointer: `${pointer}/value`, message: `invalid regular expression: ${reason}` });
      }
    }
  },
};
