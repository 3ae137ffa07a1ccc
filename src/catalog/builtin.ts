import { mcpSlicer } from './servers/mcp-slicer.js';
import type { ServerCatalog } from './types.js';

/** The servers policylayer knows without starting them. */
export const BUILTIN_CATALOGS: readonly ServerCatalog[] = [mcpSlicer];

export function builtinCatalog(id: string): ServerCatalog | undefined {
  return BUILTIN_CATALOGS.find((catalog) => catalog.id === id);
}
