import { jsonEqual } from '../../util/json.js';
import type { Condition } from '../../policy/schema.js';
import type { LintRule } from '../rule.js';
import { toolEntries, unconditionalDenyIndex } from '../policy-walk.js';

/** Every condition of `general` also appears in `specific`: whenever `specific` matches, `general` matched too. */
function covers(general: readonly Condition[], specific: readonly Condition[]): boolean {
  return general.every((g) => specific.some((s) => s.path === g.path && s.op === g.op && jsonEqual(s.value, g.value)));
}

export const unreachableRule: LintRule = {
  id: 'unreachable-rule',
  severity: 'warning',
  description: 'An entry that is never evaluated, or can never match, because an earlier entry always decides first.',
  check({ policy, report }) {
    for (const tool of toolEntries(policy)) {
      const { rules, pointer } = tool;
      const denyAll = unconditionalDenyIndex(rules);
      if (denyAll >= 0) {
        const first = `${pointer}/deny_if/${denyAll}`;
        const after = (list: 'deny_if' | 'require' | 'limits' | 'require_approval', from: number) =>
          (rules[list] ?? []).forEach((_, i) => {
            if (i >= from) report({ pointer: `${pointer}/${list}/${i}`, message: `never evaluated: ${first} has no conditions and denies every call first` });
          });
        after('deny_if', denyAll + 1);
        after('require', 0);
        after('limits', 0);
        after('require_approval', 0);
        continue;
      }
      const denies = (rules.deny_if ?? []).map((entry) => entry.conditions ?? []);
      denies.forEach((conditions, i) => {
        const earlier = denies.findIndex((other, j) => j < i && covers(other, conditions));
        if (earlier >= 0) report({ pointer: `${pointer}/deny_if/${i}`, message: `can never match: ${pointer}/deny_if/${earlier} denies every call this entry would, first` });
      });
      const approvals = (rules.require_approval ?? []).map((entry) => entry.conditions ?? []);
      approvals.forEach((conditions, i) => {
        const denied = denies.findIndex((other) => covers(other, conditions));
        const asked = approvals.findIndex((other, j) => j < i && covers(other, conditions));
        if (denied >= 0) report({ pointer: `${pointer}/require_approval/${i}`, message: `can never match: ${pointer}/deny_if/${denied} denies every call this entry would ask about` });
        else if (asked >= 0) report({ pointer: `${pointer}/require_approval/${i}`, message: `can never match: ${pointer}/require_approval/${asked} already asks for every call this entry would` });
      });
    }
  },
};
