/**
 * What the two HTTP legs (Streamable HTTP, and the older HTTP+SSE) share: where they send, whose
 * credentials, where server lines go, and the requests in flight. `deliver` routes one server line:
 * an answer to the transport's own request (a renewed session's `initialize`) is consumed, anything
 * else goes to the proxy, and the requests it answers leave the in-flight table.
 */
import type { AuthChallenge, UpstreamAuth } from './auth.js';
import type { Connections } from './http-request.js';
import type { InFlight } from './in-flight.js';
import type { LineReadable } from './line-streams.js';
import { readServerEnvelope, type ClientMessage } from './messages.js';

export interface LegContext {
  url: URL;
  /** The user's `--header`s, names in lower case, values expanded. */
  headers: Record<string, string>;
  auth: UpstreamAuth | undefined;
  /** For requests, whose response streams may stay open as long as a tool runs. */
  streams: Connections;
  /** For notifications, replies and session management: never queued behind a long tool call. */
  quick: Connections;
  output: LineReadable;
  inFlight: InFlight;
  maxMessageBytes: number;
  /** After a cancel, how long the cancelled request's stream may stay open before it is answered here. */
  cancelGraceMs: number;
  /** Aborted when the upstream closes: every request and stream ends. */
  signal: AbortSignal;
  log(message: string): void;
  /** The upstream cannot go on (the server ended the session and refused a new one). */
  lost(reason: string): void;
}

export interface Leg {
  send(message: ClientMessage): void;
  /** Ends the session politely (Streamable HTTP: DELETE); bounded in time. */
  close(): Promise<void>;
}

/** A request of the transport's own: its answer is consumed, never shown to the proxy. */
export class OwnRequests {
  private readonly waiting = new Map<string, (line: Buffer) => void>();
  private next = 0;

  /** A fresh id (as JSON text and key) and a promise of the answer's line. */
  start(): { idJson: string; key: string; answer: Promise<Buffer>; cancel: () => void } {
    const id = `policylayer-${process.pid}-${++this.next}`;
    const key = `s:${id}`;
    let cancel = (): void => {};
    const answer = new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(key, resolve);
      cancel = () => {
        this.waiting.delete(key);
        reject(new Error('cancelled'));
      };
    });
    answer.catch(() => {});
    return { idJson: JSON.stringify(id), key, answer, cancel };
  }

  /** Takes the line when it answers one of ours. */
  claim(key: string, line: Buffer): boolean {
    const resolve = this.waiting.get(key);
    if (!resolve) return false;
    this.waiting.delete(key);
    resolve(line);
    return true;
  }
}

/**
 * Routes one server line. `onAnswer` sees each request key the line answers (before the proxy
 * sees the line), e.g. to read the negotiated protocol version from an `initialize` result.
 */
export async function deliver(context: LegContext, own: OwnRequests, line: Buffer, onAnswer?: (key: string, line: Buffer) => void): Promise<void> {
  const { answers, elements } = readServerEnvelope(line);
  if (elements) {
    const ours = elements.filter((element) => element.answers !== undefined && own.claim(element.answers, line.subarray(element.range[0], element.range[1])));
    if (ours.length > 0) {
      // A batch that also answers one of ours: the rest goes on, element by element (the proxy
      // splits a server's batch into single messages anyway). Consumed whole, the answers riding
      // along would be lost, and their requests, settled here, would never be answered.
      for (const element of elements) if (!ours.includes(element)) await deliver(context, own, line.subarray(element.range[0], element.range[1]), onAnswer);
      return;
    }
  }
  let consumed = false;
  for (const key of answers) {
    if (own.claim(key, line)) {
      consumed = true;
      continue;
    }
    onAnswer?.(key, line);
    // An answer nothing waits for (late, after a made-up reply) still goes on: the proxy decides.
    context.inFlight.settle(key);
  }
  if (!consumed) await context.output.pushLine(line);
}

/** The headers of every request: the user's, then the credentials, then what the protocol needs. */
export async function baseHeaders(context: LegContext): Promise<{ headers: Record<string, string>; sentAuthorization: string | undefined }> {
  const headers: Record<string, string> = { ...context.headers };
  let sentAuthorization: string | undefined = headers.authorization;
  if (context.auth) {
    const authorization = await context.auth.authorization();
    if (authorization) headers.authorization = sentAuthorization = authorization;
  }
  return { headers, sentAuthorization };
}

/** The challenge in a 401, or in a 403 that asks for more scope; undefined for any other refusal. */
export function authChallenge(status: number, wwwAuthenticate: string | string[] | undefined): AuthChallenge | undefined {
  const header = Array.isArray(wwwAuthenticate) ? wwwAuthenticate.join(', ') : wwwAuthenticate;
  if (status === 401) return { status: 401, wwwAuthenticate: header };
  if (status === 403 && header && /error="?insufficient_scope/.test(header)) return { status: 403, wwwAuthenticate: header };
  return undefined;
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The spec's reconnection back-off (the SDK's numbers): 1 s, growing 1.5x, at most 30 s; the server's `retry:` wins. */
export function backoffMs(attempt: number, serverRetryMs: number | undefined): number {
  return serverRetryMs ?? Math.min(1000 * 1.5 ** attempt, 30_000);
}

/** A short, safe excerpt of an error body for a message: a JSON-RPC error's message, or the first line of text. */
export function describeErrorBody(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.toString('utf8', 0, Math.min(body.length, 4096));
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; error_description?: unknown; message?: unknown };
    const message = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error_description ?? parsed.error ?? parsed.message);
    if (typeof message === 'string' && message) return oneLine(message);
  } catch {
    // not JSON
  }
  return oneLine(text);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
