/**
 * The default policy of a server wrap is about to protect: created as `policylayer init -- <its
 * command>` would, from the tools the server lists now, in the entry's own environment and folder.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ServerCatalog } from '../catalog/types.js';
import type { ServerEntry } from '../wrap/config-types.js';
import type { ClientId } from '../wrap/clients.js';
import { remoteRebuild, type RemoteEntry } from '../wrap/remote-entry.js';
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
  return writePolicyFor(io, await catalogFor(io, { command: [command.command, ...command.args], timeoutMs }, 'policylayer wrap'), policyPath);
}

export type RemoteServer = Pick<RemoteEntry, 'url' | 'headers' | 'transport'>;

/** The remote server an entry reaches: its own url and headers, or, wrapped, the proxy's `--upstream` and `--header` with the values from its env. */
export function remoteServerOf(entry: ServerEntry, client: ClientId): RemoteServer | undefined {
  if (entry.remote) return entry.remote;
  const inner = entry.wrapped?.inner;
  if (inner?.kind !== 'upstream') return undefined;
  const { url, headers } = remoteRebuild({ env: entry.env ?? {} }, inner, client);
  return { url, headers, transport: inner.transport === 'sse' ? 'sse' : 'auto' };
}

/** The url and header values with the client's variables expanded, as far as they can be known outside the client. */
export function expandedRemote(io: Io, remote: RemoteServer): RemoteServer {
  const folders = { home: io.env.HOME || io.env.USERPROFILE || '', workspace: io.cwd };
  const expand = (text: string) => expandClientVariables(text, io.env, folders);
  return { url: expand(remote.url), headers: remote.headers.map(({ name, value }) => ({ name, value: expand(value) })), transport: remote.transport };
}

/** The same for a remote entry: its url and headers with the client's variables expanded, listed over HTTP (wrap-remote.ts). */
export async function createPolicyFromRemote(io: Io, remote: RemoteServer, policyPath: string, options: { timeoutMs: number; signIn?: boolean | undefined }): Promise<string> {
  const { listRemoteTools } = await import('./wrap-remote.js');
  const listed = await listRemoteTools(io, expandedRemote(io, remote), options);
  const { catalogFromListing } = await import('../catalog/listing.js');
  return writePolicyFor(io, catalogFromListing(listed), policyPath);
}

async function writePolicyFor(io: Io, catalog: ServerCatalog, policyPath: string): Promise<string> {
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
