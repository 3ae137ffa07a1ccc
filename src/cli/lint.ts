import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, InputError, UsageError, UserError } from '../errors.js';
import type { FileResult } from '../lint/finding.js';
import { FORMATS } from '../lint/formatters/types.js';
import { VERSION } from '../version.js';
import { loadCatalog } from './catalog-input.js';
import type { Io } from '../output/io.js';
import { choice, nonNegativeIntString, parseOptions } from './options.js';
import { displayPath } from './paths.js';
import { durationMs, operandsAroundDoubleDash } from './server-command.js';
import type { CliContext } from './context.js';

export const LintOptionsSchema = z.object({
  format: z._default(choice(FORMATS), 'stylish'),
  maxWarnings: z.optional(nonNegativeIntString),
  quiet: z.optional(z.boolean()),
  /** Commander's `--no-color` sets this to false. */
  color: z.optional(z.boolean()),
  server: z.optional(z.string()),
  catalog: z.optional(z.string()),
  /** The server command after `--` when `--live` is given (set by the action, not by commander). */
  live: z.optional(z.array(z.string())),
  timeout: z.optional(durationMs),
  stdinFilename: z.optional(z.string()),
  /** `--config FILE`, or false for `--no-config`. */
  config: z.optional(z.union([z.string(), z.boolean()])),
  rule: z.optional(z.array(z.string())),
  fix: z.optional(z.boolean()),
  ignorePattern: z.optional(z.array(z.string())),
  /** Commander's `--no-ignore` sets this to false. */
  ignore: z.optional(z.boolean()),
  outputFile: z.optional(z.string()),
});
export type LintCommandOptions = z.infer<typeof LintOptionsSchema>;

/**
 * `policylayer lint [paths...]`. Exit codes: 0 no error-level finding and warnings within
 * --max-warnings; 1 findings; 2 usage errors, a missing or unreadable input, or a folder without
 * policies (after linting and reporting everything else, so one bad path loses nothing).
 */
