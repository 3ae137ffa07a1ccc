import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';

/** A python condition holds when the code breaks the guard, so `require` would let only such code through. */
export const pythonGuardInRequire: LintRule = {
  id: 'python-guard-in-require',
  severity: 'error',
  description: 'A python condition in require: it holds when the code breaks the guard, so require would allow only that code.',
  check({ policy, report }) {
    for (const { condition, pointer, list } of conditionEntries(policy)) {
      if (condition.op !== 'python' || list !== 'require') continue;
      report({
        pointer: `${pointer}/op`,
        message: 'a python condition holds when the code does something the guard forbids, so in require it would allow only such code; move this entry to deny_if (or require_approval)',
      });
    }
  },
};
