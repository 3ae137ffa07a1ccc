/**
 * One client connected to one upstream through the policy: the client's line streams (the
 * process's stdio, or one `--listen` session) and the server's (a child process on stdio, or a
 * remote server over HTTP: src/transport/upstream.ts). Runs until the upstream is gone; when the
 * client leaves first, it shuts the upstream down the MCP stdio way (close its input, wait, then
 * stop it). The decider, audit log and recording are the process's (shared.ts).
 */
import type { Readable, Writable } from 'node:stream';
import type { LocalReply, Upstream, UpstreamExit } from '../transport/upstream.js';
import type { Approver } from './approval/approval.js';
import { chunkHandlers } from './chunks.js';
import type { ProxyContext, ProxyStats } from './context.js';
import { createProxyContext } from './create-context.js';
import type { ToolGate } from './gates/tool-gates.js';
import type { InFlightLimits } from './in-flight/requests-in-flight.js';
import type { ProxyShared } from './shared.js';
import { cancelHeld, SHUTDOWN } from './tool-call.js';
import { Flow } from './wire/flow.js';
import { idJsonOf } from './wire/ids.js';
import { errorReply, INTERNAL_ERROR } from './wire/replies.js';
import { StreamWriter } from './wire/stream-writer.js';

export interface ConnectionOptions {
  input: Readable;
  output: Writable;
  upstream: Upstream;
  grant: string;
  session: string;
  approvalTimeoutMs: number;
  shutdownGraceMs: number;
  gates?: ToolGate[] | undefined;
  approvers?: ((builtIn: { elicitation: Approver }) => Approver[]) | undefined;
  limits?: Partial<InFlightLimits> | undefined;
}

export interface ConnectionEnd {
  exit: UpstreamExit;
  /** The client left first (the proxy then stopped the upstream). */
  clientLeft: boolean;
  stats: ProxyStats;
}

export async function runConnection(shared: ProxyShared, options: ConnectionOptions): Promise<ConnectionEnd> {
  const { input, output, upstream, shutdownGraceMs: graceMs } = options;
  const log = shared.log;
  const clientFlow = new Flow(input);
  const serverFlow = new Flow(upstream.stdout);
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
  const serverWriter = new StreamWriter(upstream.stdin, {
    onFull: (full) => clientFlow.hold('server input full', full),
  });
  const localReply = upstream.takeLocalReply?.bind(upstream);
  const ctx = createProxyContext({
    settings: { grant: options.grant, session: options.session, approvalTimeoutMs: options.approvalTimeoutMs },
    log,
    toClient,
    serverWriter,
    decider: shared.decider,
    auditor: shared.auditor,
    recorder: shared.recorder,
    gates: options.gates,
    approvers: options.approvers,
    limits: options.limits,
    ...(localReply ? { localReply } : {}),
  });

  const chunks = chunkHandlers(ctx);
  upstream.stdout.on('data', (chunk: Buffer) => chunks.server(chunk));
  upstream.stdout.on('end', () => chunks.serverEnd());
  upstream.stdout.on('error', () => {});

  let clientLeaving = false;
  /** The client closed its side: close the server's input, wait, then stop it (the MCP stdio shutdown). */
  const clientGone = async (): Promise<void> => {
    if (clientLeaving) return;
    clientLeaving = true;
    for (const held of [...ctx.inFlight.held.values()]) cancelHeld(held, SHUTDOWN);
    ctx.clientRequests.closeAll('the client closed the connection');
    for (let waited = 0; ctx.toServer.waiting > 0 && waited < 5000; waited += 10) await delay(10);
    serverWriter.end();
    const shutdownStep = await upstream.stop(graceMs);
    if (shutdownStep !== 'exited') log(`the server did not exit within ${graceMs} ms of its input closing; ${shutdownStep === 'terminated' ? 'sent SIGTERM' : 'sent SIGTERM, then SIGKILL'}`);
  };

  input.on('data', (chunk: Buffer) => chunks.client(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('end', () => {
    chunks.clientEnd();
    void clientGone();
  });
  input.on('error', () => void clientGone());

  const exit = await upstream.exited;
  chunks.serverEnd();
  finishPending(ctx, exit, clientLeaving);
  if (!clientLeaving) log(`the server exited (${describeExit(exit)})`);
  const reaped = await upstream.reapGroup(graceMs);
  if (reaped !== 'none') log(`processes the server started were still running after it exited; ${reaped === 'terminated' ? 'sent them SIGTERM' : 'sent them SIGTERM, then SIGKILL'}`);
  // Held calls ended above answer in a later microtask; let them, then wait for the client's pipe.
  await new Promise((resolve) => setImmediate(resolve));
  await toClient.drained();
  input.pause();
  return { exit, clientLeft: clientLeaving, stats: ctx.stats };
}

/**
 * Every request still open when the server is gone gets an error; held calls end; nothing waits
 * forever. A forwarded call keeps its budget: the server may have run it before it went.
 */
function finishPending(ctx: ProxyContext, exit: UpstreamExit, clientLeaving: boolean): void {
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

export function describeExit(exit: UpstreamExit): string {
  if (exit.reason) return exit.reason;
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** The line the proxy logs when a connection ends. */
export function describeStats({ allowed, denied, approvalAsked, refused }: ProxyStats): string {
  return `${allowed} call${allowed === 1 ? '' : 's'} forwarded, ${denied} denied${approvalAsked > 0 ? `, ${approvalAsked} asked for approval` : ''}${refused > 0 ? `, ${refused} message${refused === 1 ? '' : 's'} refused` : ''}`;
}

export type { LocalReply };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
