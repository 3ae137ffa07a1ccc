import { UsageError } from '../errors.js';
import type { ServerCatalog } from '../catalog/types.js';
import { didYouMean } from '../util/suggest.js';
import type { Io } from '../output/io.js';

/** What `catalog` and `init` describe: a built-in server id or saved catalog file before `--`, or a live server after it. */
export interface CatalogTarget {
  /** A built-in id (`mcp-slicer`) or a saved `catalog --format json` file (`*.json`). */
  name?: string | undefined;
  /** The server command after `--`. */
  command?: string[] | undefined;
  timeoutMs?: number | undefined;
}

export function looksLikeCatalogFile(name: string): boolean {
  return /\.json$/i.test(name) || name.includes('/') || name.includes('\\');
}

/** Loads the catalog a command was pointed at; every failure is a one-line UserError (exit 2). */
export async function catalogFor(io: Io, target: CatalogTarget, usage: string): Promise<ServerCatalog> {
  if (target.command !== undefined) {
    if (target.name !== undefined) throw new UsageError(`give a built-in server or a command after --, not both ("${target.name}" and "${target.command.join(' ')}")`);
    if (target.command.length === 0) throw new UsageError(`no server command after "--"; usage: ${usage}`);
    const { introspectServer } = await import('../catalog/introspect.js');
    return introspectServer(target.command, { env: io.env, cwd: io.cwd, ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}) });
  }
  if (target.name === undefined) throw new UsageError(`name a server (built-in: mcp-slicer) or give its command after --; usage: ${usage}`);
  if (looksLikeCatalogFile(target.name)) {
    const { loadCatalog } = await import('./catalog-input.js');
    return (await loadCatalog(io, { catalog: target.name }))!;
  }
  const { BUILTIN_CATALOGS, builtinCatalog } = await import('../catalog/builtin.js');
  const catalog = builtinCatalog(target.name);
  if (catalog) return catalog;
  const ids = BUILTIN_CATALOGS.map((c) => c.id);
  const close = didYouMean(target.name, ids);
  throw new UsageError(
    `no built-in catalog "${target.name}"${close ? ` (did you mean "${close}"?)` : ''}; built-in: ${ids.join(', ')}; for any other server give its command after --`,
  );
}
