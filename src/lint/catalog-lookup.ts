import type { CatalogTool, ServerCatalog } from '../catalog/types.js';

/** Catalog tools by exact name, built once per catalog (rules run per file; policies can list thousands of tools). */
const byCatalog = new WeakMap<ServerCatalog, Map<string, CatalogTool>>();

export function catalogTool(catalog: ServerCatalog, name: string): CatalogTool | undefined {
  let map = byCatalog.get(catalog);
  if (!map) {
    map = new Map(catalog.tools.map((tool) => [tool.name, tool]));
    byCatalog.set(catalog, map);
  }
  return map.get(name);
}

export function catalogToolNames(catalog: ServerCatalog): string[] {
  return catalog.tools.map((tool) => tool.name);
}
