/**
 * A remote MCP server as the proxy's upstream: the same surface as a stdio child (`Upstream`), so
 * the proxy's decisions, filtering, approval and audit run unchanged on newline-delimited JSON-RPC.
 *
 * `connect` checks the server is there before the proxy reads its client (one GET; a 401 there
 * starts sign-in), so a wrong URL or a server that is down fails at start with one line. The first
 * `initialize` picks the transport: Streamable HTTP, or HTTP+SSE when the server answers the
 * POST with 400/404/405 (the spec's backwards-compatibility procedure); messages behind it wait.
 *
 * Every request gets exactly one answer: the server's, or (connection refused, stream broken, the
 * proxy stopping) an error made up here that says whether the server may have run it.
 */
import type { UpstreamAuth } from './auth.js';
import { Connections, describeRedirect, RequestFailed, sendRequest } from './http-request.js';
import { InFlight } from './in-flight.js';
import { LegacySseLeg } from './legacy-sse-leg.js';
import type { Leg, LegContext } from './leg.js';
import { authChallenge } from './leg.js';
import { LineReadable, LineWritable } from './line-streams.js';
import { readClientMessage, type ClientMessage } from './messages.js';
import { StreamableLeg } from './streamable-leg.js';
import { idKeyOf, type LocalReply, type Upstream, type UpstreamExit } from './upstream.js';
import { displayUrl } from '../util/display-url.js';

/** The proxy's own message size limit (src/proxy/line-splitter.ts): a larger answer could not be passed on anyway. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Concurrent requests per upstream; more wait for a connection. */
const MAX_STREAMS = 256;
const MAX_QUICK = 16;

export type TransportChoice = 'auto' | 'streamable-http' | 'sse';

export interface HttpUpstreamOptions {
  url: URL;
  /** Extra headers (names lower case, `${VAR}` already expanded); see headers.ts. */
  headers?: Record<string, string>;
  /** OAuth or another credential source; none for static headers only. */
  auth?: UpstreamAuth;
  /** 'auto' (default): Streamable HTTP, HTTP+SSE as the spec's fallback. */
  transport?: TransportChoice;
  maxMessageBytes?: number;
  /** After the client cancels a request, how long its stream may stay open before it is answered here (default 5 s). */
  cancelGraceMs?: number;
  /** Log lines (no prefix, no newline); default: stderr. */
  log?: (message: string) => void;
}

/** The server cannot be used at all (unreachable, refuses us): one line, for exit code 2. */
export class UpstreamUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamUnavailable';
  }
}

export class HttpUpstream implements Upstream {
  readonly stdin: LineWritable;
  readonly stdout = new LineReadable();
  readonly exited: Promise<UpstreamExit>;
  stoppedBy: 'terminated' | 'killed' | undefined;

  private readonly abort = new AbortController();
  private readonly inFlight: InFlight;
  private readonly context: LegContext;
  private leg: Leg | undefined;
  private deciding = false;
  /** Messages behind the first `initialize`, until the transport is decided. */
  private queue: ClientMessage[] = [];
  private exitInfo: UpstreamExit | undefined;
  private resolveExit!: (exit: UpstreamExit) => void;
  private closing = false;

