import type { Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_HELD_APPROVALS, DEFAULT_MAX_IN_FLIGHT } from '../proxy/limits.js';
import { addStateOptions, StateOptionsShape } from '../state/options.js';
import { addRemoteOptions, RemoteOptionsShape, remoteFromOptions } from '../transport/options.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import type { CliContext } from './context.js';

const grantName = z.string().check(
  z.minLength(1, { error: 'cannot be empty' }),
  z.maxLength(200, { error: 'at most 200 characters' }),
  z.refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: 'cannot contain control characters' }),
);

const approvalSeconds = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0 || n > 86_400) {
      ctx.issues.push({ code: 'custom', message: `expected seconds between 0 and 86400, got "${value}"`, input: value });
      return z.NEVER;
    }
    return n;
  }),
);

const positiveCount = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) {
      ctx.issues.push({ code: 'custom', message: `expected a whole number of at least 1, got "${value}"`, input: value });
      return z.NEVER;
    }
    return n;
  }),
);

export const ProxyOptionsSchema = z.object({
  policy: z.optional(z.string()),
  grant: z._default(grantName, 'local'),
  audit: z.optional(z.string()),
  auditKey: z.optional(z.string()),
  record: z.optional(z.string()),
  watch: z._default(z.boolean(), false),
  approvalTimeout: z._default(approvalSeconds, 120),
  lock: z.optional(z.string()),
  allowNewTools: z._default(z.boolean(), false),
  /** `--approve-tty`: true for the controlling terminal, or a terminal device path. */
  approveTty: z.optional(z.union([z.boolean(), z.string().check(z.minLength(1, { error: 'cannot be empty' }))])),
  maxInFlight: z._default(positiveCount, DEFAULT_MAX_IN_FLIGHT),
  maxHeldApprovals: z._default(positiveCount, DEFAULT_MAX_HELD_APPROVALS),
  ...StateOptionsShape,
  ...RemoteOptionsShape,
});

export const PROXY_USAGE = 'policylayer proxy [options] -- <command> [args…]';

/**
 * Runs the proxy until the server exits; returns the exit code (the server's). The client side is
 * the process's stdin/stdout unless `streams` says otherwise (tests).
 */
export async function proxy(command: string[], rawOptions: unknown, io: Io, streams: { input?: Readable; output?: Writable } = {}): Promise<number> {
  const options = parseOptions(ProxyOptionsSchema, rawOptions);
  if (options.upstream === undefined && (command[0] === undefined || command[0] === '')) throw new UsageError(`proxy: no server command given; usage: ${PROXY_USAGE} (or --upstream <url> for a remote server)`);
  const remote = remoteFromOptions(options, command, io.env);
  const { startProxy } = await import('./proxy-start.js');
  return startProxy({ remote, options, io, ...streams });
}

export type ProxyCommandOptions = z.infer<typeof ProxyOptionsSchema>;

export function registerProxy(program: Command, context: CliContext): void {
  const command = program
    .command('proxy')
    .configureOutput({
      // `policylayer proxy npx -y server`: commander reads -y as ours; say where the server's arguments go.
      outputError: (text, write) => {
        const line = text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
        write(`policylayer: ${line}${/unknown option/.test(line) && !/Did you mean/.test(line) ? `; put the server command after --: ${PROXY_USAGE}` : ''}\n`);
      },
    })
    .description('run an MCP server behind the policy: every tools/call is decided before it reaches the server')
    .usage('[options] -- <command> [args...] | [options] --upstream <url>')
    .argument('[command...]', 'the MCP server to run, after -- (or --upstream for a remote server)')
    .option('--policy <file>', 'the policy (default: policylayer.json|yaml|yml here or in a parent folder)')
    .option('--grant <name>', 'identity label for limits with scope "grant"', 'local')
    .option('--audit <file>', 'append a hash-chained audit line for every decided call (argument values are never written)')
    .option('--audit-key <file>', 'chain the audit log with HMAC-SHA256 under this key (`policylayer audit keygen`), so it cannot be rewritten without the key')
    .option('--record <file>', 'append every call with its full arguments in the recording format, for `policylayer replay`')
    .option('--watch', 'reload the policy when its file changes (an invalid version is rejected and the current one kept)')
    .option('--approval-timeout <seconds>', 'how long the human has to answer an approval request before the call is denied (a 2026-07-28 client: how long its answer stays valid)', '120')
    .option('--approve-tty [device]', 'ask for approvals on the terminal (default: the controlling terminal, /dev/tty) before asking the client; no terminal and no elicitation: denied')
    .option('--lock <file>', 'hide and deny tools whose definition differs from this lock file (see `policylayer pin`)')
    .option('--allow-new-tools', 'with --lock: let through tools the lock file does not list')
    .option('--max-in-flight <n>', 'requests in flight at once; past it a request is refused and nothing is forwarded', String(DEFAULT_MAX_IN_FLIGHT))
    .option('--max-held-approvals <n>', 'calls waiting for a human at once; past it a call is refused', String(DEFAULT_MAX_HELD_APPROVALS));
  addRemoteOptions(command);
  addStateOptions(command)
    .addHelpText(
      'after',
      `
The server runs as a child process with the proxy's environment and working folder; its stderr is
the proxy's stderr. stdout carries only MCP messages; the proxy logs to stderr.
Rate-limit counters live in memory unless --state puts them in a file (kept across restarts) or
in Redis (shared by every proxy using it); docs/state.md. Exit code: the server's (0 when the
client left and the proxy stopped the server); 2 when the proxy cannot start. docs/proxy.md.
--upstream guards a remote server (Streamable HTTP, or HTTP+SSE), signing in with OAuth when it
asks; --listen serves clients over HTTP instead of stdio. docs/remote.md.

Examples:
  policylayer proxy --policy slicer.json -- uvx mcp-slicer
  policylayer proxy --audit audit.jsonl --watch -- npx -y @modelcontextprotocol/server-filesystem ~/data
  policylayer proxy --state redis://cache:6379/0 --grant alice --audit audit.jsonl -- uvx mcp-slicer
  policylayer proxy --policy github.json --upstream https://api.githubcopilot.com/mcp/ --header 'Authorization: Bearer \${GITHUB_TOKEN}'
  POLICYLAYER_AUTH_TOKEN=… policylayer proxy --listen 127.0.0.1:8808 -- uvx mcp-slicer`,
    )
    .action(async (command: string[], options: unknown) => {
      context.exitCode = await proxy(command, options, context.io);
    });
}
