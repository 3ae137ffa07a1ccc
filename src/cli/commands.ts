import type { Command } from 'commander';
import type { CliContext } from './program.js';
import { registerFmt } from './fmt.js';
import { registerLint } from './lint.js';
import { registerProxy } from './proxy.js';
import { registerAudit } from './audit.js';
import { registerSchema } from './schema.js';
import { registerReplay } from './replay.js';
import { registerExplain } from './explain.js';
import { registerTest } from './test.js';
import { registerTop } from './top.js';
import { registerCatalog } from './catalog.js';
import { registerInit } from './init.js';
import { registerPin } from './pin.js';

/** Every subcommand, in the order `--help` lists them. One module per command; heavy code is imported lazily inside actions. */
const registrations: Array<(program: Command, context: CliContext) => void> = [
  registerLint,
  registerTest,
  registerExplain,
  registerProxy,
  registerAudit,
  registerReplay,
  registerFmt,
  registerSchema,
  registerTop,
  registerCatalog,
  registerInit,
  registerPin,
];

export function registerCommands(program: Command, context: CliContext): void {
  for (const register of registrations) register(program, context);
}
