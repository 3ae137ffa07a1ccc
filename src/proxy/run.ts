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
import type { AuditKey } from '../audit/key.js';
import { AuditWriter } from '../audit/writer.js';
import type { CompiledPolicy } from '../engine/compile.js';
import { createDecider, type Decider } from '../engine/decider.js';
import { UserError } from '../errors.js';
import type { Approver } from './approval/approval.js';
import { CallAuditor } from './call-audit.js';
import { exitCodeOf, ServerProcess, type ChildExit } from '../util/server-process.js';
import type { ProxyContext } from './context.js';
import { chunkHandlers } from './chunks.js';
import { createProxyContext } from './create-context.js';
import { idJsonOf } from './wire/ids.js';
import { readWhenStable, watchPolicyFile } from './policy-watch.js';
import { Recorder } from './recorder.js';
import { errorReply, INTERNAL_ERROR } from './wire/replies.js';
import { StreamWriter } from './wire/stream-writer.js';
import type { ToolGate } from './gates/tool-gates.js';
import { cancelHeld, SHUTDOWN } from './tool-call.js';
import { Flow } from './wire/flow.js';
import type { InFlightLimits } from './in-flight/requests-in-flight.js';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 2_000;

export interface ProxyPolicy {
  compiled: CompiledPolicy;
  /** How messages and the audit log name the policy file. */
  display: string;
  sha256: string;
  /** For `--watch`: the file to watch, and how to compile its new bytes (throws a UserError listing the findings when invalid). */
  file?: string;
  load?: (bytes: Buffer) => Promise<{ compiled: CompiledPolicy; sha256: string }>;
}

export interface ProxyOptions {
  command: string;
  args: readonly string[];
  policy: ProxyPolicy;
  /** Identity label for limits with scope grant (default `local`). */
  grant?: string;
  /** MCP session id for limits with scope session (default: a new UUID per run). */
  session?: string;
  /** Decides calls; bring your own to use another counter store. Default: in memory. */
  decider?: Decider;
  /** The approvers to try in order; default: elicitation through the client. */
  approvers?: (builtIn: { elicitation: Approver }) => Approver[];
  /** Gates besides the policy's hide (e.g. a lock file). */
  gates?: ToolGate[];
  /** `key`: chain with HMAC-SHA256 (`--audit-key`). */
  audit?: { path: string; display: string; key?: AuditKey };
  record?: { path: string; display: string };
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

/** Runs until the server exits; resolves with the exit code for the proxy. Throws UserError when it cannot start. */
export async function runProxy(options: ProxyOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const writeLog = options.log ?? ((line: string) => process.stderr.write(line));
  const log = (message: string): void => writeLog(`policylayer proxy: ${message}\n`);
  const grant = options.grant ?? 'local';
  const session = options.session ?? randomUUID();
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;

  const auditWriter = options.audit ? AuditWriter.open(options.audit.path, options.audit.display, { key: options.audit.key }) : undefined;
  if (auditWriter?.warning) log(auditWriter.warning);
  let recorder: Recorder | undefined;
  let server: ServerProcess;
  try {
    recorder = options.record ? Recorder.open(options.record.path, options.record.display) : undefined;
    server = await ServerProcess.start(options.command, options.args, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() });
  } catch (error) {
    auditWriter?.close();
    recorder?.close();
    throw error instanceof UserError ? error : new UserError((error as Error).message);
  }

  const decider = options.decider ?? createDecider(options.policy.compiled);
  decider.setPolicy(options.policy.compiled);
  const auditor = new CallAuditor(auditWriter, log, options.audit?.key);

  const clientFlow = new Flow(input);
  const serverFlow = new Flow(server.stdout);
  const toClient = new StreamWriter(output, {
    onFull: (full) => {
      serverFlow.hold('client output full', full);
      clientFlow.hold('client output full', full);
    },
    onError: (error) => {
      log(`the client stopped reading (${error.code ?? error.message}); shutting down`);
      void clientGone();
    },
  });
  const serverWriter = new StreamWriter(server.stdin, {
    onFull: (full) => clientFlow.hold('server input full', full),
  });
  const ctx = createProxyContext({
    settings: { grant, session, approvalTimeoutMs: options.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS },
    log,
    toClient,
    serverWriter,
    decider,
    auditor,
    recorder,
    gates: options.gates,
    approvers: options.approvers,
    limits: options.limits,
  });

  auditor.lifecycle({
    event: 'start',
    policy: options.policy.display,
    policy_sha256: options.policy.sha256,
    detail: `grant ${grant} session ${session}`,
    grant,
    session,
    server: [options.command, ...options.args],
  });

  const chunks = chunkHandlers(ctx);
  server.stdout.on('data', (chunk: Buffer) => chunks.server(chunk));
  server.stdout.on('end', () => chunks.serverEnd());
  server.stdout.on('error', () => {});

  let clientLeaving = false;
  /** The client closed its side: close the server's stdin, wait, SIGTERM, SIGKILL (the MCP stdio shutdown). */
  const clientGone = async (): Promise<void> => {
    if (clientLeaving) return;
    clientLeaving = true;
    for (const held of [...ctx.inFlight.held.values()]) cancelHeld(held, SHUTDOWN);
    ctx.clientRequests.closeAll('the client closed the connection');
    for (let waited = 0; ctx.toServer.waiting > 0 && waited < 5000; waited += 10) await delay(10);
    serverWriter.end();
    const shutdownStep = await server.stop(graceMs);
    if (shutdownStep !== 'exited') log(`the server did not exit within ${graceMs} ms of its input closing; ${shutdownStep === 'terminated' ? 'sent SIGTERM' : 'sent SIGTERM, then SIGKILL'}`);
  };

