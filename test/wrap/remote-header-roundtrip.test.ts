/**
 * Property: whatever a remote entry's headers hold (values with `${`, quotes, backslashes, line
 * breaks, NUL, unicode; names that are valid, odd, owned by the transport or not names at all),
 * wrap either refuses the entry or writes one whose `args` hold no `${…}` (a client would expand
 * it), whose proxy (parsed as `policylayer proxy` parses its options) sends exactly the original
 * headers, which unwrap restores byte for byte with wrap's record and to the same url and headers
 * without it, and which wrapping again leaves alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientId, ConfigLocation } from '../../src/wrap/clients.js';
import { jsonBackend } from '../../src/wrap/json-config.js';
import { PlanError, planUnwrap, planWrap, type RestoreRecord } from '../../src/wrap/plan.js';
import type { ProxyPaths } from '../../src/wrap/proxy-command.js';
import { legacyHeaderForm } from '../helpers/legacy-header-form.js';
import { headersTheProxySends } from '../helpers/proxy-headers.js';

const paths: ProxyPaths = { node: '/usr/bin/node', bin: '/opt/policylayer/bin/policylayer', policy: '/home/u/.policylayer/policies/api.json', audit: '/home/u/.policylayer/audit/api.jsonl' };

/** Each JSON client, where it keeps servers and the url keys it reads. */
const CLIENTS: Array<{ client: ClientId; serversKey: string; urlKeys: string[]; types: boolean }> = [
  { client: 'claude-desktop', serversKey: 'mcpServers', urlKeys: ['url'], types: true },
  { client: 'claude-code', serversKey: 'mcpServers', urlKeys: ['url'], types: true },
  { client: 'cursor', serversKey: 'mcpServers', urlKeys: ['url'], types: true },
  { client: 'vscode', serversKey: 'servers', urlKeys: ['url'], types: true },
  { client: 'windsurf', serversKey: 'mcpServers', urlKeys: ['serverUrl', 'url'], types: true },
  { client: 'gemini', serversKey: 'mcpServers', urlKeys: ['httpUrl', 'url'], types: true },
  // Zed has no `type`: its url entries are Streamable HTTP.
  { client: 'zed', serversKey: 'context_servers', urlKeys: ['url'], types: false },
];

const PIECES = ['${', '}', '${GITHUB_TOKEN}', '${POLICYLAYER_HEADER_AUTHORIZATION}', '${env:TOKEN}', '${input:tok}', '${VAR:-x}', '$HOME', '$', '"', "'", '\\', '\\"', '\n', '\r\n', '\0', '\t', ' ', '\u2028', 'é', '🔑', 'Bearer ', 'sk-live-123', '%APPDATA%', '=', ':', '--', '-x'];
const hostileValue = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 24 }),
);
const hostileName = fc.oneof(
  fc.constantFrom('Authorization', 'authorization', 'X-Api-Key', 'X_API_KEY', 'Cookie', '$X', "X'Y", 'a.b', '~', 'Content-Type', 'Host', 'Bad Name', 'Ünï', '', 'X:Y', 'X=Y', '${X}', 'X-${Y}', '__proto__', 'constructor'),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/),
);

const entryCase = fc.record({
  clientIndex: fc.nat({ max: CLIENTS.length - 1 }),
  urlKeyIndex: fc.nat({ max: 1 }),
  url: fc.constantFrom('https://api.example.com/mcp', 'http://127.0.0.1:8080/mcp', 'http://192.168.1.20/mcp', 'https://h.example/sse?x=1&y=2'),
  type: fc.constantFrom(undefined, 'http', 'sse', 'streamable-http'),
  headers: fc.uniqueArray(fc.tuple(hostileName, hostileValue), { selector: ([name]) => name, maxLength: 4 }),
  env: fc.constantFrom(undefined, {}, { LOG: '1' }, { POLICYLAYER_HEADER_AUTHORIZATION: 'taken' }),
  indent: fc.constantFrom(0, 2, '\t'),
});

type Case = typeof entryCase extends fc.Arbitrary<infer T> ? T : never;
type Wrap = (loc: ConfigLocation, text: string) => { after: string; record: RestoreRecord };

