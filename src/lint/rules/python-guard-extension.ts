import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';

/** Says where a policy leaves PolicyLayer's hosted format, so nobody uploads it there expecting the guard to run. */
export const pythonGuardExtension: LintRule = {
  id: 'python-guard-extension',
  severity: 'info',
  description: 'A python condition: a policylayer extension that PolicyLayer\'s hosted gateway does not have.',
  check({ policy, report }) {
    for (const { condition, pointer } of conditionEntries(policy)) {
      if (condition.op !== 'python') continue;
      report({
        pointer: `${pointer}/op`,
        message: '"op": "python" is a policylayer extension: policylayer enforces it, PolicyLayer\'s hosted gateway does not have it and rejects the policy',
      });
    }
  },
};
