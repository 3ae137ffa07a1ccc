import { argumentSegments } from '../../engine/args.js';
import { catalogTool } from '../catalog-lookup.js';
import type { LintRule } from '../rule.js';
import { limitEntries } from '../policy-walk.js';
import { describeTypes, isNumeric, lookupArgument, typesOf } from '../tool-schema.js';

export const incrementFromNotNumeric: LintRule = {
  id: 'increment-from-not-numeric',
  severity: 'error',
  needsCatalog: true,
  description: "increment_from names a parameter the tool's input schema says is not a number, so every call is denied.",
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const { tool, limit, pointer } of limitEntries(policy)) {
      if (!tool || !limit.increment_from) continue;
      const known = catalogTool(catalog, tool.name);
      const found = known && lookupArgument(known, argumentSegments(limit.increment_from));
      const types = found && found.kind === 'found' ? typesOf(found.schema) : undefined;
      if (!types || isNumeric(types)) continue;
      report({
        pointer: `${pointer}/increment_from`,
        message: `${limit.increment_from} of ${JSON.stringify(tool.name)} is ${/^[aeiou]/.test(describeTypes(types)) ? 'an' : 'a'} ${describeTypes(types)}, not a number, so this limit denies every call (an amount must be a number)`,
      });
    }
  },
};
