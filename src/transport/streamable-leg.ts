/**
 * The Streamable HTTP client leg (MCP 2025-03-26 … 2025-11-25): each client line is POSTed as it
 * is (the bytes the proxy decided on are the bytes the server reads); a request's answer comes as
 * JSON or on an SSE stream that may first carry the server's own requests and notifications;
 * server-initiated messages also come on the session's GET stream.
 *
 * Why not the SDK's StreamableHTTPClientTransport: it is built for the SDK's Client, which times
 * requests out. A proxy has no timeouts, so every way a request can go unanswered must be seen
 * here and answered: the SDK drops a message its strict schema rejects (an unknown top-level key,
 * `id: null`) with only `onerror`; a broken response stream surfaces as an `onerror` that does not
 * say which request it carried; a 404 for an expired session is thrown and the stale session kept
 * (typescript-sdk#1708); a GET answered 400/404 kills the notification stream; and every message is
 * parsed and re-serialised (a 64 MiB result is held several times over). Here each request's HTTP
 * exchange is followed to its end, and a request left without an answer gets one.
 */
import type { IncomingMessage } from 'node:http';
import { describeRedirect, mediaType, readBody, RequestFailed, sendRequest, type HttpResponse } from './http-request.js';
import { authChallenge, backoffMs, baseHeaders, delay, deliver, describeErrorBody, OwnRequests, type Leg, type LegContext } from './leg.js';
import { lineFromEvent, lineFromJsonBody, protocolVersionOf, type ClientMessage } from './messages.js';
import { readSse, SseTooLarge } from './sse.js';

/** Resuming a broken response stream (GET + Last-Event-ID): attempts before its requests are answered with an error. */
const RESUME_ATTEMPTS = 3;
/** The GET stream is reopened after each drop; after this many failures in a row it is given up. */
const GET_STREAM_FAILURES = 8;
/** How long the DELETE that ends a session may take when the proxy stops. */
const DELETE_TIMEOUT_MS = 2_000;
/** Error bodies are read up to this size for a message. */
const ERROR_BODY_BYTES = 64 * 1024;
/** 2026-07-28 errors in a 400: the server speaks the modern protocol, so HTTP+SSE is not the answer. */
const MODERN_ERROR_CODES = new Set([-32020, -32021, -32022]);

/**
 * The first `initialize` decides the transport: `decided('streamable')` once the server answered
 * it in any way but the spec's fallback statuses, `decided('fallback', …)` when HTTP+SSE should be
 * tried (the upstream then hands this `initialize` to the other leg).
 */
export type Decided = (outcome: 'streamable' | 'fallback', initialize: ClientMessage, streamableFailure?: string) => void;

export class StreamableLeg implements Leg {
  private session: string | undefined;
  private protocolVersion: string | undefined;
  /** The client's `initialize` line, replayed (with an id of ours) when the server ends the session. */
  private initializeLine: Buffer | undefined;
  private initializeKey: string | undefined;
  /** Keeps `initialize` and `notifications/initialized` ahead of what follows them. */
  private gate: Promise<void> = Promise.resolve();
  private readonly own = new OwnRequests();
  private renewing: Promise<boolean> | undefined;
  /** The session the GET stream loop serves, if one runs. */
  private getStreamSession: string | undefined;
  private getStreamRefusedLogged = false;
  private readonly cancelTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly requestAborts = new Map<string, AbortController>();

  constructor(
    private readonly context: LegContext,
    /** Told how the first `initialize` went; `mayFallBack` false for `--transport streamable-http`. */
    private decided: Decided | undefined,
    private readonly mayFallBack: boolean,
  ) {}

  send(message: ClientMessage): void {
    for (const request of message.requests) this.context.inFlight.add(request);
    const previous = this.gate;
    if (message.isInitialize || message.isInitialized) {
      let release!: () => void;
      this.gate = new Promise((resolve) => (release = resolve));
      if (message.isInitialize) {
        this.initializeLine = message.line;
        this.initializeKey = message.requests.find((request) => request.method === 'initialize')?.key;
      }
      void previous.then(() => this.post(message, release));
    } else void previous.then(() => this.post(message));
    for (const key of message.cancels) this.closeAfterCancel(key);
  }

