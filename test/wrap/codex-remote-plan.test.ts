/**
 * Codex CLI's remote entries through the planner, in every layout TOML allows for them: the diff
 * wrap makes (golden), wrapping twice, unwrapping with wrap's record (byte for byte) and without it
 * (rebuilt from the proxy's arguments, env and env_vars, golden), a moved clone, and the entries
 * refused with the reason. The mapping: src/wrap/codex-remote.ts.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigLocation } from '../../src/wrap/clients.js';
import { ConfigError } from '../../src/wrap/config-types.js';
import { unifiedDiff } from '../../src/wrap/diff.js';
import { PlanError, planUnwrap, planWrap, type RestoreRecord } from '../../src/wrap/plan.js';
import type { ProxyPaths } from '../../src/wrap/proxy-command.js';
import { loadTomlBackend } from '../../src/wrap/toml-config.js';
import { expectGolden } from '../helpers/golden.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const backend = await loadTomlBackend();
const paths: ProxyPaths = { node: '/usr/bin/node', bin: '/opt/policylayer/bin/policylayer', policy: '/home/u/.policylayer/policies/api.json', audit: '/home/u/.policylayer/audit/api.jsonl' };
const moved: ProxyPaths = { ...paths, bin: '/moved/policylayer/bin/policylayer' };
const loc: ConfigLocation = { client: 'codex', scope: 'user', path: '/cfg/config.toml', format: 'toml', shape: { kind: 'servers-at', key: 'mcp_servers' } };

/** Codex's remote entries as its config reference shows them, and the other places TOML lets the same keys sit. */
export const CODEX_REMOTE_CASES: Array<{ name: string; text: string }> = [
  {
    name: 'table',
    text: `model = "gpt-5-codex"

# GitHub's remote server, token from the shell
[mcp_servers.github]
url = "https://api.githubcopilot.com/mcp/"
bearer_token_env_var = "GITHUB_PAT" # never in this file
http_headers = { "X-MCP-Toolsets" = "repos,issues" }
env_http_headers = { "X-Request-Org" = "GITHUB_ORG" }
startup_timeout_sec = 20
enabled_tools = ["search_code"]

[mcp_servers.slicer]
command = "uvx"
args = ["mcp-slicer"]
`,
  },
  {
    name: 'sub-tables',
    text: `[mcp_servers.linear]
# credentials first: bearer before url
bearer_token_env_var = "LINEAR_TOKEN"
url = "https://mcp.linear.app/mcp"
tool_timeout_sec = 60.5

[mcp_servers.linear.http_headers]
# a static header
"X-Team" = "blue" # team
X-Region = "eu"

[mcp_servers.linear.env_http_headers]
X-Api-Key = "LINEAR_API_KEY"

[mcp_servers.linear.tools.create_issue]
approval_mode = "prompt"
`,
  },
  {
    name: 'dotted',
    text: `[mcp_servers]
docs.url = "http://127.0.0.1:8931/mcp"
docs.http_headers."X-Key" = "k-123"
docs.enabled = true
sentry.url = "https://mcp.sentry.dev/mcp"
`,
  },
  {
    name: 'inline',
    text: `[mcp_servers]
notion = { url = "https://mcp.notion.com/mcp", bearer_token_env_var = "NOTION_TOKEN", env_http_headers = { "Notion-Version" = "NOTION_VERSION" }, enabled = true }
plain = { enabled = false, url = "https://h.example/mcp", http_headers = { Authorization = "Bearer abc" } }
`,
  },
];

function wrapAll(text: string, wrapPaths = paths) {
  const config = backend.parse(loc, text);
  const targets = config.entries.filter((e) => e.transport === 'remote' || e.wrapped?.inner.kind === 'upstream').map((entry) => ({ entry, paths: wrapPaths }));
  return planWrap(backend, config, targets);
}

