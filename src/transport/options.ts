/**
 * The proxy's transport options (issue 21), ready for `policylayer proxy` to adopt, in the shape
 * of src/state/options.ts:
 *
 *   addRemoteOptions(command);                                          // commander
 *   const Schema = z.object({ ...RemoteOptionsShape, other: … });       // zod/mini
 *   const plan = remoteFromOptions(parseOptions(Schema, raw), command, process.env);
 *
 * `remoteFromOptions` checks the combinations (one line per mistake, as a UsageError) and returns
 * what to start: the upstream (a stdio command, or an HTTP URL with its headers, transport choice
 * and OAuth settings) and, with `--listen`, the listener. Light on purpose: no transport code loads.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { expandHeaders, HeaderError, parseHeaderOptions } from './headers.js';
import { checkBind, checkToken, isLoopbackHost, ListenRefused, parseListenAddress, type ListenAddress } from './listen-guards.js';

export const AUTH_TOKEN_VARIABLE = 'POLICYLAYER_AUTH_TOKEN';
const TRANSPORTS = ['auto', 'streamable-http', 'sse'] as const;

export function addRemoteOptions(command: Command): Command {
  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  return command
    .option('--upstream <url>', 'guard a remote MCP server at this URL (Streamable HTTP; HTTP+SSE as the fallback) instead of running a command')
    .option('--header <"Name: value">', 'with --upstream: send this header on every request; ${VAR} in the value is read from the environment (repeatable)', collect)
    .option('--header-env <Name=VAR>', 'with --upstream: send header Name with the value of environment variable VAR, unchanged (repeatable)', collect)
    .option('--transport <kind>', 'with --upstream: auto (default), streamable-http, or sse')
    .option('--allow-http', 'with --upstream: allow plain http:// to a host that is not this machine (credentials would travel unencrypted)')
    .option('--no-oauth', 'with --upstream: never sign in; a server that asks for credentials is an error')
    .option('--oauth-scope <scopes>', 'with --upstream: scopes to ask for when the server does not name them')
    .option('--no-browser', 'with --upstream: do not open a browser to sign in; print the URL only')
    .option('--listen <host:port>', 'serve MCP over Streamable HTTP at /mcp on HOST:PORT instead of stdio (loopback only unless --allow-remote)')
    .option('--auth-token <token>', `with --listen: the bearer token clients must send (prefer the ${AUTH_TOKEN_VARIABLE} environment variable: a command line is visible to other users)`)
    .option('--no-auth', 'with --listen: accept clients without a token (loopback addresses only; for local experiments)')
    .option('--allow-remote', 'with --listen: allow a non-loopback address (the token is then the only protection; put TLS in front)')
    .option('--allow-origin <origin>', 'with --listen: a browser origin (scheme://host:port) allowed besides loopback ones (repeatable)', collect)
    .option('--grant-from-header <name>', "with --listen: each client session's grant is this request header's value (required on its initialize)");
}

const stringList = z.optional(z.array(z.string()));

/** Spread into the proxy's zod/mini option schema. Commander's --no-X options arrive as X: false. */
export const RemoteOptionsShape = {
  upstream: z.optional(z.string()),
  header: stringList,
  headerEnv: stringList,
  transport: z.optional(z.enum(TRANSPORTS)),
  allowHttp: z.optional(z.boolean()),
  oauth: z._default(z.boolean(), true),
  oauthScope: z.optional(z.string()),
  browser: z._default(z.boolean(), true),
  listen: z.optional(z.string()),
  authToken: z.optional(z.string()),
  auth: z._default(z.boolean(), true),
  allowRemote: z.optional(z.boolean()),
  allowOrigin: stringList,
  grantFromHeader: z.optional(z.string()),
};

const RemoteOptionsSchema = z.object(RemoteOptionsShape);
export type RemoteOptions = z.infer<typeof RemoteOptionsSchema>;

export type UpstreamPlan =
  | { kind: 'stdio'; file: string; args: string[] }
  | {
      kind: 'http';
      url: URL;
      /** Expanded, names in lower case; never print the values. */
      headers: Record<string, string>;
      transport: (typeof TRANSPORTS)[number];
      /** Undefined when OAuth is off: --no-oauth, or an Authorization header was given. */
      oauth: { scope: string | undefined; openBrowser: boolean } | undefined;
    };

