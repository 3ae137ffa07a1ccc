/**
 * `policylayer proxy --listen HOST:PORT`: the proxy as a Streamable HTTP server at /mcp
 * (src/transport/http-listen.ts). Each client session gets a connection of its own (connection.ts)
 * to an upstream of its own — the server command started for it (a stdio server serves one MCP
 * session), or a session with the remote server — while the policy, its counters, the audit log
 * and the recording are the process's: every connected client spends the same budgets. A session's
 * grant comes from `--grant-from-header` when given, else `--grant`.
 *
 * Runs until SIGINT or SIGTERM: the listener closes, every session's upstream is shut down, and the
 * audit log is sealed.
 */
import { UserError } from '../errors.js';
import { HttpListener, type ListenSession } from '../transport/http-listen.js';
import type { ListenPlan } from '../transport/options.js';
import { describeStats, runConnection } from './connection.js';
import { DEFAULT_APPROVAL_TIMEOUT_MS, DEFAULT_SHUTDOWN_GRACE_MS, openUpstream, proxyLog, type ProxyOptions } from './run.js';
import { ProxyShared } from './shared.js';

export interface ListenOptions extends ProxyOptions {
  listen: ListenPlan;
  /** Resolves when the listener is up, with its URL (tests listen on port 0). */
  onListening?: (url: URL) => void;
  /** Ends the listener instead of a signal (tests). */
  stop?: AbortSignal;
}

export async function runListen(options: ListenOptions): Promise<number> {
  const log = proxyLog(options);
  const grant = options.grant ?? 'local';
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const shared = ProxyShared.open(options, log);
  const connections = new Set<Promise<void>>();

  const serve = (session: ListenSession): void => {
    const sessionGrant = session.grant ?? grant;
    const done = (async () => {
      let upstream;
      try {
        upstream = await openUpstream(options);
      } catch (error) {
        const message = error instanceof UserError ? error.message : String(error);
        log(`session ${session.id}: the server could not start (${message})`);
        session.fail(`policylayer: the server could not start: ${message}`);
        return;
      }
      log(`session ${session.id} (grant ${sessionGrant}): connected`);
      const end = await runConnection(shared, {
        input: session.input,
        output: session.output,
        upstream,
        grant: sessionGrant,
        session: session.id,
        approvalTimeoutMs: options.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
        shutdownGraceMs: graceMs,
        gates: options.gates,
        approvers: options.approvers,
        limits: options.limits,
      });
      session.close(end.clientLeft ? 'the client closed the session' : 'the server exited');
      log(`session ${session.id} ended: ${describeStats(end.stats)}`);
    })().catch((error: unknown) => log(`session ${session.id}: internal error: ${(error as Error).stack ?? String(error)}`));
    connections.add(done);
    void done.finally(() => connections.delete(done));
  };

  let listener: HttpListener;
  try {
    listener = await HttpListener.start({
      host: options.listen.host,
      port: options.listen.port,
      auth: options.listen.auth,
      allowRemote: options.listen.allowRemote,
      allowedOrigins: options.listen.allowedOrigins,
      ...(options.listen.grantHeader ? { grantHeader: options.listen.grantHeader } : {}),
      onSession: serve,
      log,
    });
  } catch (error) {
    await shared.close();
    throw error instanceof UserError ? error : new UserError(`--listen ${options.listen.host}:${options.listen.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const url = listener.url;
  shared.auditor.lifecycle({
    event: 'start',
    policy: options.policy.display,
    policy_sha256: options.policy.sha256,
    detail: `listening on ${url.href}; grant ${options.listen.grantHeader ? `from header ${options.listen.grantHeader}` : grant}`,
    grant,
    session: 'listen',
    server: options.upstreamLabel ?? [options.command ?? '', ...(options.args ?? [])],
  });
  log(`listening on ${url.href}${options.listen.auth === 'none' ? ' (no token: --no-auth)' : ''}`);
  options.onListening?.(url);
  const stopWatching = options.watch ? shared.watch() : () => {};

  const why = await stopped(options.stop);
  log(`${why}; closing the listener and every session`);
  await listener.close();
  await Promise.allSettled([...connections]);
  stopWatching();
  shared.auditor.lifecycle({ event: 'stop', detail: why, grant, session: 'listen', exit_code: 0, signal: null });
  await shared.close();
  return 0;
}

/** Resolves with a reason on the first SIGINT or SIGTERM, or when `stop` aborts. */
function stopped(stop: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const finish = (reason: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(reason);
    };
    const onSignal = (signal: NodeJS.Signals): void => finish(`received ${signal}`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (stop) {
      if (stop.aborted) finish('stopped');
      else stop.addEventListener('abort', () => finish('stopped'), { once: true });
    }
  });
}