describe("Codex CLI's remote entries", () => {
  for (const { name, text } of CODEX_REMOTE_CASES) {
    it(`${name}: wraps (golden), twice changes nothing, unwraps byte for byte, and rebuilds without the record (golden)`, () => {
      const original = backend.parse(loc, text).entries.filter((e) => e.remote);
      expect(original.every((e) => e.remote!.unwrappable === undefined)).toBe(true);
      const wrap = wrapAll(text);
      expect(wrap.changes.map((c) => c.kind)).toEqual(original.map(() => 'wrap'));
      const records: RestoreRecord[] = wrap.changes.flatMap((c) => (c.kind === 'wrap' ? [c.record] : []));
      const wrappedConfig = backend.parse(loc, wrap.after);
      const wrapped = wrappedConfig.entries.filter((e) => e.wrapped?.inner.kind === 'upstream');
      expect(wrapped).toHaveLength(records.length);
      const value = wrappedConfig.value as { mcp_servers: Record<string, Record<string, unknown>> };
      for (const entry of wrapped) {
        // Nothing Codex refuses next to a command is left; no header value is in the arguments.
        const raw = value.mcp_servers[entry.name]!;
        for (const key of ['url', 'bearer_token_env_var', 'http_headers', 'env_http_headers']) expect(raw[key]).toBeUndefined();
        expect(entry.args!.join(' ')).not.toMatch(/repos,issues|blue|k-123|Bearer abc/);
      }

      const again = wrapAll(wrap.after);
      expect(again.after).toBe(wrap.after);
      expect(again.changes.map((c) => c.kind)).toEqual(wrapped.map(() => 'unchanged'));

      const recordOf = (keyPath: string[], list = records) => list.find((r) => JSON.stringify(r.keyPath) === JSON.stringify(keyPath));
      const exact = planUnwrap(backend, wrappedConfig, wrapped.map((entry) => ({ entry, record: recordOf(entry.keyPath) })));
      expect(exact.after).toBe(text);
      expect(exact.changes.every((c) => c.kind === 'unwrap' && c.exact)).toBe(true);

      const rebuilt = planUnwrap(backend, wrappedConfig, wrapped.map((entry) => ({ entry })));
      expect(rebuilt.changes.every((c) => c.kind === 'unwrap' && !c.exact)).toBe(true);
      // The rebuilt entries reach the same servers with the same headers, from the same variables.
      const back = backend.parse(loc, rebuilt.after).entries.filter((e) => e.remote);
      const sorted = (headers: Array<{ name: string }>) => [...headers].sort((a, b) => a.name.localeCompare(b.name));
      expect(back.map((e) => [e.name, e.remote!.url, sorted(e.remote!.headers)])).toEqual(original.map((e) => [e.name, e.remote!.url, sorted(e.remote!.headers)]));

      // Moved clone: wrapped again with the new paths, and the record still leads back to the original bytes.
      const rewrap = planWrap(backend, wrappedConfig, wrapped.map((entry) => ({ entry, paths: moved, record: recordOf(entry.keyPath) })));
      expect(rewrap.after).toContain(moved.bin);
      const movedConfig = backend.parse(loc, rewrap.after);
      const movedRecords = rewrap.changes.flatMap((c) => (c.kind === 'wrap' ? [c.record] : []));
      const back2 = planUnwrap(backend, movedConfig, movedConfig.entries.filter((e) => e.wrapped).map((entry) => ({ entry, record: recordOf(entry.keyPath, movedRecords) })));
      expect(back2.after).toBe(text);

      expectGolden(GOLDEN, `remote-codex-${name}.diff`, unifiedDiff(`codex ${name} (wrap)`, text, wrap.after) + unifiedDiff(`codex ${name} (unwrap without the record)`, wrap.after, rebuilt.after));
    });
  }

  it('lists bearer_token_env_var and env_http_headers variables in env_vars, the static values in env', () => {
    const after = wrapAll(CODEX_REMOTE_CASES[0]!.text).after;
    const github = (backend.parse(loc, after).value as { mcp_servers: { github: Record<string, unknown> } }).mcp_servers.github;
    expect(github).toEqual({
      command: '/usr/bin/node',
      args: [
        '/opt/policylayer/bin/policylayer', 'proxy', '--policy', paths.policy, '--audit', paths.audit, '--upstream', 'https://api.githubcopilot.com/mcp/',
        '--header', 'Authorization: Bearer ${GITHUB_PAT}',
        '--header-env', 'X-MCP-Toolsets=POLICYLAYER_HEADER_X_MCP_TOOLSETS',
        '--header-env', 'X-Request-Org=GITHUB_ORG',
      ],
      env_vars: ['GITHUB_PAT', 'GITHUB_ORG'],
      env: { POLICYLAYER_HEADER_X_MCP_TOOLSETS: 'repos,issues' },
      startup_timeout_sec: 20,
      enabled_tools: ['search_code'],
    });
  });

  it('passes scopes on to the proxy and keeps them; plain http to another machine gets --allow-http', () => {
    const text = '[mcp_servers.a]\nurl = "http://10.0.0.5/mcp"\nscopes = ["read", "write"]\n';
    const after = wrapAll(text).after;
    const a = (backend.parse(loc, after).value as { mcp_servers: { a: { args: string[]; scopes: string[] } } }).mcp_servers.a;
    expect(a.args.slice(-4)).toEqual(['http://10.0.0.5/mcp', '--allow-http', '--oauth-scope', 'read write']);
    expect(a.scopes).toEqual(['read', 'write']);
  });

  it('leaves alone what the proxy cannot stand in for, or Codex would not load, saying why', () => {
    const text = `[mcp_servers]
oauth = { url = "https://mcp.slack.com/mcp", oauth = { client_id = "abc" } }
resource = { url = "https://h.example/mcp", oauth_resource = "https://h.example" }
withenv = { url = "https://h.example/mcp", env = { A = "1" } }
withvars = { url = "https://h.example/mcp", env_vars = ["A"] }
inline_token = { url = "https://h.example/mcp", bearer_token = "sk-1" }
elsewhere = { url = "https://h.example/mcp", experimental_environment = "remote" }
twice = { url = "https://h.example/mcp", bearer_token_env_var = "T", http_headers = { authorization = "Bearer x" } }
both = { url = "https://h.example/mcp", http_headers = { X-A = "1" }, env_http_headers = { x-a = "A" } }
owned = { url = "https://h.example/mcp", http_headers = { Accept = "text/plain" } }
badvar = { url = "https://h.example/mcp", env_http_headers = { X-A = "sk-live 123" } }
badbearer = { url = "https://h.example/mcp", bearer_token_env_var = "ghp-abc" }
empty = { url = "https://h.example/mcp", http_headers = { X-A = "" } }
ws = { url = "wss://h.example/mcp" }
creds = { url = "https://u:p@h.example/mcp" }
fine = { url = "https://h.example/mcp", enabled = false }
`;
    const entries = backend.parse(loc, text).entries;
    const why = Object.fromEntries(entries.map((e) => [e.name, e.remote?.unwrappable]));
    expect(why).toEqual({
      oauth: 'its sign-in is set up for Codex ("oauth"); the proxy signs in by itself, so remove "oauth" to wrap it',
      resource: 'its sign-in is set up for Codex ("oauth_resource"); the proxy signs in by itself, so remove "oauth_resource" to wrap it',
      withenv: 'Codex does not accept "env" next to "url" (the entry does not load); remove it to wrap the entry',
      withvars: 'Codex does not accept "env_vars" next to "url" (the entry does not load); remove it to wrap the entry',
      inline_token: 'Codex does not accept "bearer_token" next to "url" (the entry does not load); remove it to wrap the entry',
      elsewhere: '"experimental_environment" may start the entry somewhere else, where this proxy is not installed',
      twice: 'header "authorization" is given twice (bearer_token_env_var sends Authorization)',
      both: 'header "x-a" is given twice',
      owned: 'header "Accept": this header is set by the transport and cannot be given',
      badvar: 'env_http_headers "X-A": the variable\'s name is not one the proxy can read (letters, digits and _)',
      badbearer: '"bearer_token_env_var" is not a variable name the proxy can read (letters, digits and _)',
      empty: 'header "X-A" is empty',
      ws: 'the proxy reaches http(s) URLs only, not wss:',
      creds: 'the URL holds credentials; move them into a header',
      fine: undefined,
    });
    // No secret in a reason.
    expect(JSON.stringify(why)).not.toMatch(/sk-1|sk-live|Bearer x/);
    const config = backend.parse(loc, text);
    expect(() => planWrap(backend, config, [{ entry: entries[0]!, paths }])).toThrow(PlanError);
  });

  it('refuses a malformed url entry with file:line:col', () => {
    const bad = (text: string) => {
      try {
        backend.parse(loc, text);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'parsed';
    };
    expect(bad('[mcp_servers.a]\nurl = 42\n')).toBe('/cfg/config.toml:2:7: server "a": expected "url" to be a string');
    expect(bad('[mcp_servers.a]\nurl = "https://h"\nhttp_headers = ["X: 1"]\n')).toBe('/cfg/config.toml:3:16: server "a": expected "http_headers" to be a table of strings');
    expect(bad('[mcp_servers.a]\nurl = "https://h"\nbearer_token_env_var = 1\n')).toBe('/cfg/config.toml:3:24: server "a": expected "bearer_token_env_var" to be a string');
  });

  it('says what it cannot rebuild without the record, and writes nothing', () => {
    const wrapped = wrapAll('[mcp_servers.a]\nurl = "https://h.example/mcp"\nbearer_token_env_var = "T"\n').after;
    // Edited since wrap: a variable Codex would refuse next to url.
    const edited = wrapped.replace('env_vars = ["T"]', 'env_vars = ["T", "OTHER"]');
    const config = backend.parse(loc, edited);
    expect(config.entries[0]!.rebuildBlocker).toBe('env_vars lists OTHER, which Codex does not accept next to url');
    expect(() => planUnwrap(backend, config, config.entries.map((entry) => ({ entry })))).toThrow(
      new ConfigError('/cfg/config.toml:1:1', 'cannot turn "a" back into a Codex url entry: env_vars lists OTHER, which Codex does not accept next to url; edit it by hand (nothing was written)'),
    );
    // And the other things Codex cannot hold next to url, or a header it cannot express.
    const blocker = (text: string) => backend.parse(loc, text).entries[0]!.rebuildBlocker;
    expect(blocker(wrapped.replace('env_vars = ["T"]', 'env_vars = ["T"]\nenv = { LOG = "1" }'))).toBe('env sets LOG, which Codex does not accept next to url');
    expect(blocker(wrapped.replace('env_vars = ["T"]', 'env_vars = ["T"]\ncwd = "/tmp"'))).toBe('cwd is set, which Codex does not accept next to url');
    expect(blocker(wrapped.replace('"Authorization: Bearer ${T}"', '"X-Team: blue"'))).toMatch(/^header "X-Team" has a fixed value in the proxy's arguments/);
    expect(blocker(wrapped.replace('"Authorization: Bearer ${T}"', '"X-Key: ${A}-${B}"'))).toMatch(/^header "X-Key" is built from variables in a way Codex cannot express/);
    expect(blocker(wrapped)).toBeUndefined();
  });
});