const planned: Wrap = (loc, text) => {
  const config = jsonBackend.parse(loc, text);
  const plan = planWrap(jsonBackend, config, [{ entry: config.entries[0]!, paths }]);
  const change = plan.changes[0]!;
  if (change.kind !== 'wrap') throw new Error(`expected a wrap, got ${change.kind}`);
  return { after: plan.after, record: change.record };
};

function textOf(c: Case): { loc: ConfigLocation; text: string } {
  const { client, serversKey, urlKeys, types } = CLIENTS[c.clientIndex]!;
  const entry: Record<string, unknown> = {};
  if (types && c.type !== undefined) entry.type = c.type;
  entry[urlKeys[c.urlKeyIndex % urlKeys.length]!] = c.url;
  if (c.headers.length > 0) entry.headers = Object.fromEntries(c.headers);
  if (c.env !== undefined) entry.env = c.env;
  const loc: ConfigLocation = { client, scope: 'user', path: `/cfg/${client}`, format: 'jsonc', shape: { kind: 'servers-at', key: serversKey } };
  return { loc, text: `${JSON.stringify({ [serversKey]: { api: entry } }, null, c.indent)}\n` };
}

const roundTrips = (wrap: Wrap) =>
  fc.property(entryCase, (c) => {
    const { loc, text } = textOf(c);
    const config = jsonBackend.parse(loc, text);
    const original = config.entries[0]!;
    if (original.remote!.unwrappable) {
      expect(() => planWrap(jsonBackend, config, [{ entry: original, paths }])).toThrow(PlanError);
      return;
    }
    const { after, record } = wrap(loc, text);
    const wrappedConfig = jsonBackend.parse(loc, after);
    const wrapped = wrappedConfig.entries[0]!;
    // The url is the user's and may hold their own `${…}` for the client; nothing else may.
    expect(wrapped.args!.filter((arg) => arg !== c.url).join('\n')).not.toContain('${');
    expect(headersTheProxySends(wrapped.args!, wrapped.env)).toEqual(Object.fromEntries(c.headers.map(([name, value]) => [name.toLowerCase(), value])));

    const exact = planUnwrap(jsonBackend, wrappedConfig, [{ entry: wrapped, record }]);
    expect(exact.after).toBe(text);
    expect(exact.changes[0]).toMatchObject({ kind: 'unwrap', exact: true });
    const rebuilt = jsonBackend.parse(loc, planUnwrap(jsonBackend, wrappedConfig, [{ entry: wrapped }]).after).entries[0]!;
    // Rebuilt, the same server in its client's current form: an empty `env` may be left out.
    const envOf = (env: Record<string, unknown> | undefined) => (env && Object.keys(env).length > 0 ? env : undefined);
    expect([rebuilt.remote!.url, rebuilt.remote!.headers, rebuilt.remote!.transport, envOf(rebuilt.env)]).toEqual([original.remote!.url, original.remote!.headers, original.remote!.transport, envOf(original.env)]);
    expect(planWrap(jsonBackend, wrappedConfig, [{ entry: wrapped, paths, record }]).changes[0]!.kind).toBe('unchanged');
  });

describe('remote entries: wrap and unwrap, for any headers', () => {
  it('property: no ${…} in args, the proxy sends exactly the headers, unwrap(wrap(x)) == x', () => {
    fc.assert(roundTrips(planned), { numRuns: 400 });
  });

  it('the property catches the old form, --header "Name: ${VAR}"', () => {
    const legacy: Wrap = (loc, text) => {
      const { after, record } = planned(loc, text);
      return { after: legacyHeaderForm(after), record: { ...record, wrapped: legacyHeaderForm(record.wrapped) } };
    };
    expect(() => fc.assert(roundTrips(legacy), { numRuns: 200, includeErrorInReport: true })).toThrow(/not to contain '\$\{'/);
  });

  it('the property catches a wrap whose record does not lead back to the original bytes', () => {
    const forgetful: Wrap = (loc, text) => {
      const { after, record } = planned(loc, text);
      return { after, record: { ...record, original: record.original.replace(/"headers"/, '"headers" ') } };
    };
    expect(() => fc.assert(roundTrips(forgetful), { numRuns: 200 })).toThrow();
  });
});
