import type { ToolChoice } from '../catalog/recommend.js';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { conditionPaths } from '../policy/condition-paths.js';
import type { PolicyDocument } from '../policy/schema.js';
import type { ServerCatalog } from '../catalog/types.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './context.js';
import { shellWords } from '../util/shell-words.js';
import { durationMs, operandsAroundDoubleDash } from './server-command.js';

export const INIT_USAGE = 'policylayer init [<server> | -- <command> [args…]] [-o policylayer.json] [--force]';
export const DEFAULT_POLICY_FILE = 'policylayer.json';

export const InitOptionsSchema = z.object({
  output: z._default(z.string().check(z.minLength(1, { error: 'cannot be empty' })), DEFAULT_POLICY_FILE),
  force: z.optional(z.boolean()),
  schema: z.optional(z.string()),
  timeout: z.optional(durationMs),
  interactive: z.optional(z.boolean()),
  strict: z.optional(z.boolean()),
});
export type InitCommandOptions = z.infer<typeof InitOptionsSchema>;

/**
 * The policy as `policylayer fmt` writes it: JSON, or YAML for a .yaml/.yml path. In YAML, each tool in
 * `reviews` gets a `# needs review: …` comment above its entry (JSON has no comments: there its
 * approval message says so).
 */
export async function policyText(doc: PolicyDocument, path: string, reviews: ReadonlyMap<string, string> = new Map()): Promise<string> {
  const { isYamlPath } = await import('../policy/read.js');
  const { formatPolicyText } = await import('../policy/format.js');
  let raw: string;
  if (isYamlPath(path)) {
    const YAML = await import('yaml');
    const document = new YAML.Document(doc);
    const { reviewComments } = await import('./review-comments.js');
    reviewComments(YAML, document, reviews);
    raw = document.toString();
  } else raw = JSON.stringify(doc);
  return (await formatPolicyText(path, raw)).text;
}

