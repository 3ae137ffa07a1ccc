/**
 * The default policy of a server wrap is about to protect: created as `policylayer init -- <its
 * command>` would, from the tools the server lists now, in the entry's own environment and folder.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ServerEntry } from '../wrap/config-types.js';
import type { StdioCommand } from '../wrap/proxy-command.js';
import type { Io } from './io.js';

/** The environment and folder the client would start the server with, as far as the entry says. */
export function serverIo(io: Io, entry: ServerEntry, configDir: string): Io {
  const env = { ...io.env };
  for (const [key, value] of Object.entries(entry.env ?? {})) if (typeof value === 'string') env[key] = value;
  const cwd = entry.cwd ? (isAbsolute(entry.cwd) ? entry.cwd : resolve(configDir, entry.cwd)) : io.cwd;
  return { ...io, env, cwd };
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
