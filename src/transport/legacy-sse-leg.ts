/**
 * The HTTP+SSE client leg (MCP 2024-11-05, deprecated but still served): one GET opens the
 * session's event stream, whose first event (`endpoint`) names the URL to POST messages to; every
 * answer comes back on that one stream. So when the stream breaks, the session and every request
 * in flight are gone: they are answered here (the server may have run them), and a new stream is
 * opened with the client's `initialize` replayed, as for an expired Streamable HTTP session.
 *
 * Not the SDK's SSEClientTransport, for the reasons given in streamable-leg.ts, and one more: its
 * EventSource reconnects on its own and then POSTs into a session the server no longer has.
 */
import { mediaType, readBody, RequestFailed, sendRequest, type HttpResponse } from './http-request.js';
import { authChallenge, backoffMs, baseHeaders, delay, deliver, describeErrorBody, OwnRequests, type Leg, type LegContext } from './leg.js';
import { lineFromEvent, protocolVersionOf, type ClientMessage } from './messages.js';
import { joinData, readSse, SseTooLarge } from './sse.js';

/** How long the server may take to name its endpoint after the stream opened. */
const ENDPOINT_TIMEOUT_MS = 15_000;
const REOPEN_ATTEMPTS = 3;
const ERROR_BODY_BYTES = 64 * 1024;

export class LegacySseLeg implements Leg {
  private endpoint: Promise<URL>;
  private protocolVersion: string | undefined;
  private initializeLine: Buffer | undefined;
  private initializeKey: string | undefined;
  private readonly own = new OwnRequests();
  private streamAbort = new AbortController();
  private closed = false;

  constructor(private readonly context: LegContext) {
    this.endpoint = this.open();
    this.endpoint.catch(() => {});
  }

  /** Resolves once the server named its endpoint; rejects with a one-line reason when it did not. */
  ready(): Promise<URL> {
    return this.endpoint;
  }

  send(message: ClientMessage): void {
    for (const request of message.requests) this.context.inFlight.add(request);
    if (message.isInitialize) {
      this.initializeLine = message.line;
      this.initializeKey = message.requests.find((request) => request.method === 'initialize')?.key;
    }
    void this.post(message);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.streamAbort.abort();
  }

  /** Opens the event stream and reads it in the background; resolves with the endpoint. */
  private open(): Promise<URL> {
    const context = this.context;
    return new Promise<URL>((resolve, reject) => {
      let named = false;
      const timer = setTimeout(() => {
        if (named) return;
        reject(new Error(`the server sent no endpoint event within ${ENDPOINT_TIMEOUT_MS / 1000} s`));
        this.streamAbort.abort();
      }, ENDPOINT_TIMEOUT_MS);
      const run = async (): Promise<void> => {
        const { headers, sentAuthorization } = await baseHeaders(context);
        headers.accept = 'text/event-stream';
        if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
        const signal = AbortSignal.any([context.signal, this.streamAbort.signal]);
        let response: HttpResponse;
        for (let attempt = 0; ; attempt++) {
          response = await sendRequest(context.url, { method: 'GET', headers, connections: context.streams, signal });
          const challenge = context.auth && attempt === 0 ? authChallenge(response.status, response.headers['www-authenticate']) : undefined;
          if (!challenge) break;
          response.body.resume();
          if (!(await context.auth!.recover(challenge, sentAuthorization)).ok) break;
          Object.assign(headers, (await baseHeaders(context)).headers);
        }
        if (response.status !== 200 || mediaType(response.headers) !== 'text/event-stream') {
          const body = await readBody(response.body, ERROR_BODY_BYTES).catch(() => undefined);
          const detail = describeErrorBody(body);
          throw new Error(`the server answered the event-stream GET with HTTP ${response.status}${response.status === 200 ? ` and content type "${mediaType(response.headers) || 'none'}"` : ''}${detail ? `: ${detail}` : ''}`);
        }
        let outcome: 'ended' | 'broken' | 'too-large' = 'ended';
        try {
          await readSse(response.body, context.maxMessageBytes, {
            onEvent: async (event) => {
              if (event.event === 'endpoint') {
                if (named) return;
                const endpoint = new URL(joinData(event, 0x0a).toString('utf8').trim(), context.url);
                // The SDK refuses a cross-origin endpoint too: messages must not go elsewhere.
                if (endpoint.origin !== context.url.origin) throw new Error(`the server named an endpoint on another origin (${endpoint.origin})`);
                named = true;
                clearTimeout(timer);
                resolve(endpoint);
                return;
              }
              if ((event.event !== undefined && event.event !== 'message') || event.dataBytes === 0) return;
              await deliver(context, this.own, lineFromEvent(event), (key, line) => {
                if (key === this.initializeKey) this.protocolVersion = protocolVersionOf(line) ?? this.protocolVersion;
              });
            },
          });
        } catch (error) {
          if (!named) throw error;
          outcome = error instanceof SseTooLarge ? 'too-large' : 'broken';
        }
        if (!named) throw new Error('the event stream ended before the server named its endpoint');
        if (!this.closed && !context.signal.aborted) void this.streamLost(outcome);
      };
      run().catch((error: unknown) => {
        clearTimeout(timer);
        if (!named) reject(new Error(error instanceof RequestFailed ? error.message : (error as Error).message));
        else if (!this.closed && !context.signal.aborted) void this.streamLost('broken');
      });
    });
  }