function summary(
  catalog: ServerCatalog,
  doc: PolicyDocument,
  shown: string,
  lintHint: string,
  describeRecommendation: (recommendation: ServerCatalog['tools'][number]['recommendation']) => string,
): string {
  const groups = new Map<string, string[]>();
  for (const tool of catalog.tools) {
    const label = describeRecommendation(tool.recommendation);
    groups.set(label, [...(groups.get(label) ?? []), tool.name]);
  }
  const width = Math.max(0, ...[...groups.keys()].map((label) => label.length));
  const lines = [`Wrote ${shown}: a recommended policy for ${catalog.name} (${catalog.tools.length} tool${catalog.tools.length === 1 ? '' : 's'}, default deny).`];
  for (const [label, names] of groups) lines.push(`  ${label.padEnd(width)}  ${names.join(', ')}`);
  if (doc.hide && doc.hide.length > 0) lines.push('Hidden tools are removed from tools/list and every call to them is denied; edit the policy to allow one.');
  const unsure = catalog.tools.filter((tool) => tool.needsReview !== undefined).map((tool) => tool.name);
  if (unsure.length > 0) lines.push(`Needs review (weak or conflicting evidence, so approval or hidden until you check): ${unsure.join(', ')}; \`policylayer catalog\` says why.`);
  lines.push(`Review it, then: policylayer lint ${shown} ${lintHint}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `policylayer init`: writes the catalog's recommended policy. Exit 0; 2 for a usage error, an
 * unknown or failing server, or an existing output file without --force.
 */
export async function init(
  target: { name?: string | undefined; command?: string[] | undefined },
  rawOptions: unknown,
  io: Io,
  terminal?: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream },
): Promise<number> {
  const options = parseOptions(InitOptionsSchema, rawOptions);
  const { catalogFor } = await import('./catalog-source.js');
  const catalog = await catalogFor(io, { ...target, timeoutMs: options.timeout }, INIT_USAGE);
  const { describeRecommendation, policyFromChoices, recommendedChoice } = await import('../catalog/recommend.js');
  const docOptions = { serverName: catalog.name, ...(options.schema ? { schema: options.schema } : {}) };
  const { pythonCodeParameter } = await import('../catalog/python-guard-profile.js');
  // --strict: the strict Python guard on every Execute tool that takes Python code.
  const guardOf = (tool: ServerCatalog['tools'][number]) => (options.strict && tool.category === 'Execute' ? pythonCodeParameter(tool) : undefined);
  let choices: ToolChoice[] = catalog.tools.map((tool) => {
    const guard = guardOf(tool);
    return { ...recommendedChoice(tool), ...(guard ? { pythonGuard: guard } : {}) };
  });
  const reviews = (picked: ToolChoice[]) => new Map(picked.flatMap((choice) => (choice.needsReview !== undefined ? [[choice.name, choice.needsReview] as const] : [])));
  if (options.interactive) {
    // The wizard (src/cli/init-interactive.ts) previews exactly the text written below.
    const { chooseInteractively } = await import('./init-interactive.js');
    const renderPolicy = (picked: typeof choices) => policyText(policyFromChoices(picked, docOptions), options.output === '-' ? DEFAULT_POLICY_FILE : options.output, reviews(picked));
    const picked = await chooseInteractively(io, { catalog, command: target.command, output: options.output, force: options.force === true, strict: options.strict === true, renderPolicy }, terminal);
    if (!picked) {
      io.stderr.write('policylayer init: quit without writing anything\n');
      return 1;
    }
    choices = picked;
  }
  const doc = policyFromChoices(choices, docOptions);
  const guarded = choices.filter((choice) => choice.pythonGuard && doc.tools?.[choice.name]?.deny_if).map((choice) => `${choice.name} (args.${choice.pythonGuard})`);
  const checked = choices.filter((choice) => choice.argumentRules?.length && doc.tools?.[choice.name]).map((choice) => `${choice.name} (${conditionPaths(choice.argumentRules!).join(', ')})`);
  const toStdout = options.output === '-';
  const text = await policyText(doc, toStdout ? DEFAULT_POLICY_FILE : options.output, reviews(choices));
  if (toStdout) {
    io.stdout.write(text);
    return 0;
  }
  const { writeOutputFile } = await import('./write-output.js');
  await writeOutputFile(io, options.output, text, options.force === true);
  // The summary lists what was written, which --interactive may have changed from the recommendations.
  const written = { ...catalog, tools: catalog.tools.map((tool, i) => ({ ...tool, recommendation: choices[i]!.recommendation, needsReview: choices[i]!.needsReview })) };
  const { looksLikeCatalogFile } = await import('./catalog-source.js');
  const lintHint = target.command
    ? `--live -- ${shellWords(target.command)}`
    : target.name !== undefined && looksLikeCatalogFile(target.name)
      ? `--catalog ${target.name}`
      : `--server ${catalog.id}`;
  io.stdout.write(summary(written, doc, displayPath(io.cwd, options.output), lintHint, describeRecommendation));
  if (checked.length > 0) io.stdout.write(`Argument checks the server needs on ${checked.join(', ')}: see the on_deny messages.\n`);
  if (guarded.length > 0) io.stdout.write(`Strict Python guard on ${guarded.join(', ')}: see docs/python-guard.md.\n`);
  else if (options.strict) io.stdout.write('Strict: no Execute tool takes Python code here, so no Python guard was added.\n');
  return 0;
}

export function registerInit(program: Command, context: CliContext): void {
  program
    .command('init')
    .description("write a recommended policy from a server's tool catalog (built-in, or any stdio server live)")
    .usage('[options] [<server> | -- <command> [args...]]')
    .argument('[server]', 'a built-in server (mcp-slicer) or a saved catalog file')
    .argument('[command...]', 'after --: the stdio MCP server to start and classify')
    .option('-o, --output <file>', `where to write the policy (.json, or .yaml/.yml for YAML; - for stdout)`, DEFAULT_POLICY_FILE)
    .option('--force', 'overwrite the output file if it exists')
    .option('--schema <ref>', 'add "$schema": <ref> (a path or URL of schema/policy.schema.json, for editors)')
    .option('--timeout <duration>', 'for a live server: how long it may take to start and list its tools', '30s')
    .option('-i, --interactive', 'review and change the action of each tool in a terminal wizard, with a preview, before writing (g adds the Python guard to a tool that runs Python)')
    .option('--strict', 'also guard every Execute tool that takes Python code: deny code that starts processes, opens connections, deletes files, installs packages or escapes analysis (docs/python-guard.md)')
    .addHelpText(
      'after',
      `
The policy: "default": "deny"; Read tools allowed; Write tools 30 calls a minute per grant; Execute
tools 10 a minute per grant; Destructive tools hidden; Financial tools need a human's approval.
It lints clean and is formatted as \`policylayer fmt\` writes it. Review it before relying on it.

Examples:
  policylayer init mcp-slicer
  policylayer init --interactive mcp-slicer
  policylayer init --strict mcp-slicer
  policylayer init -o fs.policy.json -- npx -y @modelcontextprotocol/server-filesystem ~/data

Exit codes:
  0  written
  1  --interactive: quit without writing
  2  usage error, unknown or failing server, or the output file exists (use --force)`,
    )
    .action(async (_server: string | undefined, _command: string[], _options: unknown, command: Command) => {
      const { before, after } = operandsAroundDoubleDash(command);
      if (before.length > 1) throw new UsageError(`init takes one server, got ${before.length} (${before.join(' ')}); put a server command after --`);
      const terminal = context.io.stdout === process.stdout ? { stdin: process.stdin, stdout: process.stdout } : undefined;
      context.exitCode = await init({ name: before[0], command: after }, command.opts(), context.io, terminal);
    });
}
