import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import type { CliContext } from './context.js';
import { registerCommands } from './commands.js';


const EXIT_CODES_HELP = `
Exit codes:
  0  success: no error-level finding, every expectation met, the call allowed
  1  findings, failed expectations, or a denied call
  2  usage error, missing or unreadable input, or internal error`;

/**
 * Builds the commander program. `exitOverride` turns commander's own exits into exceptions so that
 * usage errors map to exit code 2 (commander's default is 1) and tests can run the CLI in-process.
 */
export async function buildProgram(context: CliContext, argv: readonly string[] = []): Promise<Command> {
  const { io } = context;
  const program = new Command('policylayer')
    .description('Lint, test, replay and enforce policies between AI agents and MCP servers.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander prints "error: …\n(Did you mean …?)" on two lines; users and CI logs get one.
      outputError: (text, write) => write(`policylayer: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .addHelpText('after', EXIT_CODES_HELP);
  await registerCommands(program, context, argv);
  return program;
}

export function exitCodeOfCommanderError(error: CommanderError): number {
  return error.exitCode === 0 ? 0 : 2;
}
