/**
 * `policylayer doctor`: every MCP server configured in every client, whether policylayer guards it,
 * and what is broken with the fix for each. Gathers the facts from disk here; the verdicts and
 * the screen are pure (src/doctor/report.ts).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT } from '../errors.js';
import type { AuditFacts, FileFacts, PolicyFacts, ServerFacts } from '../doctor/report.js';
import type { ServerEntry } from '../wrap/config-types.js';
import type { FoundConfig } from '../wrap/discover.js';
import type { Io } from '../output/io.js';
import { choice, parseOptions } from './options.js';
import type { CliContext } from './context.js';
import { durationMs } from './server-command.js';
import { CLIENT_NAMES } from '../wrap/clients.js';
import { locationContext } from './wrap-context.js';

export const DoctorOptionsSchema = z.object({
  format: z._default(choice(['text', 'json'] as const), 'text'),
  start: z.optional(z.boolean()),
  timeout: z.optional(durationMs),
});

/** Whether a command would be found: a path that exists, or a name on PATH (with PATHEXT on Windows). */
export function commandFound(command: string, env: Record<string, string | undefined>, cwd: string): boolean {
  if (isAbsolute(command) || command.includes('/') || command.includes('\\')) return existsSync(resolve(cwd, command));
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    for (const ext of extensions) {
      const candidate = join(folder, command + ext);
      try {
        if (statSync(candidate).isFile()) return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

async function policyFacts(path: string): Promise<PolicyFacts> {
  if (!existsSync(path)) return { path, exists: false };
  try {
    const { readPolicySource } = await import('../policy/read.js');
    const { lintDocument } = await import('../lint/lint-document.js');
    const { findings } = await lintDocument(await readPolicySource(path));
    return { path, exists: true, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
  } catch (error) {
    return { path, exists: true, error: (error as Error).message };
  }
}

const TAIL_BYTES = 64 * 1024;

async function auditFacts(path: string): Promise<AuditFacts> {
  if (!existsSync(path)) return { path, exists: false, ...(existsSync(dirname(path)) ? {} : { folderMissing: true }) };
  try {
    let lines = 0;
    let lastByte = 10;
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
      if (bytes.length > 0) lastByte = bytes[bytes.length - 1]!;
    }
    if (lastByte !== 10) lines++;
    const handle = await open(path, 'r');
    let tail: string;
    try {
      const size = (await handle.stat()).size;
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      tail = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
    const calls = tail.split('\n').filter((line) => line.trim() !== '');
    for (let i = calls.length - 1; i >= 0; i--) {
      try {
        const entry = JSON.parse(calls[i]!) as Record<string, unknown>;
        if (entry.event === 'call' && typeof entry.tool === 'string') {
          return { path, exists: true, calls: lines, last: { ts: String(entry.ts), tool: entry.tool, outcome: String(entry.outcome), rule: String(entry.rule) } };
        }
      } catch {
        // a cut first line of the tail, or a damaged line: `audit verify` reports those
      }
    }
    return { path, exists: true, calls: lines };
  } catch (error) {
    return { path, exists: true, error: `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}

async function serverFacts(io: Io, found: FoundConfig, entry: ServerEntry, options: z.infer<typeof DoctorOptionsSchema>): Promise<ServerFacts> {
  const { describeTarget, clientLabel } = await import('./wrap.js');
  const { innerCommand } = await import('../wrap/plan.js');
  const { expandedCommand, expandedRemote, remoteServerOf, serverIo } = await import('./wrap-policy.js');
  const configDir = dirname(found.location.path);
  const facts: ServerFacts = {
    client: clientLabel(found, entry),
    clientId: found.location.client,
    file: found.location.path,
    name: entry.name,
    transport: entry.wrapped ? (entry.wrapped.inner.kind === 'upstream' ? 'remote' : 'stdio') : entry.transport,
    wrapped: entry.wrapped !== undefined,
    target: describeTarget(entry),
    ...(!entry.wrapped && entry.remote?.unwrappable ? { unwrappable: entry.remote.unwrappable } : {}),
  };
  const run = serverIo(io, entry, configDir);
  const wrapped = entry.wrapped;
  if (wrapped) {
    const { node, bin } = wrapped.launcher;
    facts.proxy = {
      ...(node ? { node, nodeExists: commandFound(node, run.env, run.cwd) } : {}),
      bin,
      binExists: commandFound(bin, run.env, run.cwd),
    };
    if (wrapped.policy) facts.policy = await policyFacts(resolve(run.cwd, wrapped.policy));
    if (wrapped.audit) facts.audit = await auditFacts(resolve(run.cwd, wrapped.audit));
    if (wrapped.inner.kind === 'upstream') {
      const { headerTemplates } = await import('../wrap/remote-entry.js');
      const { variablesOf } = await import('../transport/headers.js');
      // Both forms: `--header-env Name=VAR` and, wrapped before it existed, `--header 'Name: ${VAR}'`.
      const used = headerTemplates(wrapped.inner.headers).flatMap(({ template }) => variablesOf(template));
      // Empty counts as unset: the proxy refuses an empty header variable. Codex passes a stdio server
      // only the variables `env_vars` names, whatever the shell that started it has.
      const codex = found.location.client === 'codex';
      const missing = [...new Set(used)].filter((variable) => {
        const value = entry.env?.[variable];
        if (typeof value === 'string' && value !== '') return false;
        return codex ? !entry.envVars?.includes(variable) || !io.env[variable] : !io.env[variable];
      });
      if (missing.length > 0) facts.missingVariables = missing;
      if (codex && missing.some((variable) => !entry.envVars?.includes(variable))) facts.missingFromEnvVars = missing.filter((variable) => !entry.envVars?.includes(variable));
    }
  }
  const remote = remoteServerOf(entry, found.location.client);
  if (options.start && remote && !entry.remote?.unwrappable && !facts.missingVariables) {
    try {
      const { listRemoteTools, SignInNeeded } = await import('./wrap-remote.js');
      await listRemoteTools(io, expandedRemote(io, remote), { timeoutMs: options.timeout ?? 30_000 }).catch((error: unknown) => {
        // A sign-in is for the client (or the wrapped proxy) to do when it starts: not a fault.
        if (!(error instanceof SignInNeeded)) throw error;
      });
    } catch (error) {
      facts.startError = (error as Error).message;
    }
  }
  const written = innerCommand(entry);
  const inner = written && expandedCommand(run, written);
  if (inner) {
    facts.command = inner.command;
    facts.commandFound = commandFound(inner.command, run.env, run.cwd);
    if (options.start && facts.commandFound) {
      try {
        const { introspectServer } = await import('../catalog/introspect.js');
        await introspectServer([inner.command, ...inner.args], { env: run.env, cwd: run.cwd, timeoutMs: options.timeout ?? 30_000 });
      } catch (error) {
        facts.startError = (error as Error).message;
      }
    }
  }
  return facts;
}

/** `policylayer doctor`. Exit 0 nothing broken (warnings allowed); 1 something broken; 2 usage. */
export async function doctor(rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(DoctorOptionsSchema, rawOptions);
  const { discoverConfigs } = await import('../wrap/discover.js');
  const found = await discoverConfigs(locationContext(io));
  const files: FileFacts[] = found.map((config) => ({ client: CLIENT_NAMES[config.location.client], file: config.location.path, ...(config.error ? { error: config.error.message } : {}) }));
  const servers: ServerFacts[] = [];
  for (const config of found) for (const entry of config.parsed?.entries ?? []) servers.push(await serverFacts(io, config, entry, options));
  const { diagnose, renderDoctor } = await import('../doctor/report.js');
  const report = diagnose(files, servers);
  if (options.format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const { shortPath } = await import('./wrap.js');
    io.stdout.write(renderDoctor(report, (path) => shortPath(io, path)));
  }
  return report.summary.errors > 0 ? EXIT.findings : EXIT.ok;
}

export function registerDoctor(program: Command, context: CliContext): void {
  program
    .command('doctor')
    .description('check every MCP server your clients are configured with: wrapped or not, policy and lint status, audit log, proxy paths')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--start', 'also start each stdio server, and connect to each remote one, and list its tools (slower; finds servers that no longer start or answer)')
    .option('--timeout <duration>', 'with --start: how long each server may take', '30s')
    .addHelpText(
      'after',
      `
Looks in the same files as \`policylayer wrap\`. For each wrapped server: whether node and the
proxy it points at still exist, its policy (missing, lint errors) and its audit log (calls, last
decision); for each server, whether its command is found on PATH. Every problem comes with a fix.

Exit codes:
  0  nothing broken (warnings, such as servers that are not wrapped, allowed)
  1  something is broken
  2  usage error`,
    )
    .action(async (_options: unknown, command: Command) => {
      context.exitCode = await doctor(command.opts(), context.io);
    });
}