  input.on('data', (chunk: Buffer) => chunks.client(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('end', () => {
    chunks.clientEnd();
    void clientGone();
  });
  input.on('error', () => void clientGone());

  const stopSignals = (options.handleSignals ?? input === process.stdin) ? forwardSignals(server, graceMs, log) : () => {};
  const stopWatching = options.watch ? watchPolicy(ctx, options.policy, log) : () => {};

  const exit = await server.exited;
  chunks.serverEnd();
  stopSignals();
  stopWatching();
  finishPending(ctx, exit, clientLeaving);
  // A server the proxy had to signal while shutting down ended as planned: exit 0.
  const code = server.stoppedBy ? 0 : exitCodeOf(exit);
  if (!clientLeaving) log(`the server exited (${describeExit(exit)})`);
  const reaped = await server.reapGroup(graceMs);
  if (reaped !== 'none') log(`processes the server started were still running after it exited; ${reaped === 'terminated' ? 'sent them SIGTERM' : 'sent them SIGTERM, then SIGKILL'}`);
  const { allowed, denied, approvalAsked, refused } = ctx.stats;
  log(
    `stopped: ${allowed} call${allowed === 1 ? '' : 's'} forwarded, ${denied} denied${approvalAsked > 0 ? `, ${approvalAsked} asked for approval` : ''}${refused > 0 ? `, ${refused} message${refused === 1 ? '' : 's'} refused` : ''}`,
  );
  auditor.lifecycle({
    event: 'stop',
    detail: clientLeaving ? 'the client closed the connection' : `the server exited (${describeExit(exit)})`,
    grant,
    session,
    exit_code: exit.code,
    signal: exit.signal,
  });
  auditor.close();
  recorder?.close();
  await decider.close().catch(() => {});
  // Held calls ended above answer in a later microtask; let them, then wait for the client's pipe.
  await new Promise((resolve) => setImmediate(resolve));
  await toClient.drained();
  input.pause();
  if (input === process.stdin) input.destroy();
  return code;
}

/**
 * Every request still open when the server is gone gets an error; held calls end; nothing waits
 * forever. A forwarded call keeps its budget: the server may have run it before it went.
 */
function finishPending(ctx: ProxyContext, exit: ChildExit, clientLeaving: boolean): void {
  for (const held of [...ctx.inFlight.held.values()]) cancelHeld(held, SHUTDOWN);
  ctx.serverRequests.closeAll('the server exited');
  ctx.clientRequests.closeAll('the server exited');
  const why = clientLeaving ? 'the proxy shut the server down' : `the server exited (${describeExit(exit)})`;
  const now = performance.now();
  for (const [key, pending] of [...ctx.inFlight.pending.entries()]) {
    ctx.inFlight.end(key, pending, { kind: 'server-gone' }, { error: clientLeaving ? 'proxy stopped' : 'server exited' }, now);
    if (!pending.cancelled) pending.reply(errorReply(idJsonOf(pending), INTERNAL_ERROR, `${why} before answering this request`));
  }
}

function watchPolicy(ctx: ProxyContext, policy: ProxyPolicy, log: (message: string) => void): () => void {
  if (!policy.file || !policy.load) return () => {};
  let current = policy.sha256;
  let loading = false;
  let again = false;
  const reload = async (): Promise<void> => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      // Only a file that has stopped changing, and parses, replaces the policy.
      const bytes = await readWhenStable(policy.file!);
      if (!bytes) {
        log(`${policy.display} kept changing; the current policy stays until it settles`);
        return;
      }
      const next = await policy.load!(bytes);
      if (next.sha256 === current) return;
      ctx.decider.setPolicy(next.compiled);
      current = next.sha256;
      log(`reloaded ${policy.display}`);
      ctx.auditor.lifecycle({ event: 'reload', policy: policy.display, policy_sha256: next.sha256, detail: 'accepted' });
    } catch (error) {
      const message = (error as Error).message;
      log(`${message}\npolicylayer proxy: kept the previous policy`);
      ctx.auditor.lifecycle({ event: 'reload', policy: policy.display, detail: `rejected: ${message.split('\n')[0]}` });
    } finally {
      loading = false;
      if (again) {
        again = false;
        void reload();
      }
    }
  };
  return watchPolicyFile(policy.file, () => void reload(), (error) => log(`cannot watch ${policy.display}: ${error.message}`));
}

/** SIGINT and SIGTERM go to the server; a second one, or a server that ignores them, gets SIGKILL after the grace period. */
function forwardSignals(server: ServerProcess, graceMs: number, log: (message: string) => void): () => void {
  let received = 0;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    received++;
    if (received > 1) {
      server.signal('SIGKILL');
      return;
    }
    log(`received ${signal}; passing it to the server`);
    server.signal(signal);
    killTimer = setTimeout(() => server.signal('SIGKILL'), graceMs * 2);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    clearTimeout(killTimer);
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function describeExit(exit: ChildExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
