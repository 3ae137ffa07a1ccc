/**
 * `policylayer wrap` and `policylayer unwrap`: put `policylayer proxy` in front of the MCP servers
 * that clients are configured with (stdio commands, and remote urls through `--upstream`), and take
 * it away again. The planning is pure
 * (src/wrap/plan.ts); this file finds the files, chooses the entries, creates missing policies,
 * prints the diff and writes. Details and sources for every client: docs/wrap.md.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, UsageError, UserError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { shellWords } from '../util/shell-words.js';
import { CLIENT_IDS, CLIENT_NAMES, parseClientId, type ClientId } from '../wrap/clients.js';
import type { ServerEntry } from '../wrap/config-types.js';
import type { FoundConfig } from '../wrap/discover.js';
import type { FilePlan } from '../wrap/plan.js';
import type { ProxyPaths } from '../wrap/proxy-command.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import type { CliContext } from './context.js';
import { durationMs } from './server-command.js';
import { homeOf, locationContext, policylayerHome, proxyPathsFor, serverSlug } from './wrap-context.js';

const ClientList = z.pipe(
  z.array(z.string()),
  z.transform((values, ctx) => {
    const ids: ClientId[] = [];
    for (const value of values.flatMap((v) => v.split(',')).filter((v) => v.trim() !== '')) {
      const id = parseClientId(value.trim());
      if (!id) {
        const close = didYouMean(value, CLIENT_IDS);
        ctx.issues.push({ code: 'custom', message: `unknown client "${value}"${close ? ` (did you mean "${close}"?)` : ''}; clients: ${CLIENT_IDS.join(', ')}`, input: value });
        return z.NEVER;
      }
      ids.push(id);
    }
    return ids;
  }),
);

export const WrapOptionsSchema = z.object({
  client: z.optional(ClientList),
  server: z.optional(z.array(z.string())),
  all: z.optional(z.boolean()),
  list: z.optional(z.boolean()),
  dryRun: z.optional(z.boolean()),
  policy: z.optional(z.string()),
  policyDir: z.optional(z.string()),
  auditDir: z.optional(z.string()),
  timeout: z.optional(durationMs),
  signIn: z.optional(z.boolean()),
});
export type WrapOptions = z.infer<typeof WrapOptionsSchema>;

/** One server entry with the file it is in. */
export interface Candidate {
  found: FoundConfig;
  entry: ServerEntry;
}

/** On a terminal: chooses entries (the ink picker; undefined when the user quit), and asks before writing what it chose. */
export interface Picker {
  pick(candidates: readonly Candidate[], verb: 'wrap' | 'unwrap'): Promise<Candidate[] | undefined>;
  confirm(question: string): Promise<boolean>;
}

/** `~/…` for paths in the home folder: shorter, and the same on every machine in docs and tests. */
export function shortPath(io: Io, path: string): string {
  const home = homeOf(io);
  const rel = relative(home, path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel) ? `~${sep}${rel}` : path;
}

export function clientLabel(found: FoundConfig, entry?: ServerEntry): string {
  const scope = entry?.project !== undefined ? `local: ${entry.project}` : found.location.scope;
  return `${CLIENT_NAMES[found.location.client]} (${scope})`;
}

/** What an entry starts, for lists: the command line, the url, or why it is neither. */
export function describeTarget(entry: ServerEntry): string {
  if (entry.wrapped) {
    const inner = entry.wrapped.inner;
    return inner.kind === 'stdio' ? shellWords([inner.command, ...inner.args]) : inner.url;
  }
  if (entry.transport === 'stdio') return shellWords([entry.command!, ...(entry.args ?? [])]);
  if (entry.transport === 'remote') return entry.url!;
  return '(no command or url)';
}

export function entryStatus(entry: ServerEntry): string {
  if (entry.wrapped) return 'wrapped';
  if (entry.transport === 'remote') return entry.remote?.unwrappable ? 'remote: not wrappable' : 'not wrapped';
  if (entry.transport === 'other') return 'no command or url';
  return 'not wrapped';
}

