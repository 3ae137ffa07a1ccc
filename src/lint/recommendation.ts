import type { CatalogTool } from '../catalog/types.js';

/** The catalog's recommendation for a tool as policy text, for messages. */
export function recommendationText(tool: CatalogTool): string {
  const name = JSON.stringify(tool.name);
  const r = tool.recommendation;
  switch (r.action) {
    case 'limit':
      return `"tools": { ${name}: { "limits": [{ "counter": "${tool.name}_rate", "window": "${r.window}", "max": ${r.max}, "scope": "grant" }] } }`;
    case 'hide':
      return `"hide": [${name}]`;
    case 'deny':
      return `"tools": { ${name}: { "deny_if": [{ "conditions": [], "on_deny": "…" }] } }`;
    case 'require_approval':
      return `"tools": { ${name}: { "require_approval": [{ "message": "…" }] } }`;
    case 'allow':
      return `"tools": { ${name}: {} }`;
  }
}
