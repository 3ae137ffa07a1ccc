import { CommanderError } from 'commander';
import { EXIT, UserError } from '../errors.js';
import type { Io } from '../output/io.js';
import type { CliContext } from './context.js';
import { buildProgram, exitCodeOfCommanderError } from './program.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: Io): Promise<number> {
  const context: CliContext = { io, exitCode: EXIT.ok };
  const program = await buildProgram(context, argv);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** One line for the user; the stack only with POLICYLAYER_DEBUG=1. */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) return exitCodeOfCommanderError(error);
  if (error instanceof UserError) {
    io.stderr.write(`policylayer: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`policylayer: internal error: ${message.split('\n')[0]} (set POLICYLAYER_DEBUG=1 for details)\n`);
  if (io.env.POLICYLAYER_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT.usage;
}
