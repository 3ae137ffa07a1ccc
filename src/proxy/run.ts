/**
 * `policylayer proxy`: runs the server as a child and stands between it and the client on stdio.
 * This file wires the pieces and owns the lifecycle. One tools/call, from bytes in to bytes out:
 *
 *  1. chunks.ts: a chunk of the client's stdin is split into lines (util/line-splitter.ts) while
 *     both writers and the audit log are held, so everything the chunk produces leaves together.
 *  2. client-messages.ts: the line is checked — one message by every reader's framing
 *     (wire/framing.ts), UTF-8, JSON, member names every parser reads alike (wire/member-names.ts),
 *     one well-formed JSON-RPC message, an id not in flight and room under the caps
 *     (in-flight/requests-in-flight.ts) — or refused with an error, a stderr line and an audit line.
 *  3. tool-call.ts: the gates (gates/: the policy's hide, a --lock file) and then the engine's
 *     decider (src/engine/decider.ts) decide and reserve the budget; a decision that needs a
 *     remote store or a tools/list refresh keeps the call's place in the order
 *     (in-flight/ordered-forwarder.ts). Denied: a denial result (wire/replies.ts) goes back, and the
 *     server sees nothing. Needs approval: approval/ asks a human and ends as allowed or denied.
 *  4. Allowed: its audit line is written (call-audit.ts), it joins the requests in flight, and its
 *     original bytes go to the server (wire/stream-writer.ts) — when the chunk is done, after the
 *     audit write, or instead a denial if that write failed.
 *  5. server-messages.ts: the answer's envelope is read from its bytes (wire/envelope.ts); it ends
 *     its request in flight — the budget kept or given back by the engine's rule
 *     (src/engine/call-end.ts), the audit result line written — and its bytes go to the client
 *     unchanged (a chunk of SDK-shaped results passes whole; a tools/list result is filtered by the
 *     gates). An answer that matches nothing in flight is dropped.
 *
 * create-context.ts builds the state the handlers share (context.ts); the benchmark of the proxy's
 * own work and the fuzzer drive the same handlers in one process.
 */
import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { Decider } from '../engine/decider.js';
import { UserError } from '../errors.js';
import type { Upstream } from '../transport/upstream.js';
import { exitCodeOf, ServerProcess } from '../util/server-process.js';
import type { Approver } from './approval/approval.js';
import { describeExit, describeStats, runConnection } from './connection.js';
import type { ToolGate } from './gates/tool-gates.js';
import type { InFlightLimits } from './in-flight/requests-in-flight.js';
import { ProxyShared, type ProxyPolicy, type SharedOptions } from './shared.js';
import { logLine } from '../util/visible-text.js';

export type { ProxyPolicy } from './shared.js';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 2_000;

export interface ProxyOptions extends SharedOptions {
  /** The server to start as a child (unless `openUpstream` is given). */
  command?: string;
  args?: readonly string[];
  /** Opens another kind of upstream (a remote server over HTTP); `upstreamLabel` names it in the audit log. */
  openUpstream?: () => Promise<Upstream>;
  upstreamLabel?: string[];
  policy: ProxyPolicy;
  /** Identity label for limits with scope grant (default `local`). */
  grant?: string;
  /** MCP session id for limits with scope session (default: a new UUID per run). */
  session?: string;
  decider?: Decider;
  /** The approvers to try in order; default: elicitation through the client. */
  approvers?: (builtIn: { elicitation: Approver }) => Approver[];
  /** Gates besides the policy's hide (e.g. a lock file). */
  gates?: ToolGate[];
  watch?: boolean;
  approvalTimeoutMs?: number;
  /** Caps on requests in flight and calls waiting for approval (defaults in limits.ts). */
  limits?: Partial<InFlightLimits>;
  shutdownGraceMs?: number;
  /** The client side; default process.stdin / process.stdout. */
  input?: Readable;
  output?: Writable;
  /** Where log lines go (never stdout); default stderr. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Forward SIGINT and SIGTERM to the server (default: when the client side is the process's stdio). */
  handleSignals?: boolean;
}

/** The proxy's log: one line on stderr (or the given sink), prefixed. */
export function proxyLog(options: Pick<ProxyOptions, 'log'>): (message: string) => void {
  const writeLog = options.log ?? ((line: string) => process.stderr.write(line));
  // One line per message, whatever it quotes (client-chosen tool names and methods among others).
  return (message) => writeLog(`policylayer proxy: ${logLine(message)}\n`);
}

/** The upstream a proxy guards: the server command as a child process, or what `openUpstream` opens. */
export async function openUpstream(options: ProxyOptions): Promise<Upstream> {
  if (options.openUpstream) return options.openUpstream();
  if (!options.command) throw new UserError('proxy: no server to guard');
  try {
    return await ServerProcess.start(options.command, options.args ?? [], { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() });
  } catch (error) {
    throw error instanceof UserError ? error : new UserError((error as Error).message);
  }
}

/** Runs until the server exits; resolves with the exit code for the proxy. Throws UserError when it cannot start. */
export async function runProxy(options: ProxyOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const log = proxyLog(options);
  const grant = options.grant ?? 'local';
  const session = options.session ?? randomUUID();
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;

  const shared = ProxyShared.open(options, log);
  let upstream: Upstream;
  try {
    upstream = await openUpstream(options);
  } catch (error) {
    await shared.close();
    throw error;
  }
  shared.auditor.lifecycle({
    event: 'start',
    policy: options.policy.display,
    policy_sha256: options.policy.sha256,
    detail: `grant ${grant} session ${session}`,
    grant,
    session,
    server: options.upstreamLabel ?? [options.command ?? '', ...(options.args ?? [])],
  });
  const stopSignals = (options.handleSignals ?? input === process.stdin) ? forwardSignals(upstream, graceMs, log) : () => {};
  const stopWatching = options.watch ? shared.watch() : () => {};

  const end = await runConnection(shared, {
    input,
    output,
    upstream,
    grant,
    session,
    approvalTimeoutMs: options.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    shutdownGraceMs: graceMs,
    gates: options.gates,
    approvers: options.approvers,
    limits: options.limits,
  });
  stopSignals();
  stopWatching();
  // A server the proxy had to signal while shutting down ended as planned: exit 0.
  const code = upstream.stoppedBy ? 0 : exitCodeOf(end.exit);
  log(`stopped: ${describeStats(end.stats)}`);
  shared.auditor.lifecycle({
    event: 'stop',
    detail: end.clientLeft ? 'the client closed the connection' : `the server exited (${describeExit(end.exit)})`,
    grant,
    session,
    exit_code: end.exit.code,
    signal: end.exit.signal,
  });
  await shared.close();
  if (input === process.stdin) input.destroy();
  return code;
}

/** SIGINT and SIGTERM go to the server; a second one, or a server that ignores them, gets SIGKILL after the grace period. */
export function forwardSignals(upstream: Pick<Upstream, 'signal'>, graceMs: number, log: (message: string) => void): () => void {
  let received = 0;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    received++;
    if (received > 1) {
      upstream.signal('SIGKILL');
      return;
    }
    log(`received ${signal}; passing it to the server`);
    upstream.signal(signal);
    killTimer = setTimeout(() => upstream.signal('SIGKILL'), graceMs * 2);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    clearTimeout(killTimer);
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
