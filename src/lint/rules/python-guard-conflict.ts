import { compilePattern } from '../../python/names.js';
import type { PythonGuard } from '../../policy/schema.js';
import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';

const PAIRS = [
  ['deny_modules', 'allow_modules'],
  ['deny_calls', 'allow_calls'],
] as const;

/** The same name both denied and allowed: deny wins a tie, so the allow entry does nothing and someone meant something else. */
export const pythonGuardConflict: LintRule = {
  id: 'python-guard-conflict',
  severity: 'error',
  description: 'A python guard lists the same name as both denied and allowed.',
  check({ policy, report }) {
    for (const { condition, pointer } of conditionEntries(policy)) {
      if (condition.op !== 'python') continue;
      const guard: PythonGuard = condition.value;
      for (const [denyKey, allowKey] of PAIRS) {
        if (!guard[allowKey]?.length) continue;
        // Compared as the guard compares names: NFKC-normalised, so `ｏｓ` and `os` are one name.
        const denied = new Set((guard[denyKey] ?? []).map((name) => compilePattern(name).segments.map(String).join('.')));
        (guard[allowKey] ?? []).forEach((name, i) => {
          if (!denied.has(compilePattern(name).segments.map(String).join('.'))) return;
          report({
            pointer: `${pointer}/value/${allowKey}/${i}`,
            message: `"${name}" is both in ${denyKey} and in ${allowKey}; deny wins, so this entry does nothing: remove one of them`,
          });
        });
      }
    }
  },
};
