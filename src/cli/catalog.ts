import type { Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import type { Io } from '../output/io.js';
import { choice, parseOptions } from './options.js';
import type { CliContext } from './context.js';
import { shellWords } from '../util/shell-words.js';
import { durationMs, operandsAroundDoubleDash } from './server-command.js';

export const CATALOG_USAGE = 'policylayer catalog [<server> | -- <command> [args…]]';

export const CatalogOptionsSchema = z.object({
  format: z._default(choice(['table', 'json'] as const), 'table'),
  timeout: z.optional(durationMs),
  evidence: z.optional(z.boolean()),
  color: z.optional(z.boolean()),
});
export type CatalogCommandOptions = z.infer<typeof CatalogOptionsSchema>;

/**
 * `policylayer catalog`: lists the built-in catalogs; with a server id (or a saved catalog file) shows
 * its tools; after `--` starts the server, lists its tools and classifies them. Exit 0, or 2 for a
 * usage error or a server that cannot be started, crashes, hangs or sends no valid tool list.
 */
export async function catalog(target: { name?: string | undefined; command?: string[] | undefined }, rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(CatalogOptionsSchema, rawOptions);
  const { colorFor } = await import('../output/color.js');
  const paint = colorFor(io, io.stdout, options.color === false);
  const width = io.stdout.columns ?? 100;
  if (target.name === undefined && target.command === undefined) {
    const { BUILTIN_CATALOGS } = await import('../catalog/builtin.js');
    if (options.format === 'json') {
      const list = BUILTIN_CATALOGS.map(({ id, name, serverName, summary, launch, homepage, tools }) => ({ id, name, serverName, summary, launch, ...(homepage ? { homepage } : {}), tools: tools.length }));
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    } else {
      const { renderServerList } = await import('../catalog/render.js');
      io.stdout.write(renderServerList(BUILTIN_CATALOGS, { paint, width }));
    }
    return 0;
  }
  const { catalogFor } = await import('./catalog-source.js');
  const found = await catalogFor(io, { ...target, timeoutMs: options.timeout }, CATALOG_USAGE);
  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    return 0;
  }
  const { renderCatalog } = await import('../catalog/render.js');
  io.stdout.write(renderCatalog(found, { paint, width, evidence: options.evidence === true }));
  io.stdout.write(`\nRecommended policy: policylayer init ${target.command ? `-- ${shellWords(target.command)}` : found.id}\n`);
  return 0;
}

export function registerCatalog(program: Command, context: CliContext): void {
  program
    .command('catalog')
    .description("show a server's tools with their risk class and recommended rule (built-in, or any stdio server live)")
    .usage('[options] [<server> | -- <command> [args...]]')
    .argument('[server]', 'a built-in server (mcp-slicer) or a saved catalog file; omit to list the built-in servers')
    .argument('[command...]', 'after --: the stdio MCP server to start and classify')
    .option('-f, --format <format>', 'table or json (json is what `lint --catalog FILE` reads)', 'table')
    .option('--timeout <duration>', 'for a live server: how long it may take to start and list its tools (e.g. 30s, 2m)', '30s')
    .option('--evidence', 'show every piece of evidence behind each class, not only the reason')
    .option('--no-color', 'no colours (also NO_COLOR=1; off anyway when stdout is not a terminal)')
    .addHelpText(
      'after',
      `
Classes: Read (Low risk) allow; Write (Medium) 30/minute per grant; Execute (High) 10/minute per
grant; Destructive (Critical) hide; Financial (Critical) require approval. The classifier and its
accuracy: docs/catalog.md.

Examples:
  policylayer catalog
  policylayer catalog mcp-slicer
  policylayer catalog --format json -- npx -y @modelcontextprotocol/server-filesystem ~/data > fs.catalog.json

Exit codes:
  0  success
  2  usage error, unknown server, or a server that cannot be started, crashes, hangs or lists no valid tools`,
    )
    .action(async (_server: string | undefined, _command: string[], _options: unknown, command: Command) => {
      const { before, after } = operandsAroundDoubleDash(command);
      if (before.length > 1) throw new UsageError(`catalog takes one server, got ${before.length} (${before.join(' ')}); put a server command after --`);
      context.exitCode = await catalog({ name: before[0], command: after }, command.opts(), context.io);
    });
}