  private constructor(private readonly options: HttpUpstreamOptions) {
    const log = options.log ?? ((message: string) => process.stderr.write(`policylayer proxy: ${message}\n`));
    this.inFlight = new InFlight(this.stdout, options.url.origin + options.url.pathname);
    const streams = new Connections(MAX_STREAMS);
    const quick = new Connections(MAX_QUICK);
    this.context = {
      url: options.url,
      headers: options.headers ?? {},
      auth: options.auth,
      streams,
      quick,
      output: this.stdout,
      inFlight: this.inFlight,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      cancelGraceMs: options.cancelGraceMs ?? 5_000,
      signal: this.abort.signal,
      log,
      lost: (reason) => void this.close({ code: 1, signal: null, reason }),
    };
    this.stdin = new LineWritable(
      (line) => this.onClientLine(line),
      () => {},
    );
    this.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /**
   * Checks that the server answers (and signs in first when it asks for credentials), then returns
   * the upstream. Throws UpstreamUnavailable with one line when the server cannot be used.
   */
  static async connect(options: HttpUpstreamOptions): Promise<HttpUpstream> {
    const upstream = new HttpUpstream(options);
    try {
      if (options.transport === 'sse') {
        const leg = new LegacySseLeg(upstream.context);
        await leg.ready().catch((error: Error) => {
          throw new UpstreamUnavailable(`cannot open ${displayUrl(options.url)}: ${error.message}`);
        });
        upstream.leg = leg;
      } else await upstream.probe();
    } catch (error) {
      options.auth?.close?.();
      upstream.abort.abort();
      upstream.context.streams.destroy();
      upstream.context.quick.destroy();
      throw error;
    }
    return upstream;
  }

  /**
   * One GET to the endpoint, read no further than its status: any HTTP answer means the server is
   * there (a Streamable HTTP server answers 400 or 405 without a session; an HTTP+SSE one opens a
   * stream, dropped at once). 401 means credentials first.
   */
  private async probe(): Promise<void> {
    const { url, auth } = this.options;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...this.context.headers, accept: 'text/event-stream' };
      const sent = auth ? await auth.authorization().catch(() => undefined) : headers.authorization;
      if (sent) headers.authorization = sent;
      let status: number;
      let wwwAuthenticate: string | string[] | undefined;
      try {
        const response = await sendRequest(url, { method: 'GET', headers, connections: this.context.quick, signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(30_000)]) });
        response.body.destroy();
        status = response.status;
        wwwAuthenticate = response.headers['www-authenticate'];
        const redirect = describeRedirect(response);
        if (redirect) throw new UpstreamUnavailable(`cannot use ${displayUrl(url)}: ${redirect}`);
      } catch (error) {
        if (error instanceof UpstreamUnavailable) throw error;
        throw new UpstreamUnavailable(`cannot reach ${displayUrl(url)}: ${error instanceof RequestFailed ? error.message : (error as Error).message}`);
      }
      if (status !== 401 && status !== 407) return;
      if (status === 407) throw new UpstreamUnavailable(`cannot reach ${displayUrl(url)}: a proxy between here and the server asks for credentials (HTTP 407)`);
      const challenge = authChallenge(status, wwwAuthenticate)!;
      if (!auth) {
        throw new UpstreamUnavailable(
          this.context.headers.authorization
            ? `${displayUrl(url)} refused the credentials in the Authorization header (HTTP 401)`
            : `${displayUrl(url)} requires authorization (HTTP 401); sign in with OAuth, or pass --header 'Authorization: Bearer \${TOKEN}'`,
        );
      }
      if (attempt > 0) throw new UpstreamUnavailable(`${displayUrl(url)} refused the credentials it just issued (HTTP 401 after signing in)`);
      const recovered = await auth.recover(challenge, sent);
      if (!recovered.ok) throw new UpstreamUnavailable(`${displayUrl(url)} requires authorization (HTTP 401): ${recovered.reason}`);
    }
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The session id the server gave (Streamable HTTP), for logs and tests. */
  get sessionId(): string | undefined {
    return this.leg instanceof StreamableLeg ? this.leg.sessionId : undefined;
  }

  get transport(): 'streamable-http' | 'sse' | undefined {
    return this.leg instanceof StreamableLeg ? 'streamable-http' : this.leg instanceof LegacySseLeg ? 'sse' : undefined;
  }

  takeLocalReply(id: string | number): LocalReply | undefined {
    return this.inFlight.takeLocalReply(idKeyOf(id));
  }

  private onClientLine(line: Buffer): void {
    const message = readClientMessage(line);
    if (this.closing) {
      for (const request of message.requests) {
        this.inFlight.add(request);
        void this.inFlight.fail(request.key, 'the connection to the server is closing', 'no');
      }
      return;
    }
    // Until the first initialize is answered, no transport is known to take the rest.
    if (this.deciding) this.queue.push(message);
    else if (this.leg) this.leg.send(message);
    else this.startStreamable(message);
  }

  /** The first message: an `initialize` decides the transport; anything else goes to Streamable HTTP at once. */
  private startStreamable(first: ClientMessage): void {
    this.deciding = first.isInitialize;
    const decided = this.deciding ? (outcome: 'streamable' | 'fallback', initialize: ClientMessage, failure?: string) => this.onDecided(outcome, initialize, failure) : undefined;
    const leg = new StreamableLeg(this.context, decided, this.deciding && this.options.transport !== 'streamable-http');
    this.leg = leg;
    leg.send(first);
  }

  private onDecided(outcome: 'streamable' | 'fallback', initialize: ClientMessage, streamableFailure?: string): void {
    if (outcome === 'streamable') return this.flushQueue();
    const legacy = new LegacySseLeg(this.context);
    this.leg = legacy;
    legacy.ready().then(
      () => {
        this.context.log(`${displayUrl(this.options.url)} does not take Streamable HTTP (${streamableFailure}); using the older HTTP+SSE transport`);
        legacy.send(initialize);
        this.flushQueue();
      },
      async (error: Error) => {
        // Neither transport: the client's initialize gets the Streamable HTTP answer, which names the real problem.
        await this.context.inFlight.fail(initialize.requests[0]!.key, `the server refused Streamable HTTP (${streamableFailure}) and HTTP+SSE (${error.message})`, 'no');
        this.leg = new StreamableLeg(this.context, undefined, false);
        this.flushQueue();
      },
    );
  }

  private flushQueue(): void {
    this.deciding = false;
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) this.leg!.send(message);
  }

  async stop(graceMs: number): Promise<'exited' | 'terminated' | 'killed'> {
    if (this.exitInfo) return 'exited';
    const idle = await Promise.race([this.inFlight.idle().then(() => true), delayMs(graceMs).then(() => false)]);
    if (idle) {
      await this.close({ code: 0, signal: null, reason: 'closed by the proxy' });
      return 'exited';
    }
    return this.terminate(0);
  }

  async terminate(_graceMs: number): Promise<'terminated' | 'killed'> {
    if (!this.exitInfo) this.stoppedBy = 'terminated';
    await this.close({ code: 0, signal: null, reason: 'closed by the proxy with requests in flight' });
    return 'terminated';
  }

  /** SIGINT/SIGTERM (or SIGKILL): the connection closes now; requests in flight are answered. */
  signal(signal: NodeJS.Signals): void {
    // Like a child killed by the signal: exit code 128 + its number.
    void this.close({ code: null, signal, reason: `closed on ${signal}` });
  }

  async reapGroup(): Promise<'none'> {
    return 'none';
  }

  /**
   * Ends the session (DELETE), answers whatever is still in flight, ends `stdout`, then settles
   * `exited`. Safe to call more than once.
   */
  private async close(exit: UpstreamExit): Promise<void> {
    if (this.closing) return this.exited.then(() => {});
    this.closing = true;
    for (const message of this.queue) for (const request of message.requests) this.inFlight.add(request);
    this.queue = [];
    this.options.auth?.close?.();
    await this.leg?.close().catch(() => {});
    this.abort.abort();
    await this.inFlight.failAll(exit.reason && exit.code === 1 ? exit.reason : 'the proxy closed the connection before the server answered', 'maybe');
    this.context.streams.destroy();
    this.context.quick.destroy();
    if (exit.code === 1 && exit.reason) this.context.log(exit.reason);
    const ended = new Promise<void>((resolve) => {
      if (this.stdout.readableEnded || this.stdout.destroyed) return resolve();
      this.stdout.once('end', resolve);
      this.stdout.once('close', resolve);
      // Nobody reading: do not wait for ever.
      setTimeout(resolve, 1000).unref();
    });
    this.stdout.finish();
    await ended;
    this.exitInfo = exit;
    this.resolveExit(exit);
  }
}

function delayMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
