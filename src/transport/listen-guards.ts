/**
 * The checks in front of `--listen`, each one the MCP spec or its security guide asks for:
 * loopback by default, a bearer token, and Host and Origin checks against DNS rebinding (a web
 * page whose name resolves to 127.0.0.1 must not reach a local server through the user's browser).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export class ListenRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenRefused';
  }
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`, or a bare port (loopback). */
export function parseListenAddress(text: string): ListenAddress {
  const bare = /^\d+$/.exec(text);
  const match = bare ? null : /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const portText = bare ? text : match?.[3];
  const host = bare ? '127.0.0.1' : (match?.[1] ?? match?.[2]);
  const port = Number(portText);
  if (!host || !portText || !Number.isInteger(port) || port < 0 || port > 65535) throw new ListenRefused(`--listen ${text}: expected HOST:PORT (e.g. 127.0.0.1:8765), [IPv6]:PORT or a port`);
  return { host, port };
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare.startsWith('::ffff:127.');
}

/**
 * The bind is safe, or an error that says what to add: a non-loopback address needs
 * `--allow-remote`, and never goes without a token.
 */
export function checkBind(host: string, options: { allowRemote: boolean; authenticated: boolean }): void {
  if (isLoopbackHost(host)) return;
  if (!options.authenticated) throw new ListenRefused(`--listen ${host}: --no-auth is for loopback addresses only (127.0.0.1, ::1); anyone who can reach ${host} could use the server`);
  if (!options.allowRemote) throw new ListenRefused(`--listen ${host}: not a loopback address; other machines could connect. Add --allow-remote if that is what you want (the token is then the only protection; put TLS in front)`);
}

/** Tokens shorter than this are refused: a listener token must not be guessable. */
export const MIN_TOKEN_LENGTH = 16;

export function checkToken(token: string): void {
  if (token.length < MIN_TOKEN_LENGTH) throw new ListenRefused(`the listener's auth token must be at least ${MIN_TOKEN_LENGTH} characters (e.g. from \`openssl rand -hex 32\`)`);
}

/** Compares a request's `Authorization` with the token in constant time (hashes first, so lengths do not leak either). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header || !/^bearer /i.test(header)) return false;
  const given = createHash('sha256').update(header.slice(7).trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

/**
 * DNS rebinding: a browser sends the attacker's name in Host. When bound to loopback, only
 * loopback names with our port are accepted. Requests without Host (HTTP/1.0) are refused.
 */
export function hostAllowed(hostHeader: string | undefined, port: number, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  if (!hostHeader) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return false;
  return isLoopbackHost(match[1]!) && (match[2] === undefined ? port === 80 : Number(match[2]) === port);
}

/**
 * Origin (sent by browsers, absent from other clients): a loopback origin, or one the user allowed.
 * Everything else, `null` included (sandboxed frames, file: pages), is refused.
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** A grant taken from a header: 1–128 visible ASCII characters, no spaces. */
export function grantFromHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  return /^[\x21-\x7e]{1,128}$/.test(text) ? text : undefined;
}