  async close(): Promise<void> {
    for (const timer of this.cancelTimers) clearTimeout(timer);
    if (!this.session) return;
    const { headers } = await baseHeaders(this.context).catch(() => ({ headers: { ...this.context.headers } }));
    const timeout = AbortSignal.timeout(DELETE_TIMEOUT_MS);
    try {
      const response = await sendRequest(this.context.url, { method: 'DELETE', headers: this.sessionHeaders(headers), connections: this.context.quick, signal: timeout });
      response.body.resume();
    } catch {
      // The session ends on the server's side anyway (it times out); nothing to tell anyone.
    }
    this.session = undefined;
  }

  /** The version the server negotiated; sent as MCP-Protocol-Version from then on. */
  get negotiatedVersion(): string | undefined {
    return this.protocolVersion;
  }

  get sessionId(): string | undefined {
    return this.session;
  }

  private sessionHeaders(headers: Record<string, string>): Record<string, string> {
    if (this.session) headers['mcp-session-id'] = this.session;
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    return headers;
  }

  /**
   * POSTs one message and follows its answer to the end. `release` opens the gate for the messages
   * behind it: after `initialize` is answered, or after `notifications/initialized` was accepted.
   */
  private async post(message: ClientMessage, release?: () => void, retried = false): Promise<void> {
    const context = this.context;
    const abort = message.requests.length === 1 ? new AbortController() : undefined;
    if (abort) this.requestAborts.set(message.requests[0]!.key, abort);
    const releaseWhenAnswered = (): void => {
      if (!release) return;
      if (message.isInitialize && this.initializeKey) void context.inFlight.done(this.initializeKey).then(release);
      else release();
    };
    const decide = (outcome: 'streamable' | 'fallback', failure?: string): void => {
      if (!message.isInitialize || !this.decided) return;
      const decided = this.decided;
      this.decided = undefined;
      decided(outcome, message, failure);
    };
    try {
      if (this.renewing) await this.renewing;
      const { headers, sentAuthorization } = await baseHeaders(context);
      headers['content-type'] = 'application/json';
      headers.accept = 'application/json, text/event-stream';
      const sessionUsed = this.session;
      let response: HttpResponse;
      try {
        response = await sendRequest(context.url, {
          method: 'POST',
          headers: this.sessionHeaders(headers),
          body: message.line,
          connections: message.requests.length > 0 ? context.streams : context.quick,
          signal: abort ? AbortSignal.any([context.signal, abort.signal]) : context.signal,
        });
      } catch (error) {
        decide('streamable');
        releaseWhenAnswered();
        await this.failMessage(message, error instanceof RequestFailed ? error.message : String(error), error instanceof RequestFailed ? error.reached : 'maybe');
        return;
      }
      for (const request of message.requests) context.inFlight.markSent(request.key);
      const status = response.status;
      if (message.isInitialize && status >= 200 && status < 300) {
        const sessionId = headerValue(response, 'mcp-session-id');
        if (sessionId) this.session = sessionId;
      }

      if (status >= 200 && status < 300) {
        decide('streamable');
        releaseWhenAnswered();
        await this.readAnswer(message, response);
        if (message.isInitialized && status === 202) void this.runGetStream();
        return;
      }

      // Refused: nothing of this request ran, so a retry is safe.
      const challenge = context.auth && !retried ? authChallenge(status, response.headers['www-authenticate']) : undefined;
      if (challenge) {
        response.body.resume();
        const recovered = await context.auth!.recover(challenge, sentAuthorization);
        if (recovered.ok) return void (await this.post(message, release, true));
        decide('streamable');
        releaseWhenAnswered();
        return void (await this.failMessage(message, `the server refused the credentials (HTTP ${status}): ${recovered.reason}`, 'no', { httpStatus: status }));
      }
      const body = await readBody(response.body, ERROR_BODY_BYTES).catch(() => undefined);
      if (sessionUsed && !retried && sessionExpired(status, body)) {
        // Another request may have renewed the session already (or be renewing it).
        const renewed = this.renewing || this.session === sessionUsed ? await this.renewSession(`HTTP ${status}`) : true;
        if (renewed) return void (await this.post(message, release, true));
      }
      if (message.isInitialize && !sessionUsed && this.decided && this.mayFallBack && [400, 404, 405].includes(status) && !isModernError(body)) {
        // This leg is done: the HTTP+SSE leg takes over this initialize and everything after it.
        return decide('fallback', `HTTP ${status}${describeErrorBody(body) ? ` (${describeErrorBody(body)})` : ''}`);
      }
      decide('streamable');
      releaseWhenAnswered();
      const redirect = describeRedirect(response);
      const reason = `the server answered HTTP ${status}${redirect ? `: ${redirect}` : ''}`;
      await this.failMessage(message, reason, status >= 500 ? 'maybe' : 'no', { httpStatus: status }, redirect ? undefined : describeErrorBody(body));
    } finally {
      if (abort) this.requestAborts.delete(message.requests[0]!.key);
    }
  }

