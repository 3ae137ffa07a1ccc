import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, UsageError } from '../errors.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './context.js';
import { shellWords } from '../util/shell-words.js';
import { durationMs } from './server-command.js';
import { readLockFile } from './lock-input.js';

export const PIN_USAGE = 'policylayer pin [--check] [--lock policylayer.lock.json] -- <command> [args…]';

export const PinOptionsSchema = z.object({
  lock: z.optional(z.string().check(z.minLength(1, { error: 'cannot be empty' }))),
  check: z.optional(z.boolean()),
  allowNewTools: z.optional(z.boolean()),
  timeout: z.optional(durationMs),
});
export type PinCommandOptions = z.infer<typeof PinOptionsSchema>;

/** Reads and validates a lock file; every problem is an InputError (exit 2) naming the file. */
/**
 * `policylayer pin -- <command>` records the server's tool definitions in the lock file;
 * `--check` compares them instead. Exit 0 pinned / no drift; 1 drift (with --check); 2 usage,
 * unreadable lock file, or a server that cannot be introspected.
 */
export async function pin(command: string[], rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(PinOptionsSchema, rawOptions);
  if (command.length === 0) throw new UsageError(`no server command given after --; usage: ${PIN_USAGE}`);
  if (options.allowNewTools && !options.check) throw new UsageError('--allow-new-tools only applies with --check');
  const { DEFAULT_LOCK_FILE, buildLock, checkToolsAgainstLock, serializeLock } = await import('../catalog/lock.js');
  const lockPath = options.lock ?? DEFAULT_LOCK_FILE;
  const shown = displayPath(io.cwd, lockPath);
  const previous = options.check ? (await readLockFile(io, lockPath)).lock : undefined;

  const { listServerTools } = await import('../catalog/introspect.js');
  const listed = await listServerTools(command, { env: io.env, cwd: io.cwd, ...(options.timeout ? { timeoutMs: options.timeout } : {}) });

  if (previous) {
    const check = checkToolsAgainstLock(previous, listed.tools, { allowNewTools: options.allowNewTools === true, lockName: shown });
    const failing = check.drift.filter((drift) => drift.kind !== 'added' || !options.allowNewTools);
    for (const drift of check.drift) io.stdout.write(`${shown}: ${drift.summary}${drift.kind === 'added' && options.allowNewTools ? ' (allowed by --allow-new-tools)' : ''}\n`);
    if (failing.length > 0) {
      io.stdout.write(`${failing.length} tool${failing.length === 1 ? '' : 's'} drifted from ${shown}. Review the server's tools (policylayer catalog -- ${shellWords(command)}), then re-pin: policylayer pin -- ${shellWords(command)}\n`);
      return EXIT.findings;
    }
    const version = listed.serverInfo.version;
    if (previous.server.version !== undefined && version !== undefined && version !== previous.server.version) {
      io.stdout.write(`${shown}: note: the server reports version ${version}, pinned at ${previous.server.version}; its tools are unchanged\n`);
    }
    io.stdout.write(`${shown}: all ${previous.tools.length} pinned tools of ${listed.serverInfo.name} match\n`);
    return EXIT.ok;
  }

  // Re-pinning: say what changed since the lock that is being replaced, if there is a readable one.
  const replaced = await readLockFile(io, lockPath).then((read) => read.lock, () => undefined);
  const lock = buildLock(
    { name: listed.serverInfo.name, ...(listed.serverInfo.version ? { version: listed.serverInfo.version } : {}), command },
    listed.tools,
  );
  const { writeOutputFile } = await import('./write-output.js');
  await writeOutputFile(io, lockPath, serializeLock(lock), true);
  if (replaced) {
    const changes = checkToolsAgainstLock(replaced, listed.tools).drift;
    const verb = { added: 'added', changed: 'changed', removed: 'removed' } as const;
    io.stdout.write(
      changes.length === 0
        ? `${shown}: no tool changed since the previous lock\n`
        : changes.map((drift) => `${shown}: ${verb[drift.kind]} ${drift.name}${drift.parts ? ` (${drift.parts.join(', ')})` : ''}\n`).join(''),
    );
  }
  const version = listed.serverInfo.version ? ` ${listed.serverInfo.version}` : '';
  io.stdout.write(`Pinned ${lock.tools.length} tool${lock.tools.length === 1 ? '' : 's'} of ${listed.serverInfo.name}${version} in ${shown}\n`);
  io.stdout.write(`Check in CI: policylayer pin --check -- ${shellWords(command)}\nEnforce: policylayer proxy --lock ${shown} -- ${shellWords(command)}\n`);
  return EXIT.ok;
}

export function registerPin(program: Command, context: CliContext): void {
  program
    .command('pin')
    .description("record a server's tool definitions in a lock file, or check them against it (rug-pull defence)")
    .usage('[options] -- <command> [args...]')
    .argument('[command...]', 'the stdio MCP server to start, after --')
    .option('--lock <file>', 'the lock file', 'policylayer.lock.json')
    .option('--check', 'compare instead of writing: exit 1 when a tool changed, was added or was removed')
    .option('--allow-new-tools', 'with --check: report tools the lock does not list, but do not fail on them')
    .option('--timeout <duration>', 'how long the server may take to start and list its tools', '30s')
    .addHelpText(
      'after',
      `
The lock records, per tool, the SHA-256 of its description, input schema, annotations and title
(canonical JSON, RFC 8785; docs/pinning.md). \`policylayer proxy --lock FILE\` hides and denies any
tool whose definition changed since, and any tool the lock does not list unless --allow-new-tools.

Examples:
  policylayer pin -- uvx mcp-slicer
  policylayer pin --check -- uvx mcp-slicer

Exit codes:
  0  pinned, or (with --check) every tool matches
  1  with --check: a tool changed, was added or was removed
  2  usage error, unreadable lock file, or a server that cannot be started, crashes or hangs`,
    )
    .action(async (command: string[], options: unknown) => {
      context.exitCode = await pin(command, options, context.io);
    });
}
