/**
 * Remote (url) entries and `policylayer proxy --upstream`, both ways. Pure.
 *
 * Wrapping turns `{"url": U, "headers": {…}, "type": "http"}` into a stdio entry that runs the proxy
 * with `--upstream U` and one `--header-env Name=POLICYLAYER_HEADER_NAME` per header, the header
 * values moved into the entry's `env` (a process list shows `args`, not the environment), `type`
 * set to what the client needs for a command entry, every other key as it was. No `${…}` in `args`:
 * clients expand it there against their own environment, where the variable is not set (Claude
 * Code warns, and an unset one in a project's .mcp.json can suppress its trust prompt). Entries
 * wrapped before `--header-env` existed say `--header 'Name: ${POLICYLAYER_HEADER_NAME}'`: unwrap
 * and doctor read both forms, and wrap rewrites the old one. The functions here
 * compute the entry that results as plain data; the planner edits the text and checks that the file
 * then parses to exactly that (src/wrap/plan.ts).
 *
 * Which entries cannot be wrapped, and why, is decided here too: a transport the proxy does not
 * speak (WebSocket, unix sockets), sign-in settings meant for the client (`oauth`, Cursor's `auth`,
 * Claude Code's `headersHelper`), headers the proxy refuses. Sources per client: docs/wrap.md.
 */
import { headerNameProblem, TRANSPORT_OWNED_MESSAGE } from '../transport/headers.js';
import { isLoopbackHost } from '../transport/listen-guards.js';
import type { ClientId } from './clients.js';
import type { HeaderArg, InnerServer, ProxyPaths } from './proxy-command.js';

/** Claude Code, Cursor, VS Code, Gemini, Zed: `url`; Windsurf: `serverUrl`; Gemini (deprecated): `httpUrl`. */
export const URL_KEYS = ['url', 'serverUrl', 'httpUrl'] as const;

/** Keys that set up a sign-in for the client itself; the proxy signs in on its own instead. */
const CLIENT_AUTH_KEYS = ['oauth', 'auth', 'headersHelper', 'authProviderType', 'targetAudience', 'targetServiceAccount'];

export const HEADER_VARIABLE_PREFIX = 'POLICYLAYER_HEADER_';

export interface RemoteEntry {
  /** The key that holds the URL. */
  urlKey: string;
  url: string;
  /**
   * As written, in order; values may use the client's variables. A header the client reads from an
   * environment variable of its own (Codex's `bearer_token_env_var`, `env_http_headers`) names it
   * in `variable`, its value then the template the proxy expands (`Bearer ${VAR}`, `${VAR}`).
   */
  headers: Array<{ name: string; value: string; variable?: string }>;
  /** The key of the static headers: `headers`, Codex's `http_headers`. */
  headersKey?: string;
  /** Other keys wrap takes out of the entry (Codex's `bearer_token_env_var`, `env_http_headers`). */
  removedKeys?: string[];
  /** Codex's `scopes`, passed to the proxy as `--oauth-scope`. */
  scopes?: string;
  /** Whether the entry has a `type` key. */
  hasType: boolean;
  /** `auto`: Streamable HTTP, HTTP+SSE when the server offers only that; `sse`: HTTP+SSE. */
  transport: 'auto' | 'sse';
  /** Why wrap cannot put the proxy in front of it. */
  unwrappable?: string;
}

const STREAMABLE_TYPES = new Set(['http', 'streamable-http', 'streamablehttp', 'streamable_http']);

/**
 * Reads the remote part of an entry; undefined when it has no url key. A value of the wrong type is
 * a malformed entry (`fail`: the file is refused, with the position); a well-formed entry the proxy
 * cannot stand in for gets `unwrappable`.
 */
