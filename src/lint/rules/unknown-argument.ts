import { argumentSegments } from '../../engine/args.js';
import { didYouMean } from '../../util/suggest.js';
import { catalogTool } from '../catalog-lookup.js';
import type { LintRule, RuleReport } from '../rule.js';
import { conditionEntries, limitEntries } from '../policy-walk.js';
import { lookupArgument } from '../tool-schema.js';
import type { CatalogTool } from '../../catalog/types.js';

function problem(tool: CatalogTool, path: string, pointer: string, consequence: string): RuleReport | undefined {
  const found = lookupArgument(tool, argumentSegments(path));
  if (found.kind !== 'unknown') return undefined;
  const suggestion = didYouMean(found.segment, found.known);
  const fixed = suggestion ? `${found.at}.${suggestion}` : undefined;
  const where = found.at === 'args' ? `${JSON.stringify(tool.name)} has no parameter ${JSON.stringify(found.segment)}` : `${found.at} has no member ${JSON.stringify(found.segment)}`;
  const hint = fixed ? ` (did you mean ${JSON.stringify(fixed)}?)` : found.known.length > 0 ? ` (it has: ${found.known.join(', ')})` : '';
  return { pointer, message: `${where}${hint}; ${consequence}`, ...(fixed ? { suggestion: fixed } : {}) };
}

export const unknownArgument: LintRule = {
  fixable: true,
  id: 'unknown-argument',
  severity: 'error',
  needsCatalog: true,
  description: "A condition or increment_from path that is not in the tool's input schema.",
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const { tool, condition, pointer } of conditionEntries(policy)) {
      const known = catalogTool(catalog, tool.name);
      const found = known && problem(known, condition.path, `${pointer}/path`, 'a condition on an absent argument never holds (only "exists" can)');
      if (found) report(found);
    }
    for (const { tool, limit, pointer } of limitEntries(policy)) {
      const known = tool && limit.increment_from ? catalogTool(catalog, tool.name) : undefined;
      const found = known && problem(known, limit.increment_from!, `${pointer}/increment_from`, 'the amount is always missing, so every call is denied');
      if (found) report(found);
    }
  },
};
