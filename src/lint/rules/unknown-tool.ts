import { didYouMean } from '../../util/suggest.js';
import { catalogTool, catalogToolNames } from '../catalog-lookup.js';
import type { LintRule } from '../rule.js';
import { toolEntries } from '../policy-walk.js';

export const unknownTool: LintRule = {
  fixable: true,
  id: 'unknown-tool',
  severity: 'error',
  needsCatalog: true,
  description: 'A tool name the server does not have: its rules never apply, and the real tool falls to "default".',
  check({ policy, catalog, report }) {
    if (!catalog) return;
    const names = catalogToolNames(catalog);
    const describe = (name: string) => {
      const suggestion = didYouMean(name, names);
      const hint = suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : names.length <= 12 ? `its tools: ${names.join(', ')}` : `it has ${names.length} tools`;
      return { message: `${catalog.name} has no tool ${JSON.stringify(name)} (${hint})`, ...(suggestion ? { suggestion } : {}) };
    };
    for (const tool of toolEntries(policy)) {
      if (!catalogTool(catalog, tool.name)) report({ pointer: tool.pointer, part: 'key', ...describe(tool.name) });
    }
    (policy.hide ?? []).forEach((name, i) => {
      if (name !== '*' && !catalogTool(catalog, name)) report({ pointer: `/hide/${i}`, ...describe(name) });
    });
  },
};