  /** A 2xx to a POST: nothing (202), one JSON body, or an SSE stream. */
  private async readAnswer(message: ClientMessage, response: HttpResponse): Promise<void> {
    const keys = message.requests.map((request) => request.key);
    if (keys.length === 0 || response.status === 202) {
      response.body.resume();
      if (keys.length > 0) for (const key of keys) await this.context.inFlight.fail(key, 'the server accepted the request without answering it (HTTP 202)', 'maybe');
      return;
    }
    const type = mediaType(response.headers);
    if (type === 'text/event-stream') return this.readResponseStream(keys, response.body);
    if (type === 'application/json') {
      const body = await readBody(response.body, this.context.maxMessageBytes).catch(() => null);
      if (body === null) return this.failKeys(keys, 'the connection broke while the answer was read');
      if (body === undefined) return this.failKeys(keys, `the answer is larger than ${this.context.maxMessageBytes} bytes`);
      const line = lineFromJsonBody(body);
      if (line.length > 0) await deliver(this.context, this.own, line, (key, answer) => this.onAnswer(key, answer));
      return this.failKeys(keys, 'the server answered without a response to this request');
    }
    response.body.resume();
    return this.failKeys(keys, `the server answered with content type "${type || 'none'}", not JSON or an event stream`);
  }

  /** Reads a request's SSE stream; if it breaks before every request on it was answered, resumes it or answers them. */
  private async readResponseStream(keys: string[], body: IncomingMessage): Promise<void> {
    const cursor: StreamCursor = { lastEventId: undefined, retryMs: undefined };
    const outcome = await this.readEvents(body, cursor);
    if (outcome === 'too-large') return this.failKeys(keys, `an answer on the stream is larger than ${this.context.maxMessageBytes} bytes`);
    const open = keys.filter((key) => this.context.inFlight.has(key));
    if (open.length === 0 || this.context.signal.aborted) return;
    if (cursor.lastEventId !== undefined && (await this.resume(open, cursor))) return;
    await this.failKeys(open, outcome === 'broken' ? 'the connection broke before the server answered' : 'the server ended the response stream without answering');
  }

  /** GET + Last-Event-ID until the requests are answered; false when it could not be resumed. */
  private async resume(keys: string[], cursor: StreamCursor): Promise<boolean> {
    const context = this.context;
    const open = (): boolean => keys.some((key) => context.inFlight.has(key));
    for (let attempt = 0; attempt < RESUME_ATTEMPTS && open() && !context.signal.aborted; attempt++) {
      await delay(backoffMs(attempt, cursor.retryMs), context.signal);
      if (!open() || context.signal.aborted) break;
      const { headers } = await baseHeaders(context);
      headers.accept = 'text/event-stream';
      headers['last-event-id'] = cursor.lastEventId!;
      let response: HttpResponse;
      try {
        response = await sendRequest(context.url, { method: 'GET', headers: this.sessionHeaders(headers), connections: context.streams, signal: context.signal });
      } catch {
        continue;
      }
      if (response.status !== 200 || mediaType(response.headers) !== 'text/event-stream') {
        response.body.resume();
        // 404/405/400: the server cannot (or will not) resume; more attempts would get the same.
        // 409: it has not noticed the old stream is gone yet; try again.
        if (response.status >= 400 && response.status < 500 && response.status !== 409) break;
        continue;
      }
      attempt = -1;
      const outcome = await this.readEvents(response.body, cursor);
      if (outcome === 'too-large') {
        await this.failKeys(keys, `an answer on the stream is larger than ${context.maxMessageBytes} bytes`);
        return true;
      }
      if (!open()) return true;
      if (outcome === 'ended') attempt = 0;
    }
    return !open();
  }

