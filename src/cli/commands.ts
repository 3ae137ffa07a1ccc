import type { Command } from 'commander';
import type { CliContext } from './context.js';
type Register = (program: Command, context: CliContext) => void;

/**
 * Every subcommand by name, in the order `--help` lists them: write and check a policy, start from
 * a server's tools, run the engine offline, then enforce and watch. One module per command; heavy
 * code is imported lazily inside actions.
 */
const registrations: ReadonlyMap<string, () => Promise<Register>> = new Map([
  ['lint', async () => (await import('./lint.js')).registerLint],
  ['fmt', async () => (await import('./fmt.js')).registerFmt],
  ['schema', async () => (await import('./schema.js')).registerSchema],
  ['catalog', async () => (await import('./catalog.js')).registerCatalog],
  ['init', async () => (await import('./init.js')).registerInit],
  ['pin', async () => (await import('./pin.js')).registerPin],
  ['explain', async () => (await import('./explain.js')).registerExplain],
  ['replay', async () => (await import('./replay.js')).registerReplay],
  ['test', async () => (await import('./test.js')).registerTest],
  ['proxy', async () => (await import('./proxy.js')).registerProxy],
  ['audit', async () => (await import('./audit.js')).registerAudit],
  ['top', async () => (await import('./top.js')).registerTop],
  ['wrap', async () => (await import('./wrap.js')).registerWrap],
  ['unwrap', async () => (await import('./wrap.js')).registerUnwrap],
  ['doctor', async () => (await import('./doctor.js')).registerDoctor],
]);

/**
 * Loads and registers the command `argv` runs, or every command when it names none (help, a typo).
 * Loading every command module and defining every option costs milliseconds that each
 * `policylayer lint` would pay; a run only ever parses its own command.
 */
export async function registerCommands(program: Command, context: CliContext, argv: readonly string[]): Promise<void> {
  const requested = argv.find((arg) => !arg.startsWith('-'));
  const only = requested === undefined ? undefined : registrations.get(requested);
  const loaders = only ? [only] : [...registrations.values()];
  const registers = await Promise.all(loaders.map((load) => load()));
  for (const register of registers) register(program, context);
}
