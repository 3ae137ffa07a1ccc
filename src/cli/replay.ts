import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, UsageError } from '../errors.js';
import { REPLAY_FORMATS } from '../replay/formats.js';
import { addStateOptions, stateFromOptions, StateOptionsShape } from '../state/options.js';
import type { Io } from '../output/io.js';
import { choice, parseOptions } from './options.js';
import type { CliContext } from './context.js';

export const ReplayOptionsSchema = z.object({
  policy: z.optional(z.string()),
  against: z.optional(z.string()),
  failOnChange: z.optional(z.boolean()),
  strict: z.optional(z.boolean()),
  quiet: z.optional(z.boolean()),
  format: z._default(choice(REPLAY_FORMATS), 'stylish'),
  /** Commander's `--no-color` sets this to false. */
  color: z.optional(z.boolean()),
  outputFile: z.optional(z.string()),
  ...StateOptionsShape,
});
export type ReplayCommandOptions = z.infer<typeof ReplayOptionsSchema>;

/**
 * `policylayer replay [--policy P] recording.jsonl…`. Exit codes: 0 every expectation met (denials
 * are not failures); 1 a failed expectation, or a change with --fail-on-change; 2 usage errors,
 * an invalid policy, an unreadable recording, or with --strict any unreadable line.
 */
export async function replay(paths: string[], rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(ReplayOptionsSchema, rawOptions);
  const state = stateFromOptions(options, io.cwd);
  if (options.failOnChange && !options.against) throw new UsageError('--fail-on-change needs --against OLD_POLICY to compare with');
  if (paths.length === 0) throw new UsageError('name at least one recording: policylayer replay [--policy FILE] RECORDING.jsonl...');
  const { loadPolicy } = await import('./policy-input.js');
  const policy = await loadPolicy(io, options.policy);
  const against = options.against ? await loadPolicy(io, options.against) : undefined;
  const { collectPolicyFiles } = await import('./policy-files.js');
  const { displayPath } = await import('./paths.js');
  const found = await collectPolicyFiles(io.cwd, paths, { accept: (name) => name.endsWith('.jsonl'), description: 'recordings (*.jsonl)' });
  if (found.problems.length > 0) throw found.problems[0]!;
  const files = found.files.map((path) => ({ path, display: displayPath(io.cwd, path) }));
  const { runReplay } = await import('../replay/replay.js');
  const { replayFormatter } = await import('../replay/formatters/index.js');
  const { colorFor } = await import('../output/color.js');
  const report = options.outputFile === undefined ? undefined : await (await import('./write-output.js')).openReportStream(io, options.outputFile);
  const out: Io = report ? { ...io, stdout: report.stream } : io;
  const sink = replayFormatter(options.format, out, colorFor(io, out.stdout, options.color === false || report !== undefined), {
    quiet: options.quiet ?? false,
    policyPath: policy.path,
    ...(against ? { againstPath: against.path } : {}),
    failOnChange: options.failOnChange ?? false,
  });
  // --state: both sides start from the counters the proxies share and never write to them.
  const { openCounterStore } = await import('../state/open.js');
  const { OverlayCounterStore } = await import('../engine/overlay-store.js');
  const shared = state.spec.kind === 'memory' ? undefined : await openCounterStore(state.spec, { timeoutMs: state.timeoutMs, readOnly: true });
  const stateRun = shared
    ? { stores: { policy: new OverlayCounterStore(shared), against: new OverlayCounterStore(shared) }, enforcer: { failMode: state.failMode, timeoutMs: state.timeoutMs } }
    : {};
  const summary = await runReplay(
    { files, policy: policy.compiled, ...(against ? { against: against.compiled } : {}), strict: options.strict ?? false, ...stateRun },
    sink,
  )
    .catch(async (error: unknown) => {
      await report?.abort();
      throw error;
    })
    .finally(() => shared?.close());
  await report?.commit();
  if (summary.expectationsFailed > 0) return EXIT.findings;
  if (options.failOnChange && summary.changes > 0) return EXIT.findings;
  return EXIT.ok;
}

export function registerReplay(program: Command, context: CliContext): void {
  const command = program
    .command('replay')
    .description('replay recorded tool calls through a policy: decisions, a summary, expectations, and what an edit changes')
    .argument('<recordings...>', 'JSON Lines recordings, MCP JSON-RPC captures or audit logs (a folder: its *.jsonl files)')
    .option('--policy <file>', 'the policy (default: policylayer.json|yaml|yml here or above)')
    .option('--against <file>', 'compare with this (old) policy: print only the calls whose outcome differs')
    .option('--fail-on-change', 'with --against: exit 1 when any outcome differs')
    .option('--strict', 'fail (exit 2) on the first unreadable or out-of-order line instead of reporting and skipping it')
    .option('--format <format>', `output format: ${REPLAY_FORMATS.join(', ')}`, 'stylish')
    .option('-q, --quiet', 'print only failed expectations, changes, warnings and the summary')
    .option('--no-color', 'no colours in stylish output')
    .option('-o, --output-file <file>', 'write the report to this file instead of standard output (any format)');
  addStateOptions(command)
    .addHelpText(
      'after',
      `
Calls replay in time order (several files are merged by time) with counters evolving as in
production. Lines without "ts" come one second apart. Calls with "expect" are checked.
With --state, counters start from the values in that store (read, never written).
Format of recordings: docs/recordings.md.

Exit codes:
  0  every expectation met (denied calls alone are not failures)
  1  a failed expectation, or a changed outcome with --fail-on-change
  2  usage error, invalid policy, unreadable recording, or (--strict) an unreadable line

Examples:
  policylayer replay --policy slicer.json session.jsonl
  policylayer replay --policy new.json --against old.json --fail-on-change audit.log
  policylayer replay --format junit recordings/ > replay.xml`,
    )
    .action(async (paths: string[], options: unknown) => {
      context.exitCode = await replay(paths, options, context.io);
    });
}