export async function lint(paths: string[], rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(LintOptionsSchema, rawOptions);
  if (options.fix && paths.includes('-')) throw new UsageError('--fix rewrites files; it cannot rewrite standard input');
  const catalog = await loadCatalog(io, { server: options.server, catalog: options.catalog, live: options.live, liveTimeoutMs: options.timeout });
  const stdinInput = paths.includes('-') || options.stdinFilename !== undefined ? await import('./stdin-policy.js') : undefined;
  const operands = stdinInput ? stdinInput.takeStdinOperand(paths, options.stdinFilename) : { files: paths, stdin: false };
  const { allRules } = await import('../lint/rules/index.js');
  const { loadLintConfig } = await import('./lint-config-input.js');
  const { applyLintConfig } = await import('../lint/config.js');
  const lintConfig = await loadLintConfig(io, options.config, options.rule ?? [], allRules);
  const { loadPathFilter } = await import('./ignore-input.js');
  const filter = loadPathFilter(io, {
    ignorePatterns: options.ignorePattern ?? [],
    noIgnore: options.ignore === false,
    config: { ...lintConfig.config, ...(lintConfig.folder ? { folder: lintConfig.folder } : {}), ...(lintConfig.display ? { display: lintConfig.display } : {}) },
  });
  const { collectPolicyFiles, projectPolicy, POLICY_FILES } = await import('./policy-files.js');
  // Without paths: what the lint configuration includes, else the project policy.
  const targets =
    operands.files.length > 0
      ? await collectPolicyFiles(io.cwd, operands.files, POLICY_FILES, filter)
      : operands.stdin
        ? { files: [], problems: [] }
        : filter.hasIncludes
          ? await collectPolicyFiles(io.cwd, filter.includeBases, POLICY_FILES, filter)
          : { files: [await projectPolicy(io)], problems: [] };
  const { readPolicySource, parsePolicyText } = await import('../policy/read.js');
  const { lintDocument } = await import('../lint/lint-document.js');
  const { nonPolicyKind } = await import('../lint/file-kind.js');
  let suppressed = 0;

  const files: FileResult[] = [];
  const skipped: Array<{ path: string; kind: string }> = [];
  const unreadable = targets.problems.map((problem) => ({ path: problem.where, message: problem.detail }));
  const fixer = options.fix ? await import('./lint-fix.js') : undefined;
  const lintSource = async (shown: string, absolute: string | undefined, original: Awaited<ReturnType<typeof readPolicySource>>): Promise<void> => {
    const configured = async (next: typeof original) => applyLintConfig((await lintDocument(next, catalog ? { catalog } : {})).findings, absolute, lintConfig.config);
    const first = await configured(original);
    // Only what the configuration still reports is fixed: an ignored finding stays as written.
    const fixed = fixer && absolute !== undefined ? await fixer.fixFile(absolute, shown, original, configured, first, io) : undefined;
    const source = fixed?.source ?? original;
    const applied = fixed?.lint ?? first;
    suppressed += applied.suppressed;
    const findings = options.quiet ? applied.findings.filter((f) => f.severity === 'error') : applied.findings;
    files.push({ path: shown, findings, lines: source.lines });
  };
  if (stdinInput && operands.stdin) {
    try {
      const piped = await stdinInput.readStdinPolicy(io, options.stdinFilename);
      const named = options.stdinFilename === undefined ? undefined : resolvePath(io.cwd, options.stdinFilename);
      await lintSource(piped.display, named, await parsePolicyText(piped.display, piped.text, piped.syntax));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.push({ path: error.where, message: error.detail });
    }
  }
  for (const file of targets.files) {
    const shown = displayPath(io.cwd, file);
    let source;
    try {
      source = await readPolicySource(file, shown);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      unreadable.push({ path: shown, message: error instanceof InputError ? error.detail : error.message });
      continue;
    }
    const kind = nonPolicyKind(file, source);
    if (kind) {
      skipped.push({ path: shown, kind: kind.description });
      continue;
    }
    await lintSource(shown, file, source);
  }

  const { loadFormatter } = await import('../lint/formatters/index.js');
  const formatter = await loadFormatter(options.format);
  // chalk is loaded only where colour is possible: stylish on a terminal, or when FORCE_COLOR asks for it.
  const mayColor = options.format === 'stylish' && options.outputFile === undefined && (io.stdout.isTTY === true || io.env.FORCE_COLOR !== undefined);
  const color = mayColor ? (await import('../output/color.js')).colorFor(io, io.stdout, options.color === false) : undefined;
  const report = formatter({ files, unreadable, skipped, rules: allRules, toolVersion: VERSION }, color ? { color } : {});
  if (options.outputFile === undefined) io.stdout.write(report);
  else await (await import('./write-output.js')).writeReportFile(io, options.outputFile, report);

  for (const note of skippedNotes(skipped)) io.stderr.write(`policylayer: ${note}\n`);
  for (const problem of unreadable) io.stderr.write(`policylayer: ${problem.path}: ${problem.message}\n`);
  if (suppressed > 0) io.stderr.write(`policylayer: ${suppressed} finding${suppressed === 1 ? '' : 's'} not shown (turned off or ignored by ${lintConfig.display ?? '--rule'})\n`);
  if (unreadable.length > 0) return EXIT.usage;
  const { countFindings } = await import('../lint/formatters/types.js');
  const counts = countFindings(files);
  if (counts.errors > 0) return EXIT.findings;
  if (options.maxWarnings !== undefined && counts.warnings > options.maxWarnings) {
    io.stderr.write(`policylayer: ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}, more than --max-warnings ${options.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** Skipped files one by one when there are few, else counted by kind: a repository full of catalogs should not bury the findings. */
function skippedNotes(skipped: ReadonlyArray<{ path: string; kind: string }>): string[] {
  if (skipped.length <= 5) return skipped.map((file) => `${file.path}: not linted: ${file.kind}, not a policy`);
  const byKind = new Map<string, number>();
  for (const file of skipped) byKind.set(file.kind, (byKind.get(file.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([kind, count]) => `${count} × ${kind}`).join('; ');
  return [`${skipped.length} files not linted because they are not policies: ${kinds} (--format json lists them)`];
}

export function registerLint(program: Command, context: CliContext): void {
  program
    .command('lint')
    .description('validate and lint policy files (with --server, --catalog or --live, also against the server\'s tools)')
    .argument('[paths...]', 'policy files or folders, or - for standard input (default: the project policy, policylayer.json|yaml|yml here or above)')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'stylish')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings')
    .option('-q, --quiet', 'report errors only (warnings and infos are neither shown nor counted)')
    .option('--no-color', 'no colours in stylish output (also NO_COLOR=1; off anyway when stdout is not a terminal)')
    .option('--server <id>', 'check against a built-in tool catalog: mcp-slicer')
    .option('--catalog <file>', 'check against a saved catalog (the output of `policylayer catalog --format json`)')
    .option('--live', 'check against the tools a stdio server lists now: --live -- <command> [args...]')
    .option('--timeout <duration>', 'with --live: how long the server may take to list its tools', '30s')
    .option('--stdin-filename <name>', 'with -: the name standard input is shown as; its extension picks JSON or YAML')
    .option('--config <file>', 'lint configuration: rule levels and ignores (default: the nearest .policylayer-lint.json|yaml|yml)')
    .option('--no-config', 'ignore any .policylayer-lint file')
    .option('--fix', 'apply the did-you-mean suggestions (misspelt keys, tool names, argument paths and values) to the files')
    .option('--rule <id=level>', 'set a rule\'s level: off, info, warning or error (repeatable; over the config file)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--ignore-pattern <pattern>', 'leave out files in folders that match this gitignore-style pattern (repeatable; relative to the working folder)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--no-ignore', 'search folders without .policylayerignore, the config\'s exclude and --ignore-pattern')
    .option('-o, --output-file <file>', 'write the report to this file instead of standard output (any format)')
    .addHelpText(
      'after',
      `
Folders are searched recursively for .json, .yaml and .yml files, skipping node_modules,
dot-folders, what .policylayerignore, the lint configuration's exclude and --ignore-pattern leave
out, and policylayer's own files that are not policies (lock files, saved catalogs, tool lists,
SARIF, policy tests, JSON outputs, JSON Lines), each with a note. A file named on the command line
is always linted unless it is one of those own kinds. "-" reads a policy from standard input (JSON
or YAML, told apart by its first character unless --stdin-filename names it). Rules and their
docs: docs/rules/README.md.

Exit codes:
  0  no error-level finding, and warnings within --max-warnings
  1  findings
  2  usage error, unusable lint configuration, missing or unreadable file, folder without
     policies, or internal error`,
    )
    .action(async (paths: string[], options: { live?: boolean }, command: Command) => {
      if (!options.live) {
        context.exitCode = await lint(paths, options, context.io);
        return;
      }
      // With --live, the operands after `--` are the server command, not policy paths.
      const { before, after } = operandsAroundDoubleDash(command);
      context.exitCode = await lint(before, { ...options, live: after ?? [] }, context.io);
    });
}
