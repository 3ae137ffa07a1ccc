/**
 * The default policy of a server wrap is about to protect: created as `policylayer init -- <its
 * command>` would, from the tools the server lists now, in the entry's own environment and folder.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ServerEntry } from '../wrap/config-types.js';
import type { StdioCommand } from '../wrap/proxy-command.js';
import type { Io } from '../output/io.js';

/**
 * Client variables, as far as they can be known outside the client: `${env:NAME}` (Cursor, VS Code,
 * Windsurf), `${NAME}` and `${NAME:-default}` (Claude Code), `${userHome}`, `${workspaceFolder}`.
 * Anything else (VS Code's `${input:…}`) stays as written. Only for starting the server to list its
 * tools: the entry itself keeps its variables, and the client expands them as before.
 */
export function expandClientVariables(text: string, env: Record<string, string | undefined>, folders: { home: string; workspace: string }): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, inner: string) => {
    if (inner === 'userHome') return folders.home;
    if (inner === 'workspaceFolder') return folders.workspace;
    const named = /^(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/.exec(inner);
    if (!named) return whole;
    return env[named[1]!] ?? named[2] ?? whole;
  });
}

/** The environment and folder the client would start the server with, as far as the entry says. */
export function serverIo(io: Io, entry: ServerEntry, configDir: string): Io {
  const folders = { home: io.env.HOME || io.env.USERPROFILE || '', workspace: io.cwd };
  const env = { ...io.env };
  for (const [key, value] of Object.entries(entry.env ?? {})) if (typeof value === 'string') env[key] = expandClientVariables(value, io.env, folders);
  const cwd = entry.cwd ? (isAbsolute(entry.cwd) ? entry.cwd : resolve(configDir, entry.cwd)) : io.cwd;
  return { ...io, env, cwd };
}

/** The server command with client variables expanded (see expandClientVariables). */
export function expandedCommand(io: Io, command: StdioCommand): StdioCommand {
  const folders = { home: io.env.HOME || io.env.USERPROFILE || '', workspace: io.cwd };
  const expand = (text: string) => expandClientVariables(text, io.env, folders);
  return { command: expand(command.command), args: command.args.map(expand) };
}

/** Writes `policyPath` from a live catalog of `command` (never overwriting); returns a one-line summary. */
export async function createPolicyFromLiveCatalog(io: Io, command: StdioCommand, policyPath: string, timeoutMs: number): Promise<string> {
  const { catalogFor } = await import('./catalog-source.js');
  const catalog = await catalogFor(io, { command: [command.command, ...command.args], timeoutMs }, 'policylayer wrap');
  const { policyFromChoices } = await import('../catalog/recommend.js');
  const { policyText } = await import('./init.js');
  const doc = policyFromChoices(
    catalog.tools.map((tool) => ({ name: tool.name, recommendation: tool.recommendation, category: tool.category })),
    { serverName: catalog.name },
  );
  const text = await policyText(doc, policyPath);
  await mkdir(dirname(policyPath), { recursive: true });
  const { writeOutputFile } = await import('./write-output.js');
  await writeOutputFile(io, policyPath, text, false);
  return `${catalog.tools.length} tool${catalog.tools.length === 1 ? '' : 's'} from ${catalog.name}`;
}