  /** Reads events until the stream ends: 'ended' cleanly, 'broken' by the network, 'too-large' at the size limit. */
  private async readEvents(body: IncomingMessage, cursor: StreamCursor): Promise<'ended' | 'broken' | 'too-large'> {
    try {
      await readSse(body, this.context.maxMessageBytes, {
        onEvent: async (event) => {
          if (event.id !== undefined) cursor.lastEventId = event.id;
          if ((event.event !== undefined && event.event !== 'message') || event.dataBytes === 0) return;
          await deliver(this.context, this.own, lineFromEvent(event), (key, line) => this.onAnswer(key, line));
        },
        onRetry: (ms) => (cursor.retryMs = ms),
      });
      return 'ended';
    } catch (error) {
      return error instanceof SseTooLarge ? 'too-large' : 'broken';
    }
  }

  /** Reads the negotiated protocol version from the `initialize` result. */
  private onAnswer(key: string, line: Buffer): void {
    if (key !== this.initializeKey) return;
    this.protocolVersion = protocolVersionOf(line) ?? this.protocolVersion;
  }

  /**
   * The session's GET stream, for server messages unrelated to a request. Reopened (with
   * Last-Event-ID) whenever it drops; a server without one answers 405, which is fine; any other
   * refusal is logged once and the stream given up (the SDK client throws there, killing it).
   */
  private async runGetStream(): Promise<void> {
    const sessionAtStart = this.session;
    if (this.getStreamSession === sessionAtStart && sessionAtStart !== undefined) return;
    this.getStreamSession = sessionAtStart;
    const context = this.context;
    const cursor: StreamCursor = { lastEventId: undefined, retryMs: undefined };
    let failures = 0;
    try {
      while (!context.signal.aborted && this.session === sessionAtStart) {
        const { headers, sentAuthorization } = await baseHeaders(context);
        headers.accept = 'text/event-stream';
        if (cursor.lastEventId !== undefined) headers['last-event-id'] = cursor.lastEventId;
        let response: HttpResponse;
        try {
          response = await sendRequest(context.url, { method: 'GET', headers: this.sessionHeaders(headers), connections: context.streams, signal: context.signal });
        } catch {
          if (++failures >= GET_STREAM_FAILURES) return context.log(`the server's notification stream failed ${failures} times in a row; server-initiated messages now arrive only with responses`);
          await delay(backoffMs(failures, cursor.retryMs), context.signal);
          continue;
        }
        if (response.status === 200 && mediaType(response.headers) === 'text/event-stream') {
          failures = 0;
          await this.readEvents(response.body, cursor);
          await delay(backoffMs(0, cursor.retryMs), context.signal);
          continue;
        }
        const body = await readBody(response.body, ERROR_BODY_BYTES).catch(() => undefined);
        if (response.status === 405) return;
        const challenge = context.auth ? authChallenge(response.status, response.headers['www-authenticate']) : undefined;
        if (challenge && ++failures < GET_STREAM_FAILURES && (await context.auth!.recover(challenge, sentAuthorization)).ok) continue;
        if (sessionAtStart && sessionExpired(response.status, body)) {
          // A renewed session starts its own GET stream.
          void this.renewSession(`HTTP ${response.status} on the notification stream`);
          return;
        }
        if (!this.getStreamRefusedLogged) {
          this.getStreamRefusedLogged = true;
          context.log(`the server did not open its notification stream (HTTP ${response.status}); server-initiated messages arrive only with responses`);
        }
        return;
      }
    } finally {
      if (this.getStreamSession === sessionAtStart) this.getStreamSession = undefined;
    }
  }

