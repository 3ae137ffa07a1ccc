/**
 * Property, for Codex CLI's url entries: whatever their credentials hold (hostile header names and
 * values, variable names that are not names, the same header from two keys) and however the TOML
 * lays them out (one table, sub-tables, dotted keys, an inline table), wrap either lists the entry
 * as not wrappable or writes one that Codex loads as a stdio entry (no url keys left), whose proxy,
 * given only the variables Codex passes on (its defaults, `env_vars`, `env`), sends exactly the
 * headers Codex sent; unwrap restores it byte for byte with wrap's record and to the same url and
 * headers without it; wrapping again leaves it alone. And a deliberately broken wrap (env_vars
 * forgotten) is caught.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigLocation } from '../../src/wrap/clients.js';
import { PlanError, planUnwrap, planWrap, type RestoreRecord } from '../../src/wrap/plan.js';
import type { ProxyPaths } from '../../src/wrap/proxy-command.js';
import { loadTomlBackend, tomlString } from '../../src/wrap/toml-config.js';
import { headersTheProxySends } from '../helpers/proxy-headers.js';

const backend = await loadTomlBackend();
const paths: ProxyPaths = { node: '/usr/bin/node', bin: '/opt/policylayer/bin/policylayer', policy: '/home/u/.policylayer/policies/api.json', audit: '/home/u/.policylayer/audit/api.jsonl' };
const loc: ConfigLocation = { client: 'codex', scope: 'user', path: '/cfg/config.toml', format: 'toml', shape: { kind: 'servers-at', key: 'mcp_servers' } };

const PIECES = ['${', '}', '${GITHUB_TOKEN}', '$HOME', '"', "'", '\\', '\n', '\r\n', '\0', '\t', ' ', '\u007f', 'é', '🔑', 'Bearer ', 'sk-live-123', '=', ':', '#', '[x]'];
// Mostly what the proxy can carry, so that most cases reach the round trip; the rest must be refused.
const hostileValue = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...PIECES.filter((p) => !/[\0\r\n]/.test(p))), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((parts) => parts.join('')) },
);
const hostileName = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('Authorization', 'authorization', 'X-Api-Key', 'x-api-key', 'Content-Type', 'Bad Name', 'X:Y', 'X=Y', '', '__proto__', 'a.b', 'é') },
  { weight: 4, arbitrary: fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,10}$/) },
);
const variableName = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('GITHUB_TOKEN', 'API_KEY', 'X', '_1', 'lower_ok', 'ghp-abc', '1BAD', 'A B', '') },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/) },
);
/** What the shell Codex runs in holds for every variable: a token the server must see as it is. */
const token = fc.stringMatching(/^[!-~][ -~]{0,15}$/);

const entryCase = fc.record({
  url: fc.constantFrom('https://api.example.com/mcp', 'http://127.0.0.1:8080/mcp', 'http://192.168.1.20/mcp', 'https://h.example/mcp?x=1&y=2'),
  bearer: fc.option(variableName, { nil: undefined }),
  httpHeaders: fc.uniqueArray(fc.tuple(hostileName, hostileValue), { selector: ([name]) => name, maxLength: 3 }),
  envHeaders: fc.uniqueArray(fc.tuple(hostileName, variableName), { selector: ([name]) => name, maxLength: 3 }),
  kept: fc.subarray([['enabled', 'true'], ['startup_timeout_sec', '20'], ['enabled_tools', '["a", "b"]']] as const),
  layout: fc.constantFrom('table', 'sub-tables', 'dotted', 'inline'),
  order: fc.nat({ max: 3 }),
  tokens: fc.dictionary(fc.string(), token),
  tokenFor: token,
});
type Case = typeof entryCase extends fc.Arbitrary<infer T> ? T : never;

const key = (name: string) => tomlString(name);
const table = (pairs: ReadonlyArray<readonly [string, string]>) => `{ ${pairs.map(([k, v]) => `${key(k)} = ${tomlString(v)}`).join(', ')} }`;

/** The entry as TOML, in one of the layouts Codex reads alike. */
function textOf(c: Case): string {
  const items: Array<[string, string]> = [['url', tomlString(c.url)]];
  if (c.bearer !== undefined) items.push(['bearer_token_env_var', tomlString(c.bearer)]);
  const subTables = c.layout === 'sub-tables';
  if (!subTables && c.httpHeaders.length > 0) items.push(['http_headers', table(c.httpHeaders)]);
  if (!subTables && c.envHeaders.length > 0) items.push(['env_http_headers', table(c.envHeaders)]);
  items.push(...c.kept.map(([k, v]) => [k, v] as [string, string]));
  // The url need not come first.
  const rotated = [...items.slice(c.order % items.length), ...items.slice(0, c.order % items.length)];
  if (c.layout === 'inline') return `[mcp_servers]\napi = { ${rotated.map(([k, v]) => `${k} = ${v}`).join(', ')} }\n`;
  if (c.layout === 'dotted') return `[mcp_servers]\n${rotated.map(([k, v]) => `api.${k} = ${v}`).join('\n')}\n`;
  let text = `# before\n[mcp_servers.api]\n${rotated.map(([k, v]) => `${k} = ${v} # ${k}`).join('\n')}\n`;
  if (subTables && c.httpHeaders.length > 0) text += `\n[mcp_servers.api.http_headers]\n${c.httpHeaders.map(([k, v]) => `${key(k)} = ${tomlString(v)}`).join('\n')}\n`;
  if (subTables && c.envHeaders.length > 0) text += `\n[mcp_servers.api.env_http_headers]\n${c.envHeaders.map(([k, v]) => `${key(k)} = ${tomlString(v)}`).join('\n')}\n`;
  return `${text}\n[mcp_servers.other]\ncommand = "uvx"\n`;
}