export interface ListenPlan extends ListenAddress {
  auth: { token: string } | 'none';
  allowRemote: boolean;
  allowedOrigins: string[];
  grantHeader: string | undefined;
}

export interface RemotePlan {
  upstream: UpstreamPlan;
  listen: ListenPlan | undefined;
}

const HTTP_ONLY = ['header', 'headerEnv', 'transport', 'allowHttp', 'oauthScope'] as const;
const LISTEN_ONLY = ['authToken', 'allowRemote', 'allowOrigin', 'grantFromHeader'] as const;

/** Checks the combination of options and the server command; throws a UsageError naming the first problem. */
export function remoteFromOptions(options: RemoteOptions, command: readonly string[], env: NodeJS.ProcessEnv): RemotePlan {
  return { upstream: upstreamPlan(options, command, env), listen: listenPlan(options, env) };
}

function upstreamPlan(options: RemoteOptions, command: readonly string[], env: NodeJS.ProcessEnv): UpstreamPlan {
  const [file, ...args] = command;
  if (options.upstream === undefined) {
    for (const name of HTTP_ONLY) if (options[name] !== undefined) throw new UsageError(`${flag(name)} needs --upstream <url>`);
    if (!options.oauth) throw new UsageError('--no-oauth needs --upstream <url>');
    if (!options.browser) throw new UsageError('--no-browser needs --upstream <url>');
    if (file === undefined || file === '') throw new UsageError('proxy: give the server to guard: a command after --, or --upstream <url>');
    return { kind: 'stdio', file, args };
  }
  if (file !== undefined) throw new UsageError(`proxy: give either --upstream or a server command after --, not both (got --upstream and "${file}")`);
  let url: URL;
  try {
    url = new URL(options.upstream);
  } catch {
    throw new UsageError(`--upstream: "${options.upstream}" is not a URL (e.g. https://mcp.example.com/mcp)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--upstream: expected an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError('--upstream: put credentials in a header (--header-env Authorization=VAR, or --header with ${VAR}), not in the URL');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.allowHttp) {
    throw new UsageError(`--upstream: ${url.host} is not this machine and plain http is unencrypted; use an https URL, or add --allow-http`);
  }
  url.hash = '';
  let headers: Record<string, string>;
  try {
    headers = expandHeaders(parseHeaderOptions(options.header ?? [], options.headerEnv ?? []), env);
  } catch (error) {
    if (error instanceof HeaderError) throw new UsageError(error.message);
    throw error;
  }
  const oauth = options.oauth && headers.authorization === undefined ? { scope: options.oauthScope, openBrowser: options.browser } : undefined;
  return { kind: 'http', url, headers, transport: options.transport ?? 'auto', oauth };
}

function listenPlan(options: RemoteOptions, env: NodeJS.ProcessEnv): ListenPlan | undefined {
  if (options.listen === undefined) {
    for (const name of LISTEN_ONLY) if (options[name] !== undefined) throw new UsageError(`${flag(name)} needs --listen <host:port>`);
    if (!options.auth) throw new UsageError('--no-auth needs --listen <host:port>');
    return undefined;
  }
  try {
    const address = parseListenAddress(options.listen);
    const token = options.authToken ?? env[AUTH_TOKEN_VARIABLE];
    if (!options.auth && options.authToken !== undefined) throw new UsageError('--listen: give --auth-token or --no-auth, not both');
    if (options.auth && (token === undefined || token === '')) {
      throw new UsageError(`--listen needs a token clients must send: set ${AUTH_TOKEN_VARIABLE} (or --auth-token), or pass --no-auth for a local experiment`);
    }
    const auth = options.auth ? { token: token! } : ('none' as const);
    if (auth !== 'none') checkToken(auth.token);
    checkBind(address.host, { allowRemote: options.allowRemote ?? false, authenticated: auth !== 'none' });
    if (options.grantFromHeader !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(options.grantFromHeader)) throw new UsageError(`--grant-from-header: "${options.grantFromHeader}" is not a valid HTTP header name`);
    for (const origin of options.allowOrigin ?? []) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new UsageError(`--allow-origin: expected scheme://host[:port] with no path, got "${origin}"`);
    }
    return { ...address, auth, allowRemote: options.allowRemote ?? false, allowedOrigins: options.allowOrigin ?? [], grantHeader: options.grantFromHeader };
  } catch (error) {
    if (error instanceof ListenRefused) throw new UsageError(error.message);
    throw error;
  }
}

function flag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
