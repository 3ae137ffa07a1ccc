import { argumentSegments } from '../../engine/args.js';
import type { Condition } from '../../policy/schema.js';
import { catalogTool } from '../catalog-lookup.js';
import type { LintRule } from '../rule.js';
import { conditionEntries } from '../policy-walk.js';
import { describeTypes, isNumeric, jsonTypeOf, lookupArgument, typeAdmits, typesOf, type JsonType } from '../tool-schema.js';

/** What is wrong with applying `condition` to a parameter of `types`, or undefined. `at` is the pointer suffix to blame. */
function mismatch(condition: Condition, types: ReadonlySet<JsonType>): { at: string; message: string } | undefined {
  const kind = `${condition.path} is ${article(describeTypes(types))} ${describeTypes(types)}`;
  switch (condition.op) {
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return isNumeric(types) ? undefined : { at: '/op', message: `"${condition.op}" compares numbers, but ${kind}, so this condition never holds` };
    case 'regex':
      return types.has('string') ? undefined : { at: '/op', message: `"regex" matches strings, but ${kind}, so this condition never holds` };
    case 'contains':
      if (!types.has('string') && !types.has('array')) return { at: '/op', message: `"contains" looks inside strings and arrays, but ${kind}, so this condition never holds` };
      if (!types.has('array') && typeof condition.value !== 'string')
        return { at: '/value', message: `${kind}; it never contains ${article(jsonTypeOf(condition.value))} ${jsonTypeOf(condition.value)}, so this condition never holds` };
      return undefined;
    case 'eq':
    case 'neq': {
      const actual = jsonTypeOf(condition.value);
      if (typeAdmits(types, actual)) return undefined;
      const effect = condition.op === 'eq' ? 'never holds' : 'holds for every value';
      return { at: '/value', message: `${kind}, never ${article(actual)} ${actual} (no type coercion), so this condition ${effect}` };
    }
    case 'in':
    case 'not_in': {
      const index = (condition.value as unknown[]).findIndex((item) => !typeAdmits(types, jsonTypeOf(item)));
      if (index < 0) return undefined;
      const actual = jsonTypeOf((condition.value as unknown[])[index]);
      return { at: `/value/${index}`, message: `${kind}, never ${article(actual)} ${actual} (no type coercion), so this item never matches` };
    }
    default:
      return undefined;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

export const typeMismatch: LintRule = {
  id: 'type-mismatch',
  severity: 'error',
  needsCatalog: true,
  description: "A condition whose operator or value cannot fit the parameter's type in the tool's input schema.",
  check({ policy, catalog, report }) {
    if (!catalog) return;
    for (const { tool, condition, pointer } of conditionEntries(policy)) {
      const known = catalogTool(catalog, tool.name);
      if (!known || condition.op === 'exists') continue;
      const found = lookupArgument(known, argumentSegments(condition.path));
      const types = found.kind === 'found' ? typesOf(found.schema) : undefined;
      const problem = types && mismatch(condition, types);
      if (problem) report({ pointer: `${pointer}${problem.at}`, message: problem.message });
    }
  },
};
