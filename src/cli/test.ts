import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, UserError } from '../errors.js';
import { TEST_FORMATS } from '../policy-test/formats.js';
import type { Io } from '../output/io.js';
import { choice, parseOptions } from './options.js';
import type { CliContext } from './context.js';
import { TEST_FILE_PATTERN } from '../policy/discover.js';

export const TestOptionsSchema = z.object({
  format: z._default(choice(TEST_FORMATS), 'stylish'),
  color: z.optional(z.boolean()),
  ignorePattern: z.optional(z.array(z.string())),
  /** Commander's `--no-ignore` sets this to false. */
  ignore: z.optional(z.boolean()),
  outputFile: z.optional(z.string()),
});
export type TestCommandOptions = z.infer<typeof TestOptionsSchema>;

/**
 * `policylayer test [paths…]`: runs policy test files. Exit codes: 0 every case passed; 1 a case
 * failed; 2 usage errors, no test files, or a test file or policy that could not be read or is
 * invalid (the other files still run and are reported).
 */
export async function test(paths: string[], rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(TestOptionsSchema, rawOptions);
  const { collectPolicyFiles } = await import('./policy-files.js');
  const { displayPath } = await import('./paths.js');
  const kind = { accept: (name: string) => TEST_FILE_PATTERN.test(name), description: 'policy test files (*.policytest.json, *.policytest.yaml, *.policytest.yml)' };
  const { loadPathFilter } = await import('./ignore-input.js');
  const filter = loadPathFilter(io, { ignorePatterns: options.ignorePattern ?? [], noIgnore: options.ignore === false });
  const found = await collectPolicyFiles(io.cwd, paths.length > 0 ? paths : [io.cwd], kind, filter);
  if (found.files.length === 0) {
    throw found.problems[0] ?? new UserError('no policy test files found');
  }
  const { loadPolicy } = await import('./policy-input.js');
  const { runTestFile } = await import('../policy-test/run.js');
  const policies = new Map<string, ReturnType<typeof loadPolicy>>();
  const load = (absolute: string) => {
    let pending = policies.get(absolute);
    if (!pending) policies.set(absolute, (pending = loadPolicy(io, absolute)));
    return pending;
  };
  const show = (absolute: string) => displayPath(io.cwd, absolute);
  const results = [];
  for (const file of found.files) results.push(await runTestFile(file, show(file), load, show));

  const format = await import('../policy-test/format.js');
  const toFile = options.outputFile !== undefined;
  let report: string;
  if (options.format === 'json') report = format.formatTestJson(results);
  else if (options.format === 'junit') report = format.formatTestJunit(results);
  else if (options.format === 'markdown') report = (await import('../policy-test/format-markdown.js')).formatTestMarkdown(results);
  else {
    const { colorFor } = await import('../output/color.js');
    report = format.formatTestStylish(results, colorFor(io, io.stdout, options.color === false || toFile));
  }
  if (toFile) await (await import('./write-output.js')).writeReportFile(io, options.outputFile!, report);
  else io.stdout.write(report);
  for (const problem of found.problems) io.stderr.write(`policylayer: ${problem.message}\n`);
  const totals = format.totals(results);
  if (found.problems.length > 0 || totals.broken > 0) return EXIT.usage;
  return totals.failed > 0 ? EXIT.findings : EXIT.ok;
}

export function registerTest(program: Command, context: CliContext): void {
  program
    .command('test')
    .description('run policy test files: calls with the decisions they must get')
    .argument('[paths...]', 'test files or folders (default: every *.policytest.json|yaml|yml under the working folder)')
    .option('--format <format>', `output format: ${TEST_FORMATS.join(', ')}`, 'stylish')
    .option('--no-color', 'no colours in stylish output')
    .option('--ignore-pattern <pattern>', 'leave out test files in folders that match this gitignore-style pattern (repeatable; relative to the working folder)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--no-ignore', 'search folders without .policylayerignore and --ignore-pattern')
    .option('-o, --output-file <file>', 'write the report to this file instead of standard output (any format)')
    .addHelpText(
      'after',
      `
A test file names a policy and cases; each case starts with fresh counters. Format:
docs/policy-tests.md. Folders are searched for *.policytest.json|yaml|yml, leaving out what
.policylayerignore and --ignore-pattern match; a file named on the command line always runs.

Exit codes:
  0  every case passed
  1  a case failed
  2  usage error, no test files, or an invalid test file or policy

Examples:
  policylayer test
  policylayer test policy-tests/ --format junit > policy-tests.xml`,
    )
    .action(async (paths: string[], options: unknown) => {
      context.exitCode = await test(paths, options, context.io);
    });
}
