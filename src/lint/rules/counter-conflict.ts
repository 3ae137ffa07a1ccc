import type { LintRule } from '../rule.js';
import { limitEntries, type LimitEntry } from '../policy-walk.js';

function owner(entry: LimitEntry): string {
  return entry.tool ? `tools.${entry.tool.name}` : 'all_tools';
}

export const counterConflict: LintRule = {
  id: 'counter-conflict',
  severity: 'error',
  description: 'One counter name with different windows, scopes or units, or counted twice by one call.',
  check({ policy, report }) {
    const groups = new Map<string, LimitEntry[]>();
    for (const entry of limitEntries(policy)) {
      const group = groups.get(entry.limit.counter);
      if (group) group.push(entry);
      else groups.set(entry.limit.counter, [entry]);
    }
    for (const [counter, group] of groups) {
      if (group.length < 2) continue;
      const first = group[0]!;
      const name = JSON.stringify(counter);
      // all_tools entries come first, so "seen" holds every limit that counts the same call before this one.
      const seen = new Map<string, LimitEntry>();
      for (const entry of group) {
        const { limit, pointer } = entry;
        const key = `${limit.window}/${limit.scope}`;
        const sameCall = seen.get(`${key}/all_tools`) ?? (entry.tool ? seen.get(`${key}/tools.${entry.tool.name}`) : undefined);
        if (entry !== first) {
          const differences: string[] = [];
          if (limit.window !== first.limit.window) differences.push(`window "${limit.window}" here but "${first.limit.window}"`);
          if (limit.scope !== first.limit.scope) differences.push(`scope "${limit.scope}" here but "${first.limit.scope}"`);
          if (differences.length > 0) {
            report({
              pointer: `${pointer}/counter`,
              message: `counter ${name} has ${differences.join(' and ')} at ${first.pointer}; limits share a budget only when window and scope match, so these are separate counters under one name: rename one or make them match`,
            });
          } else if ((limit.increment_from ?? '') !== (first.limit.increment_from ?? '')) {
            const unit = (path: string | undefined) => (path ? `sums ${path}` : 'counts calls');
            report({
              pointer: `${pointer}/counter`,
              message: `counter ${name} ${unit(limit.increment_from)} here but ${unit(first.limit.increment_from)} at ${first.pointer}; one budget cannot mix units: rename one`,
            });
          } else if (sameCall) {
            report({
              pointer: `${pointer}/counter`,
              message: `counter ${name} is also counted by ${sameCall.pointer} (${owner(sameCall)}) for the same calls, so every call${entry.tool ? ` to ${JSON.stringify(entry.tool.name)}` : ''} counts twice; use one limit or rename one counter`,
            });
          }
        }
        seen.set(`${key}/${owner(entry)}`, seen.get(`${key}/${owner(entry)}`) ?? entry);
      }
    }
  },
};
