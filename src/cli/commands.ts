import type { Command } from 'commander';
import type { CliContext } from './program.js';
import { registerAudit } from './audit.js';
import { registerCatalog } from './catalog.js';
import { registerExplain } from './explain.js';
import { registerFmt } from './fmt.js';
import { registerInit } from './init.js';
import { registerLint } from './lint.js';
import { registerPin } from './pin.js';
import { registerProxy } from './proxy.js';
import { registerReplay } from './replay.js';
import { registerSchema } from './schema.js';
import { registerTest } from './test.js';
import { registerTop } from './top.js';

/**
 * Every subcommand, in the order `--help` lists them: write and check a policy, start from a
 * server's tools, run the engine offline, then enforce and watch. One module per command; heavy
 * code is imported lazily inside actions.
 */
const registrations: Array<(program: Command, context: CliContext) => void> = [
  registerLint,
  registerFmt,
  registerSchema,
  registerCatalog,
  registerInit,
  registerPin,
  registerExplain,
  registerReplay,
  registerTest,
  registerProxy,
  registerAudit,
  registerTop,
];

export function registerCommands(program: Command, context: CliContext): void {
  for (const register of registrations) register(program, context);
}
