import { argumentSegments } from '../../engine/args.js';
import { catalogTool } from '../catalog-lookup.js';
import type { LintRule } from '../rule.js';
import { limitEntries } from '../policy-walk.js';
import { isRequiredArgument } from '../tool-schema.js';

export const incrementFromOptional: LintRule = {
  id: 'increment-from-optional',
  severity: 'warning',
  needsCatalog: true,
  description: 'increment_from names an optional parameter: every call that leaves it out is denied by the limit.',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const { tool, limit, pointer } of limitEntries(policy)) {
      if (!tool || !limit.increment_from) continue;
      const known = catalogTool(catalog, tool.name);
      if (!known || isRequiredArgument(known, argumentSegments(limit.increment_from)) !== false) continue;
      // A require entry that tests presence says the denial is intended, with its own message.
      const demanded = (tool.rules.require ?? []).some((entry) =>
        (entry.conditions ?? []).some((c) => c.path === limit.increment_from && c.op === 'exists' && c.value !== false),
      );
      if (demanded) continue;
      report({
        pointer: `${pointer}/increment_from`,
        message: `${limit.increment_from} is optional for ${JSON.stringify(tool.name)}, and a call without it is denied by this limit with a message about the limit; if that is intended, say so with a require entry { "path": "${limit.increment_from}", "op": "exists" } and an on_deny message`,
      });
    }
  },
};