export function describeRemote(raw: Record<string, unknown>, fail: (key: string, message: string) => never): RemoteEntry | undefined {
  const keys = URL_KEYS.filter((key) => raw[key] !== undefined);
  if (keys.length === 0) return undefined;
  for (const key of keys) if (typeof raw[key] !== 'string') fail(key, `expected "${key}" to be a string`);
  const headersRaw = raw.headers;
  if (headersRaw !== undefined && (typeof headersRaw !== 'object' || headersRaw === null || Array.isArray(headersRaw) || Object.values(headersRaw).some((v) => typeof v !== 'string'))) {
    fail('headers', 'expected "headers" to be an object of strings');
  }
  if (raw.type !== undefined && typeof raw.type !== 'string') fail('type', 'expected "type" to be a string');
  const urlKey = keys[0]!;
  const url = raw[urlKey] as string;
  const headers = Object.entries((headersRaw ?? {}) as Record<string, string>).map(([name, value]) => ({ name, value }));
  const type = (raw.type as string | undefined)?.toLowerCase();
  const transport = type === 'sse' ? 'sse' : 'auto';
  const remote: RemoteEntry = { urlKey, url, headers, hasType: raw.type !== undefined, transport };
  const why = whyUnwrappable(raw, keys, url, type, headers);
  return why ? { ...remote, unwrappable: why } : remote;
}

function whyUnwrappable(raw: Record<string, unknown>, keys: readonly string[], url: string, type: string | undefined, headers: RemoteEntry['headers']): string | undefined {
  if (keys.length > 1) return `it has both "${keys[0]}" and "${keys[1]}"`;
  if (type === 'ws' || type === 'websocket') return 'a WebSocket server: the proxy speaks Streamable HTTP and HTTP+SSE';
  if (type !== undefined && type !== 'sse' && !STREAMABLE_TYPES.has(type)) return `"type": "${String(raw.type)}" is not a remote transport policylayer knows`;
  const problem = urlProblem(url, true);
  if (problem) return problem;
  const key = CLIENT_AUTH_KEYS.find((name) => raw[name] !== undefined);
  if (key) return `its sign-in is set up for the client ("${key}"); the proxy signs in by itself, so remove "${key}" to wrap it`;
  const seen = new Set<string>();
  for (const { name, value } of headers) {
    const why = headerProblem(name, value, seen);
    if (why) return why;
  }
  return undefined;
}

/**
 * Why the proxy cannot reach `url` as written, or undefined. `expandable`: the client expands
 * `${…}` in it, so a URL built from its variables (`${API_BASE_URL}/mcp`) is left for the proxy to
 * check when it starts.
 */
