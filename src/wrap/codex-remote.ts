/**
 * Codex CLI's remote entries, both ways. Pure.
 *
 * Codex (openai/codex `codex-rs/config/src/mcp_types.rs`, `RawMcpServerConfig` and its
 * `TryFrom`) reads a `[mcp_servers.NAME]` with `url` as Streamable HTTP, its credentials in three
 * keys: `bearer_token_env_var` (a variable of Codex's environment, sent as `Authorization: Bearer
 * <value>`), `http_headers` (name → value) and `env_http_headers` (name → variable). It refuses
 * `args`, `env`, `env_vars`, `cwd` and `bearer_token` next to a `url`, and `url`,
 * `bearer_token_env_var`, `http_headers`, `env_http_headers`, `oauth` and `oauth_resource` next to
 * a `command`. It starts a stdio server with only a default set of variables (`HOME`, `PATH`,
 * `USER`, …) plus `env` and the names in `env_vars` (`codex-rs/rmcp-client/src/utils.rs`,
 * `create_env_for_mcp_server`).
 *
 * So the wrapped entry runs the proxy with `--upstream URL` and: the bearer token as `--header
 * 'Authorization: Bearer ${VAR}'` (Codex does not expand `${…}` in `args`; only the variable's name
 * is there, the proxy expands it), each `env_http_headers` header as `--header-env Name=VAR`, both
 * variables listed in `env_vars` so that Codex passes them on, and each `http_headers` value in `env`
 * under `POLICYLAYER_HEADER_…` with `--header-env`, as for every other client (`http_headers`
 * renamed to `env`). The keys Codex reads for either kind (`enabled`, the timeouts, `enabled_tools`,
 * `disabled_tools`, `tools`, `scopes`, …) stay.
 */
import { HeaderError } from '../transport/headers.js';
import type { InnerServer } from './proxy-command.js';
import { headerProblem, headerTemplates, HEADER_VARIABLE_PREFIX, urlProblem, type RemoteEntry } from './remote-entry.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What Codex refuses next to `url` (mcp_types.rs): such an entry does not load in Codex either. */
const STDIO_ONLY = ['args', 'env', 'env_vars', 'cwd', 'bearer_token'] as const;

/** Sign-in settings for Codex's own OAuth: the proxy signs in by itself (with dynamic client registration). */
const CODEX_AUTH_KEYS = ['oauth', 'oauth_resource'] as const;

const isTableOfStrings = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/**
 * The remote part of a Codex entry; undefined when it has no `url`. A value of the wrong type is a
 * malformed entry (`fail`); a well-formed one the proxy cannot stand in for gets `unwrappable`.
 */
export function describeCodexRemote(raw: Record<string, unknown>, fail: (key: string, message: string) => never): RemoteEntry | undefined {
  if (raw.url === undefined) return undefined;
  if (typeof raw.url !== 'string') fail('url', 'expected "url" to be a string');
  if (raw.bearer_token_env_var !== undefined && typeof raw.bearer_token_env_var !== 'string') fail('bearer_token_env_var', 'expected "bearer_token_env_var" to be a string');
  for (const key of ['http_headers', 'env_http_headers']) if (raw[key] !== undefined && !isTableOfStrings(raw[key])) fail(key, `expected "${key}" to be a table of strings`);
  if (raw.scopes !== undefined && (!Array.isArray(raw.scopes) || raw.scopes.some((s) => typeof s !== 'string'))) fail('scopes', 'expected "scopes" to be a list of strings');
  const url = raw.url as string;
  const headers: RemoteEntry['headers'] = [];
  const bearer = raw.bearer_token_env_var as string | undefined;
  if (bearer !== undefined) headers.push({ name: 'Authorization', value: `Bearer \${${bearer}}`, variable: bearer });
  for (const [name, value] of Object.entries((raw.http_headers ?? {}) as Record<string, string>)) headers.push({ name, value });
  for (const [name, variable] of Object.entries((raw.env_http_headers ?? {}) as Record<string, string>)) headers.push({ name, value: `\${${variable}}`, variable });
  const scopes = raw.scopes as string[] | undefined;
  const remote: RemoteEntry = {
    urlKey: 'url',
    url,
    headers,
    headersKey: 'http_headers',
    removedKeys: ['bearer_token_env_var', 'env_http_headers'].filter((key) => raw[key] !== undefined),
    ...(scopes !== undefined && scopes.length > 0 ? { scopes: scopes.join(' ') } : {}),
    hasType: false,
    transport: 'auto',
  };
  const why = whyNotCodex(raw, url, headers, bearer);
  return why ? { ...remote, unwrappable: why } : remote;
}

