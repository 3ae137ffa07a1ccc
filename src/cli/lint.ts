import type { Command } from 'commander';
import * as z from 'zod/mini';
import { readPolicySource } from '../policy/read.js';
import { lintSource } from '../lint/lint-source.js';
import { resolvePolicyPath } from './policy-input.js';
import { displayPath } from './paths.js';
import { parseOptions } from './options.js';
import type { Io } from './io.js';
import type { CliContext } from './program.js';

// Placeholder frame: the full lint command (formats, folders, catalogs) replaces this.
export const LintOptionsSchema = z.object({});
export type LintCommandOptions = z.infer<typeof LintOptionsSchema>;

export async function lint(paths: string[], rawOptions: unknown, io: Io): Promise<number> {
  parseOptions(LintOptionsSchema, rawOptions);
  const files = paths.length > 0 ? paths : [resolvePolicyPath(io, undefined)];
  let errors = 0;
  for (const file of files) {
    const shown = displayPath(io.cwd, file);
    const result = lintSource(await readPolicySource(file, shown));
    for (const f of result.findings) {
      if (f.severity === 'error') errors++;
      io.stdout.write(`${shown}:${f.range.start.line}:${f.range.start.column}: ${f.severity} ${f.message} [${f.ruleId}]\n`);
    }
  }
  return errors > 0 ? 1 : 0;
}

export function registerLint(program: Command, context: CliContext): void {
  program
    .command('lint')
    .description('validate and lint policy files')
    .argument('[paths...]', 'policy files or folders (default: the project policy)')
    .action(async (paths: string[], options: unknown) => {
      context.exitCode = await lint(paths, options, context.io);
    });
}
