import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, InputError, UsageError, UserError } from '../errors.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './context.js';

export const FmtOptionsSchema = z.object({
  check: z.optional(z.boolean()),
  write: z.optional(z.boolean()),
  stdinFilename: z.optional(z.string()),
});

/**
 * `policylayer fmt [--check | --write] [paths...]`: canonical key order and two-space indentation.
 * Without either flag it prints the formatted text of one file. --check exits 1 when a file would
 * change; files that cannot be read or parsed exit 2, after the others are done.
 */
export async function fmt(paths: string[], rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(FmtOptionsSchema, rawOptions);
  if (options.check && options.write) throw new UsageError('give --check or --write, not both');
  if (paths.includes('-') || options.stdinFilename !== undefined) return fmtStdin(paths, options, io);
  const { collectPolicyFiles, projectPolicy } = await import('./policy-files.js');
  const targets = paths.length > 0 ? await collectPolicyFiles(io.cwd, paths) : { files: [await projectPolicy(io)], problems: [] as InputError[] };
  if (!options.check && !options.write && (targets.files.length !== 1 || targets.problems.length > 0)) {
    for (const problem of targets.problems) io.stderr.write(`policylayer: ${problem.message}\n`);
    if (targets.files.length > 1) throw new UsageError(`${targets.files.length} files: give --write to format them in place, or --check to list the ones that would change`);
    return EXIT.usage;
  }
  const { formatFile } = await import('./fmt-file.js');
  let failed = targets.problems.length > 0;
  let unformatted = 0;
  for (const problem of targets.problems) io.stderr.write(`policylayer: ${problem.message}\n`);
  for (const file of targets.files) {
    const shown = displayPath(io.cwd, file);
    try {
      const result = await formatFile(file, shown, options.write === true);
      if (!options.check && !options.write) io.stdout.write(result.text);
      else if (result.changed) {
        unformatted++;
        io.stdout.write(options.write ? `formatted ${shown}\n` : `${shown}: not formatted\n`);
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      io.stderr.write(`policylayer: ${error.message}\n`);
      failed = true;
    }
  }
  if (failed) return EXIT.usage;
  if (options.check && unformatted > 0) {
    io.stderr.write(`policylayer: ${unformatted} of ${targets.files.length} file${targets.files.length === 1 ? '' : 's'} not formatted; run \`policylayer fmt --write\`\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** `fmt -`: formats standard input to standard output, or with --check only says whether it would change. */
async function fmtStdin(paths: string[], options: z.infer<typeof FmtOptionsSchema>, io: Io): Promise<number> {
  const { readStdinPolicy, takeStdinOperand } = await import('./stdin-policy.js');
  const { files } = takeStdinOperand(paths, options.stdinFilename);
  if (files.length > 0) throw new UsageError('"-" (standard input) cannot be formatted together with files');
  if (options.write) throw new UsageError('standard input cannot be rewritten in place: `fmt -` prints the formatted text');
  const { formatPolicyText } = await import('../policy/format.js');
  try {
    const piped = await readStdinPolicy(io, options.stdinFilename);
    const result = await formatPolicyText(piped.display, piped.text, piped.syntax);
    if (!options.check) {
      io.stdout.write(result.text);
      return EXIT.ok;
    }
    if (!result.changed) return EXIT.ok;
    io.stdout.write(`${piped.display}: not formatted\n`);
    return EXIT.findings;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr.write(`policylayer: ${error.message}\n`);
    return EXIT.usage;
  }
}

export function registerFmt(program: Command, context: CliContext): void {
  program
    .command('fmt')
    .description('format policy files: canonical key order, two-space indentation (JSON and YAML)')
    .argument('[paths...]', 'policy files or folders, or - for standard input (default: the project policy)')
    .option('--check', 'change nothing; list files that are not formatted and exit 1 if there are any')
    .option('-w, --write', 'rewrite files in place')
    .option('--stdin-filename <name>', 'with -: the name standard input is shown as; its extension picks JSON or YAML')
    .addHelpText(
      'after',
      `
Without --check or --write, prints the formatted text of one file, or of standard input with "-"
(an editor's format-on-save). Files with syntax errors or
duplicate keys are refused (exit 2); the formatted text is checked to parse to the same policy
before anything is written. YAML keeps its comments and quoting. See docs/fmt.md.`,
    )
    .action(async (paths: string[], options: unknown) => {
      context.exitCode = await fmt(paths, options, context.io);
    });
}