const CODEX_DEFAULT_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', '__CF_USER_TEXT_ENCODING', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'TZ'];

type Wrap = (text: string) => { after: string; record: RestoreRecord };
const planned: Wrap = (text) => {
  const config = backend.parse(loc, text);
  const change = planWrap(backend, config, [{ entry: config.entries.find((e) => e.name === 'api')!, paths }]).changes[0]!;
  if (change.kind !== 'wrap') throw new Error(`expected a wrap, got ${change.kind}`);
  return { after: planWrap(backend, config, [{ entry: config.entries.find((e) => e.name === 'api')!, paths }]).after, record: change.record };
};

const roundTrips = (wrap: Wrap) =>
  fc.property(entryCase, (c) => {
    const text = textOf(c);
    const config = backend.parse(loc, text);
    const original = config.entries.find((e) => e.name === 'api')!;
    if (original.remote!.unwrappable) {
      expect(() => planWrap(backend, config, [{ entry: original, paths }])).toThrow(PlanError);
      return;
    }
    const { after, record } = wrap(text);
    const wrappedConfig = backend.parse(loc, after);
    const wrapped = wrappedConfig.entries.find((e) => e.name === 'api')!;
    const raw = (wrappedConfig.value as { mcp_servers: { api: Record<string, unknown> } }).mcp_servers.api;
    // Codex loads it as a stdio entry: nothing it refuses next to a command.
    for (const k of ['url', 'bearer_token_env_var', 'http_headers', 'env_http_headers', 'oauth', 'oauth_resource']) expect(raw[k]).toBeUndefined();

    // The shell Codex runs in, and what it passes on: the proxy sends exactly Codex's headers.
    const shell: Record<string, string> = { ...c.tokens, HOME: '/home/u', PATH: '/usr/bin' };
    for (const variable of [c.bearer, ...c.envHeaders.map(([, v]) => v)]) if (variable !== undefined) shell[variable] = c.tokens[variable] ?? c.tokenFor;
    const env: Record<string, string> = {};
    for (const name of [...CODEX_DEFAULT_ENV, ...((raw.env_vars as string[] | undefined) ?? [])]) if (shell[name] !== undefined) env[name] = shell[name]!;
    Object.assign(env, raw.env);
    const expected: Record<string, string> = {};
    if (c.bearer !== undefined) expected.authorization = `Bearer ${shell[c.bearer]}`;
    for (const [name, value] of c.httpHeaders) expected[name.toLowerCase()] = value;
    for (const [name, variable] of c.envHeaders) expected[name.toLowerCase()] = shell[variable]!;
    expect(headersTheProxySends(wrapped.args!, env)).toEqual(expected);
    // No header value is in the arguments (a process list shows them): variable names only, and the bearer token's template.
    const args = wrapped.args!;
    args.forEach((arg, i) => {
      if (args[i - 1] === '--header-env') expect(arg).toMatch(/=[A-Za-z_][A-Za-z0-9_]*$/);
      if (args[i - 1] === '--header') expect(arg).toBe(`Authorization: Bearer \${${c.bearer}}`);
    });

    const exact = planUnwrap(backend, wrappedConfig, [{ entry: wrapped, record }]);
    expect(exact.after).toBe(text);
    expect(exact.changes[0]).toMatchObject({ kind: 'unwrap', exact: true });
    const rebuilt = backend.parse(loc, planUnwrap(backend, wrappedConfig, [{ entry: wrapped }]).after).entries.find((e) => e.name === 'api')!;
    const sorted = (headers: Array<{ name: string }>) => [...headers].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect([rebuilt.remote!.url, sorted(rebuilt.remote!.headers), rebuilt.remote!.unwrappable]).toEqual([original.remote!.url, sorted(original.remote!.headers), undefined]);
    expect(planWrap(backend, wrappedConfig, [{ entry: wrapped, paths, record }]).changes[0]!.kind).toBe('unchanged');
  });

describe("Codex remote entries: wrap and unwrap, for any credentials and layout", () => {
  it('property: Codex loads the result, the proxy sends exactly the headers from what Codex passes on, unwrap(wrap(x)) == x', () => {
    fc.assert(roundTrips(planned), { numRuns: 400 });
  });

  it('the property catches a wrap that forgets env_vars (Codex would not pass the token on)', () => {
    const forgetful: Wrap = (text) => {
      const { after, record } = planned(text);
      const drop = (t: string) => t.replace(/(?:\n|, )(?:api\.)?env_vars = \[[^\]]*\]/, '');
      return { after: drop(after), record: { ...record, wrapped: drop(record.wrapped) } };
    };
    expect(() => fc.assert(roundTrips(forgetful), { numRuns: 300, includeErrorInReport: true })).toThrow(/which is not set in the environment/);
  });
});
