/**
 * `policylayer init --interactive`: lets the user review and change the recommended action of each
 * tool in an ink wizard, previews the policy exactly as it will be written, and hands the confirmed
 * choices back to `init`, which writes them. Loaded only when --interactive is given.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ToolChoice } from '../catalog/recommend.js';
import type { ServerCatalog } from '../catalog/types.js';
import { UsageError, UserError } from '../errors.js';
import { isCi, loadUi } from '../ui/load.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

export interface InteractiveInit {
  catalog: ServerCatalog;
  /** The server command for a live catalog. */
  command?: string[] | undefined;
  /** `-o`: a path, or `-` for stdout. */
  output: string;
  force: boolean;
  /** --strict: the Python guard starts on for tools that take Python code. */
  strict?: boolean;
  /** Formats the policy for the choices as `init` will write it. */
  renderPolicy(choices: ToolChoice[]): Promise<string>;
}

export interface InteractiveTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** The confirmed choices, or undefined when the user quit without writing. */
export async function chooseInteractively(io: Io, init: InteractiveInit, terminal: InteractiveTerminal | undefined): Promise<ToolChoice[] | undefined> {
  if (!terminal || !terminal.stdin.isTTY || !terminal.stdout.isTTY || isCi(io.env)) {
    throw new UsageError('init --interactive needs a terminal; without one, `policylayer init` writes the recommended policy (review it with `policylayer lint`)');
  }
  const toStdout = init.output === '-';
  const absolute = resolve(io.cwd, init.output);
  const shown = toStdout ? 'standard output' : displayPath(io.cwd, absolute);
  const exists = !toStdout && existsSync(absolute);
  // Say it before the user spends time in the wizard, not after.
  if (exists && !init.force) throw new UserError(`${shown} already exists; pass --force to overwrite it, or -o to write elsewhere`);
  if (init.catalog.tools.length === 0) throw new UserError(`${init.catalog.name} lists no tools: there is nothing to choose`);
  const source =
    init.catalog.source === 'live' ? `live from ${(init.command ?? init.catalog.launch).join(' ')}` : init.catalog.source === 'builtin' ? 'built-in catalog' : 'catalog file';
  const ui = await loadUi();
  return ui.runInitWizard({
    tools: init.catalog.tools,
    serverName: init.catalog.name,
    source,
    target: shown,
    overwriting: exists,
    strict: init.strict === true,
    renderPolicy: init.renderPolicy,
    stdin: terminal.stdin,
    stdout: terminal.stdout,
  });
}
