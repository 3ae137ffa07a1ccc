import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, UsageError } from '../errors.js';
import { addStateOptions, stateFromOptions, StateOptionsShape } from '../state/options.js';
import type { Io } from '../output/io.js';
import { choice, parseOptions } from './options.js';
import type { CliContext } from './context.js';

const EXPLAIN_FORMATS = ['stylish', 'json'] as const;

const positiveIntString = z.pipe(
  z.string(),
  z.transform((value, ctx) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > 1_000_000) {
      ctx.issues.push({ code: 'custom', message: `expected a whole number from 1 to 1000000, got "${value}"`, input: value });
      return z.NEVER;
    }
    return n;
  }),
);

export const ExplainOptionsSchema = z.object({
  policy: z.optional(z.string()),
  tool: z.string().check(z.minLength(1, { error: 'a tool name cannot be empty' })),
  args: z.optional(z.string()),
  grant: z.optional(z.string().check(z.minLength(1, { error: 'a grant cannot be empty' }))),
  session: z.optional(z.string().check(z.minLength(1, { error: 'a session cannot be empty' }))),
  at: z.optional(z.string()),
  repeat: z.optional(positiveIntString),
  format: z._default(choice(EXPLAIN_FORMATS), 'stylish'),
  color: z.optional(z.boolean()),
  ...StateOptionsShape,
});
export type ExplainCommandOptions = z.infer<typeof ExplainOptionsSchema>;

/** `policylayer explain --tool NAME …`: the decision for one call and every rule behind it. Exit 0 allow, 1 deny or approval required, 2 usage/input errors. */
export async function explain(rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(ExplainOptionsSchema, rawOptions);
  const state = stateFromOptions(options, io.cwd);
  const { parseIsoTime, ISO_TIME_HINT } = await import('../util/time.js');
  let atMs: number | undefined;
  if (options.at !== undefined) {
    atMs = parseIsoTime(options.at);
    if (atMs === undefined) throw new UsageError(`--at: expected ${ISO_TIME_HINT}, got "${options.at}"`);
  }
  const { displayPath } = await import('./paths.js');
  const { parseArgsOption } = await import('../explain/arguments.js');
  const args = parseArgsOption(options.args, io.cwd, (absolute) => displayPath(io.cwd, absolute));
  const { loadPolicy } = await import('./policy-input.js');
  const policy = await loadPolicy(io, options.policy);
  const { makeCall } = await import('../engine/call.js');
  const call = makeCall(options.tool, { args, ...(options.grant ? { grant: options.grant } : {}), ...(options.session ? { session: options.session } : {}) });
  const { explainCall } = await import('../explain/explain.js');
  const repeat = options.repeat ?? 1;
  const { openCounterStore } = await import('../state/open.js');
  const store = state.spec.kind === 'memory' ? undefined : await openCounterStore(state.spec, { timeoutMs: state.timeoutMs, readOnly: true });
  // Now is the store's clock when it has one (Redis: the server's), as for the proxy.
  atMs ??= store?.now?.() ?? Date.now();
  const decision = await explainCall(policy.compiled, call, atMs, { repeat, ...(store ? { store, enforcer: { failMode: state.failMode, timeoutMs: state.timeoutMs } } : {}) }).finally(() => store?.close());
  const { rangeOf } = await import('../policy/source.js');
  const report = {
    call,
    atMs,
    repeat,
    decision,
    policyPath: policy.path,
    locate: (rule: string) => (rule.startsWith('/') ? rangeOf(policy.source, rule, 'key').start : undefined),
  };
  const format = await import('../explain/format.js');
  if (options.format === 'json') io.stdout.write(format.formatExplainJson(report));
  else {
    const { colorFor } = await import('../output/color.js');
    io.stdout.write(format.formatExplainStylish(report, colorFor(io, io.stdout, options.color === false)));
  }
  return decision.outcome === 'allow' ? EXIT.ok : EXIT.findings;
}

export function registerExplain(program: Command, context: CliContext): void {
  const command = program
    .command('explain')
    .description('show the decision for one tool call and every rule behind it')
    .requiredOption('--tool <name>', 'the tool name, exactly as the client sends it')
    .option('--args <json>', 'the arguments: a JSON object, or @file.json', undefined)
    .option('--grant <name>', 'the grant (identity) making the call (default: local)')
    .option('--session <id>', 'the MCP session (default: default)')
    .option('--at <time>', 'decide at this ISO 8601 time, e.g. 2026-11-24T10:00:00Z (default: now)')
    .option('--repeat <n>', 'explain the last of n identical calls at that instant (counters start at zero, or at --state)')
    .option('--policy <file>', 'the policy (default: policylayer.json|yaml|yml here or above)')
    .option('--format <format>', `output format: ${EXPLAIN_FORMATS.join(', ')}`, 'stylish')
    .option('--no-color', 'no colours in stylish output');
  addStateOptions(command)
    .addHelpText(
      'after',
      `
Counters start at zero (or, with --state, at the values the proxies sharing that store have
counted; explain only reads them). A single call never hits an empty limit. Use --repeat to see
the Nth call of a burst, e.g. --repeat 11 against a limit of 10 per minute.

Exit codes:
  0  the call is allowed
  1  the call is denied or needs approval
  2  usage error, invalid policy or arguments

Examples:
  policylayer explain --tool execute_python_code --args '{"code": "print(1)"}'
  policylayer explain --tool execute_python_code --args @call.json --repeat 11 --format json
  policylayer explain --tool execute_python_code --state redis://cache:6379/0 --grant alice`,
    )
    .action(async (options: unknown) => {
      context.exitCode = await explain(options, context.io);
    });
}
