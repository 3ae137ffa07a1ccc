import type { LintRule } from '../rule.js';

export const duplicateHide: LintRule = {
  id: 'duplicate-hide',
  severity: 'warning',
  description: 'A tool listed twice in "hide", or next to "*", which already hides every tool.',
  check({ policy, report }) {
    const hide = policy.hide ?? [];
    const first = new Map<string, number>();
    const star = hide.indexOf('*');
    hide.forEach((name, i) => {
      const earlier = first.get(name);
      if (earlier !== undefined) report({ pointer: `/hide/${i}`, message: `${JSON.stringify(name)} is already in "hide" at /hide/${earlier}` });
      else if (star >= 0 && name !== '*') report({ pointer: `/hide/${i}`, message: `redundant: "*" at /hide/${star} already hides every tool` });
      if (earlier === undefined) first.set(name, i);
    });
  },
};
