import { UsageError } from '../errors.js';
import type { ServerCatalog } from '../catalog/types.js';
import { didYouMean } from '../util/suggest.js';
import type { Io } from '../output/io.js';

/** Where a command's tool catalog comes from. Each source is one option; at most one may be given. */
export interface CatalogOptions {
  /** A built-in catalog id (`--server mcp-slicer`). */
  server?: string | undefined;
  /** A saved `policylayer catalog --format json` file (`--catalog FILE`). */
  catalog?: string | undefined;
  /** A stdio server to introspect now (`--live -- <command>`). */
  live?: string[] | undefined;
  /** For `live`: how long the server may take to list its tools. */
  liveTimeoutMs?: number | undefined;
}

/**
 * The catalog for catalog-aware commands (lint), or undefined when none was asked for.
 * A new source (e.g. `--live -- <command>`) is one more branch here and one more option key.
 */
export async function loadCatalog(io: Io, options: CatalogOptions): Promise<ServerCatalog | undefined> {
  const given = (['server', 'catalog', 'live'] as const).filter((key) => options[key] !== undefined);
  if (given.length > 1) throw new UsageError(`give one catalog source, not ${given.map((key) => `--${key}`).join(' and ')}`);
  if (options.server !== undefined) return builtin(options.server);
  if (options.catalog !== undefined) return fromFile(io, options.catalog);
  if (options.live !== undefined) {
    if (options.live.length === 0) throw new UsageError('--live: give the server command after --, e.g. --live -- uvx mcp-slicer');
    const { introspectServer } = await import('../catalog/introspect.js');
    return introspectServer(options.live, { env: io.env, cwd: io.cwd, ...(options.liveTimeoutMs ? { timeoutMs: options.liveTimeoutMs } : {}) });
  }
  return undefined;
}

async function builtin(id: string): Promise<ServerCatalog> {
  const { BUILTIN_CATALOGS, builtinCatalog } = await import('../catalog/builtin.js');
  const catalog = builtinCatalog(id);
  if (catalog) return catalog;
  const ids = BUILTIN_CATALOGS.map((c) => c.id);
  const close = didYouMean(id, ids);
  throw new UsageError(`--server: no built-in catalog "${id}"${close ? ` (did you mean "${close}"?)` : ''}; built-in: ${ids.join(', ')}; for another server save one with \`policylayer catalog --format json\` and pass --catalog FILE`);
}

async function fromFile(io: Io, file: string): Promise<ServerCatalog> {
  const { readInputText } = await import('./read-input.js');
  const { text, shown } = await readInputText(io, file, 'catalog file');
  const { parseCatalogText } = await import('../catalog/catalog-file.js');
  return parseCatalogText(shown, text);
}