export function urlProblem(url: string, expandable: boolean): string | undefined {
  if (expandable && url.startsWith('${')) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return scheme ? `the proxy reaches http(s) URLs only, not ${scheme}:` : `"${url}" is not a URL`;
  if (expandable && url.includes('${')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  return parsed.username || parsed.password ? 'the URL holds credentials; move them into a header' : undefined;
}

/**
 * Why a header cannot be given to the proxy, or undefined; `seen` collects the names (lower case)
 * so that one given twice is found. `value` undefined: read from a variable at start, not here.
 */
export function headerProblem(name: string, value: string | undefined, seen: Set<string>): string | undefined {
  // The name as it is: one with a colon or `=` in it would be cut there by --header or --header-env.
  const problem = headerNameProblem(name);
  if (problem) return `header "${name}": ${problem === 'invalid' ? 'the name is not a valid HTTP header name' : TRANSPORT_OWNED_MESSAGE}`;
  if (seen.has(name.toLowerCase())) return `header "${name}" is given twice`;
  seen.add(name.toLowerCase());
  if (value === '') return `header "${name}" is empty`;
  if (value !== undefined && /[\0\r\n]/.test(value)) return `header "${name}" holds a line break or NUL character`;
  return undefined;
}

/** Plain http to another machine: the proxy wants `--allow-http`, which the client's entry implied. */
function plainHttpElsewhere(url: string): boolean {
  if (!/^http:\/\//i.test(url)) return false;
  try {
    return !isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The env variable for a header: `POLICYLAYER_HEADER_` and its name in capitals, `_` for anything else; numbered when taken. */
export function headerVariable(name: string, taken: ReadonlySet<string>): string {
  const base = `${HEADER_VARIABLE_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  let variable = base;
  for (let n = 2; taken.has(variable); n++) variable = `${base}_${n}`;
  return variable;
}

/** What wrap writes for each header: `--header-env Name=VAR`; `--header 'Name: ${VAR}'` before it existed (recognised, never written). */
export type HeaderForm = 'header-env' | 'header';

export interface RemoteWrap {
  urlKey: string;
  /** The key of the static headers, renamed to `env`: `headers`, Codex's `http_headers`. */
  headersKey: string;
  /** Keys taken out of the entry besides the url and headers. */
  removedKeys: string[];
  /** Variables of the client's own environment the proxy reads: Codex passes them on only when listed in `env_vars`. */
  envVars: string[];
  command: string;
  args: string[];
  /** Each header and the env variable that holds its value, in the entry's order. */
  variables: Array<{ header: string; variable: string }>;
  /** What becomes of `type`: `stdio`, removed (Gemini reads `type` only with a url), or there is none. */
  type: 'stdio' | 'remove' | 'none';
}

/** How an entry becomes the proxy with `--upstream`. */
export function remoteWrap(raw: Record<string, unknown>, remote: RemoteEntry, client: ClientId, paths: ProxyPaths, form: HeaderForm = 'header-env'): RemoteWrap {
  const env = raw.env;
  const taken = new Set(typeof env === 'object' && env !== null ? Object.keys(env) : []);
  const variables = remote.headers
    .filter((header) => header.variable === undefined)
    .map(({ name }) => {
      const variable = headerVariable(name, taken);
      taken.add(variable);
      return { header: name, variable };
    });
  // In the entry's order: the header's own variable when the client reads it from its environment, ours otherwise.
  const headerArgs = remote.headers.flatMap(({ name, value, variable: own }) => {
    if (own !== undefined) return value === `\${${own}}` ? ['--header-env', `${name}=${own}`] : ['--header', `${name}: ${value}`];
    const variable = variables.find((v) => v.header === name)!.variable;
    return form === 'header-env' ? ['--header-env', `${name}=${variable}`] : ['--header', `${name}: \${${variable}}`];
  });
  const envVars = [...new Set(remote.headers.flatMap(({ variable }) => (variable === undefined ? [] : [variable])))];
  const args = [
    paths.bin,
    'proxy',
    '--policy',
    paths.policy,
    '--audit',
    paths.audit,
    '--upstream',
    remote.url,
    ...(remote.transport === 'sse' ? ['--transport', 'sse'] : []),
    ...(plainHttpElsewhere(remote.url) ? ['--allow-http'] : []),
    ...(remote.scopes !== undefined ? ['--oauth-scope', remote.scopes] : []),
    ...headerArgs,
  ];
  const type = !remote.hasType ? 'none' : client === 'gemini' ? 'remove' : 'stdio';
  return { urlKey: remote.urlKey, headersKey: remote.headersKey ?? 'headers', removedKeys: remote.removedKeys ?? [], envVars, command: paths.node, args, variables, type };
}

/** The entry `remoteWrap` makes, as data. */
export function wrappedRemoteEntry(raw: Record<string, unknown>, remote: RemoteEntry, plan: RemoteWrap): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  delete out[plan.urlKey];
  delete out[plan.headersKey];
  for (const key of plan.removedKeys) delete out[key];
  out.command = plan.command;
  out.args = plan.args;
  const values = Object.fromEntries(plan.variables.map(({ header, variable }) => [variable, remote.headers.find((h) => h.name === header)!.value]));
  if (raw.env !== undefined) out.env = { ...(raw.env as Record<string, unknown>), ...values };
  else if (raw[plan.headersKey] !== undefined) out.env = values;
  if (plan.envVars.length > 0) out.env_vars = plan.envVars;
  if (plan.type === 'stdio') out.type = 'stdio';
  else if (plan.type === 'remove') delete out.type;
  return out;
}

export interface RemoteRebuild {
  urlKey: string;
  url: string;
  headers: Array<{ name: string; value: string }>;
  /** The env variables that held header values: taken out of env (env itself goes when nothing else is left in it). */
  variables: string[];
  /** The value `type` gets (inserted before the url when missing), or removed, or left alone. */
  type: { set: string } | 'remove' | 'keep';
}

/**
 * The remote entry a wrapped one came from, rebuilt from the proxy's arguments and env: for unwrap
 * when wrap's record of the original bytes is gone or the entry changed since. The key names follow
 * each client's current documentation (Windsurf `serverUrl`, Gemini `httpUrl`), so the result may
 * differ from what was there in form, not in the server it reaches.
 */
export function remoteRebuild(raw: Record<string, unknown>, inner: Extract<InnerServer, { kind: 'upstream' }>, client: ClientId): RemoteRebuild {
  const env = (typeof raw.env === 'object' && raw.env !== null ? raw.env : {}) as Record<string, unknown>;
  const used = new Set<string>();
  const headers = headerTemplates(inner.headers).map(({ name, template }) => {
    const value = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, variable: string) => {
      if (!variable.startsWith(HEADER_VARIABLE_PREFIX) || typeof env[variable] !== 'string') return whole;
      used.add(variable);
      return env[variable] as string;
    });
    return { name, value };
  });
  const sse = inner.transport === 'sse';
  const urlKey = client === 'windsurf' ? 'serverUrl' : client === 'gemini' && !sse ? 'httpUrl' : 'url';
  const hasType = raw.type !== undefined;
  const wanted = sse ? 'sse' : 'http';
  let type: RemoteRebuild['type'];
  if (client === 'gemini') type = sse ? { set: 'sse' } : hasType ? 'remove' : 'keep';
  else if (client === 'zed') type = hasType ? 'remove' : 'keep';
  // Claude Code refuses a url without a type; VS Code documents it as required.
  else if (hasType || client === 'claude-code' || client === 'vscode') type = { set: wanted };
  else type = 'keep';
  return { urlKey, url: inner.url, headers, variables: [...used], type };
}

/**
 * A proxy's headers as templates, whichever form wrote them: `--header 'Name: value'` as written,
 * `--header-env Name=VAR` as `${VAR}` (the value of VAR, as it is). Malformed ones are left out:
 * the proxy refuses them when it starts.
 */
export function headerTemplates(headers: readonly HeaderArg[]): Array<{ name: string; template: string }> {
  return headers.flatMap(({ option, value }) => {
    const separator = value.indexOf(option === '--header' ? ':' : '=');
    if (separator <= 0) return [];
    const name = value.slice(0, separator).trim();
    const rest = value.slice(separator + 1).trim();
    if (option === '--header') return [{ name, template: rest }];
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(rest) ? [{ name, template: `\${${rest}}` }] : [];
  });
}

/** The entry `remoteRebuild` makes, as data. */
export function rebuiltRemoteEntry(raw: Record<string, unknown>, plan: RemoteRebuild): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  delete out.command;
  delete out.args;
  out[plan.urlKey] = plan.url;
  if (plan.headers.length > 0) out.headers = Object.fromEntries(plan.headers.map(({ name, value }) => [name, value]));
  if (plan.variables.length > 0 && typeof raw.env === 'object' && raw.env !== null) {
    const env = { ...(raw.env as Record<string, unknown>) };
    for (const variable of plan.variables) delete env[variable];
    if (Object.keys(env).length > 0) out.env = env;
    else delete out.env;
  }
  if (plan.type === 'remove') delete out.type;
  else if (plan.type !== 'keep') out.type = plan.type.set;
  return out;
}