  /**
   * The stream is gone, and with it the session: every request in flight is answered (the server
   * may have run it), then a new session is opened and the client's `initialize` replayed.
   */
  private async streamLost(outcome: 'ended' | 'broken' | 'too-large'): Promise<void> {
    const context = this.context;
    const why = outcome === 'too-large' ? `a message on the event stream was larger than ${context.maxMessageBytes} bytes` : outcome === 'broken' ? 'the event stream broke' : 'the server closed the event stream';
    await context.inFlight.failAll(`${why} before the server answered`, 'maybe');
    if (!this.initializeLine) return context.lost(why);
    for (let attempt = 0; attempt < REOPEN_ATTEMPTS && !context.signal.aborted && !this.closed; attempt++) {
      await delay(backoffMs(attempt, undefined), context.signal);
      this.streamAbort = new AbortController();
      this.endpoint = this.open();
      this.endpoint.catch(() => {});
      try {
        await this.endpoint;
        await this.replayInitialize();
        context.log(`${why}; opened a new session (state the server kept for the old one is gone)`);
        return;
      } catch {
        this.streamAbort.abort();
      }
    }
    if (!context.signal.aborted && !this.closed) context.lost(`${why} and a new session could not be opened`);
  }

  private async replayInitialize(): Promise<void> {
    const own = this.own.start();
    const parsed = JSON.parse(this.initializeLine!.toString('utf8')) as Record<string, unknown>;
    const line = Buffer.from(JSON.stringify({ ...parsed, id: JSON.parse(own.idJson) as string }));
    await this.postRaw(line);
    const answer = await Promise.race([own.answer, delay(30_000, this.context.signal).then(() => undefined)]);
    if (!answer) {
      own.cancel();
      throw new Error('no answer to initialize');
    }
    this.protocolVersion = protocolVersionOf(answer) ?? this.protocolVersion;
    await this.postRaw(Buffer.from('{"jsonrpc":"2.0","method":"notifications/initialized"}'));
  }

  private async postRaw(line: Buffer): Promise<void> {
    const endpoint = await this.endpoint;
    const { headers } = await baseHeaders(this.context);
    headers['content-type'] = 'application/json';
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    const response = await sendRequest(endpoint, { method: 'POST', headers, body: line, connections: this.context.quick, signal: this.context.signal });
    response.body.resume();
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
  }

  private async post(message: ClientMessage, retried = false): Promise<void> {
    const context = this.context;
    let endpoint: URL;
    try {
      endpoint = await this.endpoint;
    } catch (error) {
      return this.failMessage(message, `the server's event stream is not open: ${(error as Error).message}`, 'no');
    }
    const { headers, sentAuthorization } = await baseHeaders(context);
    headers['content-type'] = 'application/json';
    if (this.protocolVersion) headers['mcp-protocol-version'] = this.protocolVersion;
    let response: HttpResponse;
    try {
      response = await sendRequest(endpoint, { method: 'POST', headers, body: message.line, connections: context.quick, signal: context.signal });
    } catch (error) {
      return this.failMessage(message, error instanceof RequestFailed ? error.message : String(error), error instanceof RequestFailed ? error.reached : 'maybe');
    }
    for (const request of message.requests) context.inFlight.markSent(request.key);
    if (response.status >= 200 && response.status < 300) {
      // The answer comes on the event stream.
      response.body.resume();
      return;
    }
    const challenge = context.auth && !retried ? authChallenge(response.status, response.headers['www-authenticate']) : undefined;
    if (challenge) {
      response.body.resume();
      const recovered = await context.auth!.recover(challenge, sentAuthorization);
      if (recovered.ok) return this.post(message, true);
      return this.failMessage(message, `the server refused the credentials (HTTP ${response.status}): ${recovered.reason}`, 'no', { httpStatus: response.status });
    }
    const body = await readBody(response.body, ERROR_BODY_BYTES).catch(() => undefined);
    await this.failMessage(message, `the server answered HTTP ${response.status}`, response.status >= 500 ? 'maybe' : 'no', { httpStatus: response.status }, describeErrorBody(body));
  }

  /** As in the Streamable HTTP leg: `serverSaid` reaches the client's answers only, never stderr or the audit log. */
  private async failMessage(message: ClientMessage, reason: string, reached: 'no' | 'maybe', extra?: Record<string, unknown>, serverSaid?: string): Promise<void> {
    if (message.requests.length === 0) {
      if (!this.context.signal.aborted) this.context.log(`could not deliver a notification or reply to the server: ${reason}`);
      return;
    }
    for (const request of message.requests) await this.context.inFlight.fail(request.key, reason, reached, extra, serverSaid);
  }
}
