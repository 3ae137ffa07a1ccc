/**
 * One HTTP exchange with the remote server, on node:http rather than fetch. Measured reasons: the
 * proxy sits on the request path of every call, and node:http costs less per request than Node
 * 20's fetch (undici); its bodies are Node streams with back-pressure built in (pause the body, TCP
 * pushes back on the server); and a failed request says whether it ever had a connection, which
 * decides whether a call may have reached the server.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';

/** Connect phase only: an established request may run as long as the server's tool does. */
const CONNECT_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  /** The URL that answered (after redirects). */
  url: URL;
}

/**
 * A request that got no response. `reached` is 'no' when no connection was ever made (refused,
 * unresolvable host, TLS failure, connect timeout): the server cannot have seen it. Once connected,
 * a reset may come before or after the server read the request: 'maybe'.
 */
export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly reached: 'no' | 'maybe',
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

/** Keep-alive connection pools, one set per upstream. */
export class Connections {
  readonly http: http.Agent;
  readonly https: https.Agent;
  constructor(maxSockets: number) {
    this.http = new http.Agent({ keepAlive: true, maxSockets });
    this.https = new https.Agent({ keepAlive: true, maxSockets });
  }
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: Buffer;
  connections: Connections;
  signal?: AbortSignal;
}

/**
 * Sends one request. Redirects are followed only like the MCP SDK's default `redirectPolicy:
 * 'same-origin'` (the body goes only where it was meant to go): 307/308 for any method and
 * 301/302/303 for GET, within the URL's origin, at most five. Any other redirect is returned as is.
 */
export async function sendRequest(url: URL, options: RequestOptions): Promise<HttpResponse> {
  let target = url;
  for (let hops = 0; ; hops++) {
    const response = await sendOnce(target, options);
    const next = hops < MAX_REDIRECTS ? redirectTarget(target, response, options.method) : undefined;
    if (!next) return response;
    response.body.resume();
    target = next;
  }
}

function redirectTarget(from: URL, response: HttpResponse, method: string): URL | undefined {
  const keepsMethod = response.status === 307 || response.status === 308 || (method === 'GET' && [301, 302, 303].includes(response.status));
  const location = response.headers.location;
  if (!keepsMethod || !location) return undefined;
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return undefined;
  }
  return to.origin === from.origin && !to.username && !to.password ? to : undefined;
}

/** A one-line reason for a redirect we did not follow. */
export function describeRedirect(response: HttpResponse): string | undefined {
  const location = response.headers.location;
  if (response.status < 300 || response.status >= 400 || !location) return undefined;
  try {
    const to = new URL(location, response.url);
    to.search = to.hash = to.username = to.password = '';
    return `it redirects to ${to.href}, which is not followed (use that URL instead)`;
  } catch {
    return 'it answered with a redirect that is not followed';
  }
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNABORTED']);

function sendOnce(url: URL, options: RequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    let connected = false;
    let settled = false;
    const request = (secure ? https : http).request(url, {
      method: options.method,
      headers: options.body ? { ...options.headers, 'content-length': String(options.body.length) } : options.headers,
      agent: secure ? options.connections.https : options.connections.http,
      signal: options.signal,
    });
    const connectTimer = setTimeout(() => request.destroy(Object.assign(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS);
    const markConnected = (): void => {
      connected = true;
      clearTimeout(connectTimer);
    };
    request.on('socket', (socket) => {
      // A reused keep-alive socket is connected already; a new one reports it (after TLS for https).
      if (!socket.connecting) markConnected();
      else socket.once(secure ? 'secureConnect' : 'connect', markConnected);
    });
    request.on('response', (body) => {
      markConnected();
      settled = true;
      resolve({ status: body.statusCode ?? 0, headers: body.headers, body, url });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (settled) return;
      settled = true;
      const code = error.code ?? (error.name === 'AbortError' ? 'ABORTED' : undefined);
      const reached = !connected || (code !== undefined && NOT_CONNECTED_CODES.has(code)) || isTlsError(code) ? 'no' : 'maybe';
      reject(new RequestFailed(describeNetworkError(url, error), reached, code));
    });
    request.end(options.body);
  });
}

function isTlsError(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT');
}

/** "connection refused (ECONNREFUSED)": what failed, in words, with the code for searching. */
export function describeNetworkError(url: URL, error: NodeJS.ErrnoException): string {
  const code = error.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: `host ${url.hostname} not found`,
    EAI_AGAIN: `host ${url.hostname} could not be resolved (temporary DNS failure)`,
    ECONNRESET: 'the connection was reset',
    EPIPE: 'the connection was closed while sending',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  if (isTlsError(code)) return `TLS error: ${error.message}`;
  if (error.name === 'AbortError') return 'the request was aborted';
  return code ? `${error.message} (${code})` : error.message;
}

/** Reads a whole body up to `limit` bytes; undefined when it is longer (the rest is discarded). */
export async function readBody(body: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      body.destroy();
      return undefined;
    }
    parts.push(chunk);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}

/** The media type without parameters, lower case: `text/event-stream; charset=utf-8` → `text/event-stream`. */
export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