function whyNotCodex(raw: Record<string, unknown>, url: string, headers: RemoteEntry['headers'], bearer: string | undefined): string | undefined {
  const stdio = STDIO_ONLY.find((key) => raw[key] !== undefined);
  if (stdio) return `Codex does not accept "${stdio}" next to "url" (the entry does not load); remove it to wrap the entry`;
  const auth = CODEX_AUTH_KEYS.find((key) => raw[key] !== undefined);
  if (auth) return `its sign-in is set up for Codex ("${auth}"); the proxy signs in by itself, so remove "${auth}" to wrap it`;
  if (raw.experimental_environment !== undefined) return '"experimental_environment" may start the entry somewhere else, where this proxy is not installed';
  const problem = urlProblem(url, false);
  if (problem) return problem;
  // Names only: a lower-case "variable" may be a token pasted in the wrong place.
  if (bearer !== undefined && !VARIABLE_NAME.test(bearer)) return '"bearer_token_env_var" is not a variable name the proxy can read (letters, digits and _)';
  const seen = new Set<string>();
  for (const { name, value, variable } of headers) {
    const why = headerProblem(name, variable === undefined ? value : undefined, seen);
    if (why) return why === `header "${name}" is given twice` && bearer !== undefined && name.toLowerCase() === 'authorization' ? `${why} (bearer_token_env_var sends Authorization)` : why;
    if (variable !== undefined && !VARIABLE_NAME.test(variable)) return `env_http_headers "${name}": the variable's name is not one the proxy can read (letters, digits and _)`;
  }
  return undefined;
}

export interface CodexRebuild {
  url: string;
  bearer?: string;
  /** `http_headers`: each name and the env variable its value is in. */
  staticHeaders: Array<{ name: string; variable: string; value: string }>;
  /** `env_http_headers`: name → variable. */
  envHeaders: Array<{ name: string; variable: string }>;
  /** Whether `env_vars` and `env` go (Codex refuses them next to url): checked to hold nothing else. */
  dropEnvVars: boolean;
}

const BEARER = /^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const ONE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * The Codex url entry a wrapped one came from, from the proxy's arguments, `env` and `env_vars`:
 * for unwrap when wrap's record is gone or the entry changed since. Throws a HeaderError naming
 * what Codex cannot hold next to a `url` (other variables in `env` or `env_vars`, a `cwd`, a
 * header built from more than one variable).
 */
export function codexRebuild(raw: Record<string, unknown>, inner: Extract<InnerServer, { kind: 'upstream' }>): CodexRebuild {
  const env = (typeof raw.env === 'object' && raw.env !== null ? raw.env : {}) as Record<string, unknown>;
  const plan: CodexRebuild = { url: inner.url, staticHeaders: [], envHeaders: [], dropEnvVars: true };
  for (const { name, template } of headerTemplates(inner.headers)) {
    const only = ONE_VARIABLE.exec(template)?.[1];
    const bearer = BEARER.exec(template)?.[1];
    if (only?.startsWith(HEADER_VARIABLE_PREFIX) && typeof env[only] === 'string') plan.staticHeaders.push({ name, variable: only, value: env[only] as string });
    else if (only !== undefined) plan.envHeaders.push({ name, variable: only });
    else if (bearer !== undefined && name.toLowerCase() === 'authorization' && plan.bearer === undefined) plan.bearer = bearer;
    else if (!template.includes('${')) throw new HeaderError(`header "${name}" has a fixed value in the proxy's arguments; Codex keeps those in http_headers, so restore the entry by hand`);
    else throw new HeaderError(`header "${name}" is built from variables in a way Codex cannot express (bearer_token_env_var, env_http_headers)`);
  }
  const used = new Set([...plan.envHeaders.map((h) => h.variable), ...(plan.bearer ? [plan.bearer] : [])]);
  const envVars = Array.isArray(raw.env_vars) ? raw.env_vars : [];
  const otherVar = envVars.find((v) => typeof v !== 'string' || !used.has(v));
  if (otherVar !== undefined) throw new HeaderError(`env_vars lists ${typeof otherVar === 'string' ? otherVar : 'a variable'}, which Codex does not accept next to url`);
  const ours = new Set(plan.staticHeaders.map((h) => h.variable));
  const otherEnv = Object.keys(env).find((key) => !ours.has(key));
  if (otherEnv !== undefined) throw new HeaderError(`env sets ${otherEnv}, which Codex does not accept next to url`);
  if (raw.cwd !== undefined) throw new HeaderError('cwd is set, which Codex does not accept next to url');
  return plan;
}

/** The entry `codexRebuild` makes, as data. */
export function rebuiltCodexEntry(raw: Record<string, unknown>, plan: CodexRebuild): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  delete out.command;
  delete out.args;
  delete out.env_vars;
  out.url = plan.url;
  if (plan.bearer !== undefined) out.bearer_token_env_var = plan.bearer;
  if (raw.env !== undefined) {
    delete out.env;
    out.http_headers = Object.fromEntries(plan.staticHeaders.map(({ name, value }) => [name, value]));
  }
  if (plan.envHeaders.length > 0) out.env_http_headers = Object.fromEntries(plan.envHeaders.map(({ name, variable }) => [name, variable]));
  return out;
}