/** Why wrap cannot put the proxy in front of an entry; undefined when it can (or already did). */
export function wrapBlocker(_found: FoundConfig, entry: ServerEntry): string | undefined {
  if (entry.rebuildBlocker) return `a proxy for a remote server that cannot be turned back into its url entry (${entry.rebuildBlocker}): wrap leaves it as it is`;
  if (entry.wrapped) return undefined;
  if (entry.transport === 'remote') return entry.remote?.unwrappable ? `remote: ${entry.remote.unwrappable}` : undefined;
  if (entry.transport === 'other') return 'neither a command nor a url (an extension\'s or a disabled entry)';
  return undefined;
}

async function loadConfigs(io: Io, clients: readonly ClientId[] | undefined, listing = false): Promise<FoundConfig[]> {
  const { discoverConfigs } = await import('../wrap/discover.js');
  const found = await discoverConfigs(locationContext(io), clients);
  if (listing) return found;
  // A file that cannot be understood stops the run before anything is written.
  const broken = found.find((config) => config.error);
  if (broken) throw new UserError(`${broken.error!.message} (fix the file, or leave this client out with --client)`);
  return found;
}

function listing(io: Io, found: readonly FoundConfig[]): string {
  if (found.length === 0) return 'No MCP client configuration found (see `policylayer wrap --help` for where policylayer looks).\n';
  const lines: string[] = [];
  for (const config of found) {
    if (config.error) {
      lines.push(`${clientLabel(config)}  ${shortPath(io, config.location.path)}`, `  cannot be read: ${config.error.message}`);
      continue;
    }
    const groups = new Map<string, ServerEntry[]>();
    for (const entry of config.parsed!.entries) {
      const label = clientLabel(config, entry);
      groups.set(label, [...(groups.get(label) ?? []), entry]);
    }
    if (groups.size === 0) groups.set(clientLabel(config), []);
    for (const [label, entries] of groups) {
      lines.push(`${label}  ${shortPath(io, config.location.path)}`);
      if (entries.length === 0) lines.push('  (no servers)');
      const width = Math.max(0, ...entries.map((entry) => entry.name.length));
      for (const entry of entries) {
        const why = !entry.wrapped && entry.remote?.unwrappable ? `  (${entry.remote.unwrappable})` : '';
        lines.push(`  ${entry.name.padEnd(width)}  ${entryStatus(entry).padEnd(25)}  ${describeTarget(entry)}${why}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The entries `--server` names: `NAME` anywhere, or `CLIENT:NAME` in one client. */
function byName(candidates: readonly Candidate[], names: readonly string[]): Candidate[] {
  const chosen: Candidate[] = [];
  for (const name of names) {
    const colon = name.indexOf(':');
    const client = colon > 0 ? parseClientId(name.slice(0, colon)) : undefined;
    const server = client ? name.slice(colon + 1) : name;
    const matches = candidates.filter((c) => c.entry.name === server && (!client || c.found.location.client === client));
    if (matches.length === 0) {
      const close = didYouMean(server, new Set(candidates.map((c) => c.entry.name)));
      throw new UsageError(`no server "${name}" in the configurations found${close ? ` (did you mean "${close}"?)` : ''}; \`policylayer wrap --list\` lists them`);
    }
    for (const match of matches) if (!chosen.includes(match)) chosen.push(match);
  }
  return chosen;
}

function isTerminal(io: Io): boolean {
  return io.stdout === process.stdout && process.stdout.isTTY === true && process.stdin.isTTY === true;
}

/** The entries to change, and whether they were picked on a terminal (then the diff is confirmed before writing). */
async function choose(
  io: Io,
  options: WrapOptions,
  candidates: Candidate[],
  verb: 'wrap' | 'unwrap',
  picker: Picker | undefined,
): Promise<{ chosen: Candidate[] | undefined; picked: boolean }> {
  if (options.server && options.server.length > 0) {
    if (options.all) throw new UsageError('give --server or --all, not both');
    return { chosen: byName(candidates, options.server), picked: false };
  }
  if (options.all) {
    const all = candidates.filter((c) => (verb === 'wrap' ? !wrapBlocker(c.found, c.entry) : c.entry.wrapped !== undefined));
    return { chosen: all, picked: false };
  }
  const { isCi } = await import('../ui/load.js');
  if (picker && isTerminal(io) && !isCi(io.env)) return { chosen: await picker.pick(candidates, verb), picked: true };
  throw new UsageError(`choose the servers to ${verb} with --server NAME…, --all, or run \`policylayer ${verb}\` on a terminal to pick them; \`policylayer wrap --list\` lists them`);
}

function fileHeader(io: Io, found: FoundConfig): string {
  return shortPath(io, found.location.path);
}

async function printDiffs(io: Io, plans: readonly { found: FoundConfig; plan: FilePlan }[]): Promise<void> {
  const { unifiedDiff } = await import('../wrap/diff.js');
  for (const { found, plan } of plans) io.stdout.write(unifiedDiff(fileHeader(io, found), plan.config.text, plan.after));
}

function groupByFile(chosen: readonly Candidate[]): Map<FoundConfig, Candidate[]> {
  const byFile = new Map<FoundConfig, Candidate[]>();
  for (const candidate of chosen) byFile.set(candidate.found, [...(byFile.get(candidate.found) ?? []), candidate]);
  return byFile;
}

/**
 * Writes each changed file, then at once the unwrap records of its entries (`written`), so that a
 * later file that fails to write leaves the earlier ones with their records.
 */
async function writePlans(io: Io, plans: readonly { found: FoundConfig; plan: FilePlan }[], written: (plan: FilePlan) => Promise<void>): Promise<{ backups: string[] }> {
  const { applyPlan } = await import('../wrap/apply.js');
  const backupDir = join(policylayerHome(io), 'backups');
  const at = new Date();
  const backups: string[] = [];
  for (const { found, plan } of plans) {
    if (plan.after === plan.config.text) continue;
    backups.push(await applyPlan(found, plan, backupDir, at));
    await written(plan);
  }
  return { backups };
}

function restartHint(plans: readonly { found: FoundConfig; plan: FilePlan }[]): string {
  const clients = [...new Set(plans.filter((p) => p.plan.after !== p.plan.config.text).map((p) => CLIENT_NAMES[p.found.location.client]))];
  return clients.length > 0 ? `Restart ${clients.join(', ')} (or reload its MCP servers) to use the change; some clients ask to trust a changed server again.\n` : '';
}

/** `policylayer wrap`. Exit 0 done (or nothing to do); 1 some chosen servers were not wrapped; 2 usage, or a file refused. */
export async function wrap(rawOptions: unknown, io: Io, picker?: Picker): Promise<number> {
  const options = parseOptions(WrapOptionsSchema, rawOptions);
  const found = await loadConfigs(io, options.client, options.list === true);
  if (options.list) {
    io.stdout.write(listing(io, found));
    return EXIT.ok;
  }
  const candidates: Candidate[] = found.flatMap((config) => config.parsed!.entries.map((entry) => ({ found: config, entry })));
  const { chosen, picked } = await choose(io, options, candidates, 'wrap', picker);
  if (!chosen) {
    io.stderr.write('policylayer wrap: quit without changing anything\n');
    return EXIT.findings;
  }
  let failed = 0;
  const wrappable: Candidate[] = [];
  for (const candidate of chosen) {
    const { entry } = candidate;
    const why = wrapBlocker(candidate.found, entry);
    if (why) {
      io.stderr.write(`policylayer wrap: skipped ${entry.name} in ${clientLabel(candidate.found, entry)}: ${why}\n`);
      if (options.server) failed++;
      continue;
    }
    wrappable.push(candidate);
  }
  if (wrappable.length === 0) {
    io.stdout.write('Nothing to wrap.\n');
    return failed > 0 ? EXIT.findings : EXIT.ok;
  }

  // One policy and audit log per server, named after it; two different servers with one name get the client's name too.
  const { innerCommand } = await import('../wrap/plan.js');
  const slugOwners = new Map<string, string>();
  const pathsOf = new Map<Candidate, ProxyPaths>();
  for (const candidate of wrappable) {
    const key = JSON.stringify(innerCommand(candidate.entry) ?? describeTarget(candidate.entry));
    let slug = serverSlug(candidate.entry.name);
    if (slugOwners.has(slug) && slugOwners.get(slug) !== key) slug = `${slug}-${candidate.found.location.client}`;
    slugOwners.set(slug, key);
    const wrapped = candidate.entry.wrapped;
    const keepExisting = wrapped && !options.policy && !options.policyDir && !options.auditDir;
    const paths = proxyPathsFor(io, slug, options);
    pathsOf.set(candidate, { ...paths, ...(keepExisting && wrapped.policy ? { policy: wrapped.policy } : {}), ...(keepExisting && wrapped.audit ? { audit: wrapped.audit } : {}) });
  }

  if (options.policy && !existsSync(proxyPathsFor(io, 'x', options).policy)) {
    throw new UsageError(`--policy ${options.policy}: no such file; write it (policylayer init -o ${options.policy} -- <server command>), or leave --policy out to get one policy per server`);
  }
  // Missing policies: created from a live catalog of the server (after the dry run is shown, never during it).
  const toCreate = new Map<string, Candidate>();
  for (const candidate of wrappable) {
    const policy = pathsOf.get(candidate)!.policy;
    if (!existsSync(policy) && !toCreate.has(policy)) toCreate.set(policy, candidate);
  }

  const { backendFor } = await import('../wrap/discover.js');
  const { planWrap } = await import('../wrap/plan.js');
  const { RestoreRecords } = await import('../wrap/records.js');
  const records = await RestoreRecords.load(policylayerHome(io));
  const buildPlans = async (targets: readonly Candidate[]) => {
    const plans: { found: FoundConfig; plan: FilePlan }[] = [];
    for (const [config, list] of groupByFile(targets)) {
      const backend = await backendFor(config.location);
      const plan = planWrap(
        backend,
        config.parsed!,
        list.map((c) => ({ entry: c.entry, paths: pathsOf.get(c)!, record: records.get(config.location.path, c.entry.keyPath) })),
      );
      plans.push({ found: config, plan });
    }
    return plans;
  };

  let plans = await buildPlans(wrappable);
  await printDiffs(io, plans);
  const unchanged = plans.flatMap((p) => p.plan.changes).filter((c) => c.kind === 'unchanged').length;
  if (options.dryRun) {
    for (const [policy, candidate] of toCreate) io.stdout.write(`Would create ${shortPath(io, policy)} from the tools ${candidate.entry.name} lists now.\n`);
    io.stdout.write(`Dry run: nothing written${unchanged > 0 ? ` (${unchanged} already wrapped as asked)` : ''}.\n`);
    return failed > 0 ? EXIT.findings : EXIT.ok;
  }
  const changing = plans.some((p) => p.plan.after !== p.plan.config.text) || toCreate.size > 0;
  if (picked && picker && changing && !(await picker.confirm(toCreate.size > 0 ? 'Create the missing policies and write these changes?' : 'Write these changes?'))) {
    io.stderr.write('policylayer wrap: nothing written\n');
    return EXIT.findings;
  }

  const { createPolicyFromLiveCatalog, createPolicyFromRemote, expandedCommand, remoteServerOf, serverIo } = await import('./wrap-policy.js');
  const { SignInNeeded } = await import('./wrap-remote.js');
  const noPolicy = new Set<string>();
  for (const [policy, candidate] of toCreate) {
    const run = serverIo(io, candidate.entry, dirname(candidate.found.location.path));
    const timeoutMs = options.timeout ?? 30_000;
    const stdio = innerCommand(candidate.entry);
    const remote = remoteServerOf(candidate.entry, candidate.found.location.client);
    const where = `${candidate.entry.name} in ${clientLabel(candidate.found, candidate.entry)}`;
    try {
      const what = stdio
        ? await createPolicyFromLiveCatalog(run, expandedCommand(run, stdio), policy, timeoutMs)
        : await createPolicyFromRemote(io, remote!, policy, { timeoutMs, signIn: options.signIn });
      io.stdout.write(`Created ${shortPath(io, policy)} (${what}); review it with \`policylayer lint ${policy}\`.\n`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      noPolicy.add(policy);
      if (error instanceof SignInNeeded) {
        const select = `--client ${candidate.found.location.client} --server ${candidate.entry.name}`;
        io.stderr.write(`policylayer wrap: not wrapping ${where}: ${error.message} and policylayer has no token for it yet, so its tools are unknown; sign in and wrap with \`policylayer wrap ${select} --sign-in\` (opens your browser), or give it a policy with --policy FILE\n`);
      } else io.stderr.write(`policylayer wrap: not wrapping ${where}: cannot create its policy: ${error.message}; write one and pass --policy FILE\n`);
    }
  }
  if (noPolicy.size > 0) {
    const kept = wrappable.filter((c) => !noPolicy.has(pathsOf.get(c)!.policy));
    failed += wrappable.length - kept.length;
    plans = await buildPlans(kept);
  }

  // The proxy appends to its audit log but does not make its folder.
  for (const { plan } of plans) for (const change of plan.changes) if (change.kind === 'wrap') await mkdir(dirname(change.paths.audit), { recursive: true, mode: 0o700 });
  const at = new Date().toISOString();
  let wrappedCount = 0;
  const { backups } = await writePlans(io, plans, async (plan) => {
    for (const change of plan.changes) {
      if (change.kind !== 'wrap') continue;
      records.set(change.record, at);
      wrappedCount++;
    }
    await records.save();
  });
  const files = backups.length;
  io.stdout.write(
    `Wrapped ${wrappedCount} server${wrappedCount === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${unchanged > 0 ? ` (${unchanged} already wrapped as asked)` : ''}.` +
      (files > 0 ? ` Backups: ${shortPath(io, dirname(backups[0]!))}; undo with \`policylayer unwrap\`.` : '') +
      '\n',
  );
  io.stdout.write(restartHint(plans));
  return failed > 0 ? EXIT.findings : EXIT.ok;
}

/** `policylayer unwrap`. Exit 0 done; 2 usage, or a file refused. */
export async function unwrap(rawOptions: unknown, io: Io, picker?: Picker): Promise<number> {
  const options = parseOptions(WrapOptionsSchema, rawOptions);
  const found = await loadConfigs(io, options.client);
  const candidates: Candidate[] = found.flatMap((config) =>
    config.parsed!.entries.filter((entry) => entry.wrapped).map((entry) => ({ found: config, entry })),
  );
  if (candidates.length === 0) {
    io.stdout.write('No wrapped servers found.\n');
    return EXIT.ok;
  }
  const { chosen, picked } = await choose(io, options, candidates, 'unwrap', picker);
  if (!chosen) {
    io.stderr.write('policylayer unwrap: quit without changing anything\n');
    return EXIT.findings;
  }
  const { backendFor } = await import('../wrap/discover.js');
  const { planUnwrap } = await import('../wrap/plan.js');
  const { RestoreRecords } = await import('../wrap/records.js');
  const records = await RestoreRecords.load(policylayerHome(io));
  const plans: { found: FoundConfig; plan: FilePlan }[] = [];
  for (const [config, list] of groupByFile(chosen)) {
    const backend = await backendFor(config.location);
    plans.push({ found: config, plan: planUnwrap(backend, config.parsed!, list.map((c) => ({ entry: c.entry, record: records.get(config.location.path, c.entry.keyPath) }))) });
  }
  await printDiffs(io, plans);
  const changes = plans.flatMap((p) => p.plan.changes).filter((c) => c.kind === 'unwrap');
  const inexact = changes.filter((c) => c.kind === 'unwrap' && !c.exact).map((c) => c.entry.name);
  if (options.dryRun) {
    io.stdout.write('Dry run: nothing written.\n');
    return EXIT.ok;
  }
  if (picked && picker && changes.length > 0 && !(await picker.confirm('Write these changes?'))) {
    io.stderr.write('policylayer unwrap: nothing written\n');
    return EXIT.findings;
  }
  const { backups } = await writePlans(io, plans, async (plan) => {
    for (const change of plan.changes) if (change.kind === 'unwrap') records.delete(plan.config.location.path, change.entry.keyPath);
    await records.save();
  });
  io.stdout.write(
    `Unwrapped ${changes.length} server${changes.length === 1 ? '' : 's'}` +
      (backups.length > 0 ? `; backups: ${shortPath(io, dirname(backups[0]!))}` : '') +
      '. Their policies and audit logs are kept.\n',
  );
  if (inexact.length > 0) io.stdout.write(`Rebuilt from the proxy's arguments (the entry changed since wrap, or its record is gone), not byte for byte: ${inexact.join(', ')}.\n`);
  io.stdout.write(restartHint(plans));
  return EXIT.ok;
}

const CLIENTS_HELP = `
Clients and files (user files, then project files in the working folder):
  claude-desktop  claude_desktop_config.json (macOS ~/Library/Application Support/Claude,
                  Windows %APPDATA%\\Claude, Linux ~/.config/Claude)
  claude-code     ~/.claude.json (user and per-project servers), .mcp.json
  cursor          ~/.cursor/mcp.json, .cursor/mcp.json
  vscode          <VS Code user folder>/mcp.json, .vscode/mcp.json ("servers")
  windsurf        ~/.codeium/windsurf/mcp_config.json
  gemini          ~/.gemini/settings.json, .gemini/settings.json
  codex           ~/.codex/config.toml (CODEX_HOME), .codex/config.toml
  zed             ~/.config/zed/settings.json (Windows %APPDATA%\\Zed), .zed/settings.json`;

function addSelectionOptions(command: Command): Command {
  return command
    .option('--client <ids...>', `only these clients (${CLIENT_IDS.join(', ')})`)
    .option('--server <names...>', 'these servers, by name (CLIENT:NAME for one client)')
    .option('--all', 'every server that applies')
    .option('--dry-run', 'show the diff and stop; nothing is written');
}

function terminalPicker(context: CliContext): Picker | undefined {
  if (context.io.stdout !== process.stdout) return undefined;
  return {
    async pick(candidates, verb) {
      const { pickServers } = await import('./wrap-picker.js');
      return pickServers(context.io, candidates, verb);
    },
    async confirm(question) {
      const { confirmOnTerminal } = await import('./wrap-picker.js');
      return confirmOnTerminal(question);
    },
  };
}

export function registerWrap(program: Command, context: CliContext): void {
  addSelectionOptions(
    program
      .command('wrap')
      .description("put `policylayer proxy` in front of the MCP servers in your clients' configs")
      .option('--list', 'list the servers found in every client, and stop'),
  )
    .option('--policy <file>', 'one policy for every chosen server (default: one per server, created from its tools)')
    .option('--policy-dir <dir>', 'where per-server policies are kept (default: ~/.policylayer/policies)')
    .option('--audit-dir <dir>', 'where audit logs are written (default: ~/.policylayer/audit)')
    .option('--timeout <duration>', 'how long a server may take to list its tools when its policy is created', '30s')
    .option('--sign-in', 'for a remote server that asks for a sign-in: sign in through your browser to list its tools (the proxy keeps the tokens)')
    .addHelpText(
      'after',
      `
Each chosen entry's command becomes \`node <this policylayer> proxy --policy P --audit A -- <command> <args…>\`;
env, cwd and every other key stay as they are. A remote entry (url) becomes \`… proxy --policy P
--audit A --upstream URL --header-env Name=POLICYLAYER_HEADER_NAME…\`, its header values moved
into its env. A diff is shown first; files are written atomically with a backup in
~/.policylayer/backups, comments and formatting kept. Wrapping twice changes nothing;
\`policylayer unwrap\` restores the entries byte for byte. POLICYLAYER_HOME moves ~/.policylayer.
${CLIENTS_HELP}

Examples:
  policylayer wrap --list
  policylayer wrap                          # pick servers on a terminal
  policylayer wrap --server slicer --dry-run
  policylayer wrap --client cursor --all

On a terminal without --server or --all, a picker chooses the servers and the diff is confirmed
before anything is written.

Exit codes:
  0  wrapped, or nothing to do
  1  some chosen servers were not wrapped (see the messages), or quit in the picker or at the confirmation
  2  usage error, or a configuration file that cannot be read or understood (nothing written)`,
    )
    .action(async (_options: unknown, command: Command) => {
      context.exitCode = await wrap(command.opts(), context.io, terminalPicker(context));
    });

}

export function registerUnwrap(program: Command, context: CliContext): void {
  addSelectionOptions(program.command('unwrap').description('restore wrapped MCP server entries to what they were before `policylayer wrap`'))
    .addHelpText(
      'after',
      `
Puts back the exact bytes wrap replaced when the entry has not changed since; otherwise rebuilds
command and args from what follows \`--\` in the proxy's arguments. Policies and audit logs are kept.

Exit codes:
  0  unwrapped, or nothing to do
  1  quit in the picker or at the confirmation
  2  usage error, or a configuration file that cannot be read or understood (nothing written)`,
    )
    .action(async (_options: unknown, command: Command) => {
      context.exitCode = await unwrap(command.opts(), context.io, terminalPicker(context));
    });
}