  /**
   * The server ended the session (404, or a 400 that says the session is unknown, as some servers
   * answer): open a new one by replaying the client's `initialize` (with an id of ours; its answer
   * is not passed on) and `notifications/initialized`. One renewal at a time; concurrent requests
   * that hit the same end wait for it and retry. Server-side state of the old session is gone.
   */
  private renewSession(why: string): Promise<boolean> {
    this.renewing ??= this.renew(why).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renew(why: string): Promise<boolean> {
    const context = this.context;
    if (!this.initializeLine || context.signal.aborted) return false;
    this.session = undefined;
    const own = this.own.start();
    let line: Buffer;
    try {
      const parsed = JSON.parse(this.initializeLine.toString('utf8')) as Record<string, unknown>;
      line = Buffer.from(JSON.stringify({ ...parsed, id: JSON.parse(own.idJson) as string }));
    } catch {
      return false;
    }
    try {
      const { headers } = await baseHeaders(context);
      headers['content-type'] = 'application/json';
      headers.accept = 'application/json, text/event-stream';
      if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
      const response = await sendRequest(context.url, { method: 'POST', headers, body: line, connections: context.quick, signal: context.signal });
      if (response.status < 200 || response.status >= 300) {
        response.body.resume();
        throw new Error(`HTTP ${response.status}`);
      }
      const sessionId = headerValue(response, 'mcp-session-id');
      const type = mediaType(response.headers);
      if (type === 'application/json') {
        const body = await readBody(response.body, context.maxMessageBytes);
        if (body) await deliver(context, this.own, lineFromJsonBody(body));
      } else if (type === 'text/event-stream') {
        void this.readEvents(response.body, { lastEventId: undefined, retryMs: undefined });
      } else response.body.resume();
      const answer = await Promise.race([own.answer, delay(30_000, context.signal).then(() => undefined)]);
      if (!answer) throw new Error('no answer to initialize');
      this.protocolVersion = protocolVersionOf(answer) ?? this.protocolVersion;
      this.session = sessionId;
      const initialized = await sendRequest(context.url, {
        method: 'POST',
        headers: this.sessionHeaders({ ...(await baseHeaders(context)).headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }),
        body: Buffer.from('{"jsonrpc":"2.0","method":"notifications/initialized"}'),
        connections: context.quick,
        signal: context.signal,
      });
      initialized.body.resume();
      context.log(`the server ended the MCP session (${why}); opened a new one (state the server kept for the old session is gone)`);
      void this.runGetStream();
      return true;
    } catch (error) {
      own.cancel();
      context.lost(`the server ended the MCP session (${why}) and a new one could not be opened: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * After the client cancels a request, its stream is given a grace period to end (the server may
   * answer with an error); then it is closed here and the request answered, which frees its id.
   * The server got the request, so its budget stays spent.
   */
  private closeAfterCancel(key: string): void {
    if (!this.context.inFlight.has(key)) return;
    const timer = setTimeout(() => {
      this.cancelTimers.delete(timer);
      if (!this.context.inFlight.has(key)) return;
      void this.context.inFlight.fail(key, 'cancelled by the client; the server did not answer', 'maybe');
      this.requestAborts.get(key)?.abort();
    }, this.context.cancelGraceMs);
    this.cancelTimers.add(timer);
  }

  private async failKeys(keys: string[], reason: string): Promise<void> {
    for (const key of keys) await this.context.inFlight.fail(key, reason);
  }

  /**
   * A message that could not be delivered: its requests are answered; a notification or reply is
   * only logged. `serverSaid` (the server's error body) reaches the client's answers only, never
   * stderr or the audit log: it may quote what was sent.
   */
  private async failMessage(message: ClientMessage, reason: string, reached: 'no' | 'maybe', extra?: Record<string, unknown>, serverSaid?: string): Promise<void> {
    if (message.requests.length === 0) {
      if (!this.context.signal.aborted) this.context.log(`could not deliver a ${message.unreadable ? 'message' : 'notification or reply'} to the server: ${reason}`);
      return;
    }
    for (const request of message.requests) await this.context.inFlight.fail(request.key, reason, reached, extra, serverSaid);
  }
}

interface StreamCursor {
  lastEventId: string | undefined;
  retryMs: number | undefined;
}

function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** 404 ends a session (spec); some servers (the SDK's examples, server-everything) answer 400 naming the session. */
function sessionExpired(status: number, body: Buffer | undefined): boolean {
  if (status === 404) return true;
  return status === 400 && body !== undefined && /session/i.test(body.toString('utf8', 0, Math.min(body.length, 4096)));
}

function isModernError(body: Buffer | undefined): boolean {
  if (!body) return false;
  try {
    const code = (JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'number' && MODERN_ERROR_CODES.has(code);
  } catch {
    return false;
  }
}
