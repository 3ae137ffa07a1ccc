import { describe, expect, it } from 'vitest';
import type { ConfigLocation } from '../../src/wrap/clients.js';
import { ConfigError, type ConfigBackend } from '../../src/wrap/config-types.js';
import { jsonBackend } from '../../src/wrap/json-config.js';
import { planUnwrap, planWrap, type RestoreRecord } from '../../src/wrap/plan.js';
import type { ProxyPaths } from '../../src/wrap/proxy-command.js';
import { loadTomlBackend } from '../../src/wrap/toml-config.js';

const paths: ProxyPaths = { node: '/usr/bin/node', bin: '/opt/policylayer/bin/policylayer', policy: '/home/u/.policylayer/policies/fs.json', audit: '/home/u/.policylayer/audit/fs.jsonl' };
const otherPaths: ProxyPaths = { ...paths, bin: '/moved/policylayer/bin/policylayer' };

function location(format: ConfigLocation['format'], key = 'mcpServers', path = '/cfg/file'): ConfigLocation {
  return { client: 'cursor', scope: 'user', path, format, shape: { kind: 'servers-at', key } };
}

/** Wraps every stdio entry, then unwraps with the records: returns the texts. */
function roundTrip(backend: ConfigBackend, loc: ConfigLocation, text: string, wrapPaths = paths) {
  const config = backend.parse(loc, text);
  const wrap = planWrap(backend, config, config.entries.filter((e) => e.transport === 'stdio').map((entry) => ({ entry, paths: wrapPaths })));
  const records: RestoreRecord[] = wrap.changes.flatMap((c) => (c.kind === 'wrap' ? [c.record] : []));
  const wrapped = backend.parse(loc, wrap.after);
  const again = planWrap(backend, wrapped, wrapped.entries.filter((e) => e.transport === 'stdio').map((entry) => ({ entry, paths: wrapPaths })));
  const unwrap = planUnwrap(
    backend,
    wrapped,
    wrapped.entries.map((entry) => ({ entry, record: records.find((r) => JSON.stringify(r.keyPath) === JSON.stringify(entry.keyPath)) })),
  );
  return { wrapped: wrap.after, again: again.after, againChanges: again.changes, restored: unwrap.after, unwrapChanges: unwrap.changes, records };
}

const JSONC = `{
  // my servers
  "mcpServers": {
    "fs": {
      "command": "npx", // launcher
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/data"],
      "env": { "TOKEN": "\${env:TOKEN}" },
    },
    /* remote */
    "remote": { "url": "https://example.com/mcp" },
    "bare": { "command": "my-server" }
  },
  "other": [1, 2, 3]
}
`;

describe('JSON and JSONC', () => {
  it('wraps keeping comments and other keys, is idempotent, and unwraps byte for byte', () => {
    const r = roundTrip(jsonBackend, location('jsonc'), JSONC);
    expect(r.wrapped).toContain('// my servers');
    expect(r.wrapped).toContain('// launcher');
    expect(r.wrapped).toContain('/* remote */');
    expect(r.wrapped).toContain('"env": { "TOKEN": "${env:TOKEN}" }');
    expect(r.wrapped).toContain('"command": "/usr/bin/node"');
    expect(r.again).toBe(r.wrapped);
    expect(r.againChanges.map((c) => c.kind)).toEqual(['unchanged', 'unchanged']);
    expect(r.restored).toBe(JSONC);
    expect(r.unwrapChanges.filter((c) => c.kind === 'unwrap').every((c) => c.kind === 'unwrap' && c.exact)).toBe(true);
    const parsed = jsonBackend.parse(location('jsonc'), r.wrapped).value as { mcpServers: Record<string, { args: string[] }> };
    expect(parsed.mcpServers.fs!.args).toEqual([paths.bin, 'proxy', '--policy', paths.policy, '--audit', paths.audit, '--', 'npx', '-y', '@modelcontextprotocol/server-filesystem', '/data']);
    expect(parsed.mcpServers.bare!.args).toEqual([paths.bin, 'proxy', '--policy', paths.policy, '--audit', paths.audit, '--', 'my-server']);
  });

  it('unwraps from the proxy arguments when the record is missing', () => {
    const r = roundTrip(jsonBackend, location('jsonc'), JSONC);
    const config = jsonBackend.parse(location('jsonc'), r.wrapped);
    const plan = planUnwrap(jsonBackend, config, config.entries.map((entry) => ({ entry })));
    const restored = jsonBackend.parse(location('jsonc'), plan.after).value as { mcpServers: Record<string, { command: string; args?: string[] }> };
    expect(restored.mcpServers.fs).toMatchObject({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'] });
    expect(restored.mcpServers.bare).toMatchObject({ command: 'my-server', args: [] });
    expect(plan.changes.filter((c) => c.kind === 'unwrap').every((c) => c.kind === 'unwrap' && !c.exact)).toBe(true);
  });

  it('re-wraps an entry whose proxy moved, and still unwraps to the original bytes', () => {
    const first = roundTrip(jsonBackend, location('jsonc'), JSONC);
    const loc = location('jsonc');
    const wrapped = jsonBackend.parse(loc, first.wrapped);
    const moved = planWrap(jsonBackend, wrapped, wrapped.entries.filter((e) => e.wrapped).map((entry) => ({ entry, paths: otherPaths, record: first.records.find((r) => r.keyPath.join() === entry.keyPath.join()) })));
    expect(moved.after).toContain(otherPaths.bin);
    expect(moved.after).not.toContain(paths.bin);
    const records = moved.changes.flatMap((c) => (c.kind === 'wrap' ? [c.record] : []));
    const config = jsonBackend.parse(loc, moved.after);
    const plan = planUnwrap(jsonBackend, config, config.entries.map((entry) => ({ entry, record: records.find((r) => r.keyPath.join() === entry.keyPath.join()) })));
    expect(plan.after).toBe(JSONC);
  });

  it('unwraps byte for byte after other parts of the file changed', () => {
    const r = roundTrip(jsonBackend, location('jsonc'), JSONC);
    const edited = r.wrapped.replace('"other": [1, 2, 3]', '"other": [1, 2, 3, 4],\n  "added": true').replace('// my servers', '// my servers, edited');
    const config = jsonBackend.parse(location('jsonc'), edited);
    const plan = planUnwrap(jsonBackend, config, config.entries.map((entry) => ({ entry, record: r.records.find((rec) => rec.keyPath.join() === entry.keyPath.join()) })));
    expect(plan.after).toBe(JSONC.replace('"other": [1, 2, 3]', '"other": [1, 2, 3, 4],\n  "added": true').replace('// my servers', '// my servers, edited'));
  });

  it('keeps CRLF line ends and tab indentation', () => {
    const text = '{\r\n\t"mcpServers": {\r\n\t\t"a": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n\t}\r\n}\r\n';
    const r = roundTrip(jsonBackend, location('json'), text);
    expect(r.wrapped.replace(/\r\n/g, '')).not.toContain('\n');
    expect(r.wrapped).toContain('\r\n\t\t\t"args": [');
    expect(r.restored).toBe(text);
  });

  it('refuses malformed and unknown-shape files with file:line:col', () => {
    const cases: [ConfigLocation, string, string][] = [
      [location('json'), '{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}', '/cfg/file:3:26: trailing comma'],
      [location('json'), '{\n  // hi\n  "mcpServers": {}\n}', '/cfg/file:2:3: comments are not allowed'],
      [location('jsonc'), '{ "mcpServers": [] }', '/cfg/file:1:17: expected "mcpServers" to be an object of servers'],
      [location('jsonc'), '{ "mcpServers": { "a": { "command": 3 } } }', '/cfg/file:1:37: server "a": expected "command" to be a string'],
      [location('jsonc'), '{ "mcpServers": { "a": { "command": "x", "args": "-y" } } }', '/cfg/file:1:50: server "a": expected "args" to be a list of strings'],
      [location('jsonc'), '{ "mcpServers": { "a": {"command": "x"}, "a": {"command": "y"} } }', '/cfg/file:1:42: server "a" is defined twice'],
      [location('jsonc'), '[1]', '/cfg/file:1:1: expected a JSON object at the top level'],
      [location('jsonc'), '{ "mcpServers": { "a": 1 } }', '/cfg/file:1:24: expected server "a" to be an object'],
    ];
    for (const [loc, text, message] of cases) {
      let error: unknown;
      try {
        jsonBackend.parse(loc, text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ConfigError);
      expect((error as Error).message, text).toContain(message);
    }
  });

  it("reads ~/.claude.json's user and per-project servers", () => {
    const text = JSON.stringify({ numStartups: 4, mcpServers: { u: { command: 'a' } }, projects: { '/home/u/p': { mcpServers: { l: { type: 'stdio', command: 'b', args: ['1'] }, h: { type: 'http', url: 'https://x' } } } } }, null, 2);
    const config = jsonBackend.parse({ client: 'claude-code', scope: 'user', path: '/h/.claude.json', format: 'json', shape: { kind: 'claude-json' } }, text);
    expect(config.entries.map((e) => [e.name, e.project, e.transport, e.keyPath.join('>')])).toEqual([
      ['u', undefined, 'stdio', 'mcpServers>u'],
      ['l', '/home/u/p', 'stdio', 'projects>/home/u/p>mcpServers>l'],
      ['h', '/home/u/p', 'remote', 'projects>/home/u/p>mcpServers>h'],
    ]);
    const r = roundTrip(jsonBackend, { client: 'claude-code', scope: 'user', path: '/h/.claude.json', format: 'json', shape: { kind: 'claude-json' } }, text);
    expect(r.restored).toBe(text);
    expect(JSON.parse(r.wrapped).projects['/home/u/p'].mcpServers.l.type).toBe('stdio');
  });
});

const TOML = `# Codex
model = "o4"

[mcp_servers.docs] # the docs server
command = "npx" # launcher
args = ["-y", 'mcp-docs']
env = { API_KEY = "v" }
startup_timeout_sec = 20

[mcp_servers.docs.tools.search]
approval_mode = "approve"

[mcp_servers.plain]
command = 'C:\\tools\\server.exe' # literal string
cwd = "/abs"

[mcp_servers.remote]
url = "https://example.com/mcp"

[profiles.x]
model = "y"
`;

describe('TOML (Codex)', () => {
  it('wraps keeping comments and layout, is idempotent, and unwraps byte for byte', async () => {
    const backend = await loadTomlBackend();
    const loc = location('toml', 'mcp_servers');
    const r = roundTrip(backend, loc, TOML);
    expect(r.wrapped).toContain('[mcp_servers.docs] # the docs server');
    expect(r.wrapped).toContain('command = "/usr/bin/node" # launcher');
    expect(r.wrapped).toContain(`command = "/usr/bin/node" # literal string\nargs = ["/opt/policylayer/bin/policylayer", "proxy"`);
    expect(r.wrapped).toContain('"--", "C:\\\\tools\\\\server.exe"]');
    expect(r.again).toBe(r.wrapped);
    expect(r.restored).toBe(TOML);
    const value = backend.parse(loc, r.wrapped).value as { mcp_servers: Record<string, { args: string[]; tools?: unknown }> };
    expect(value.mcp_servers.docs!.args.slice(-3)).toEqual(['npx', '-y', 'mcp-docs']);
    expect(value.mcp_servers.docs!.tools).toEqual({ search: { approval_mode: 'approve' } });
  });

  it('edits dotted keys and inline tables', async () => {
    const backend = await loadTomlBackend();
    const loc = location('toml', 'mcp_servers');
    const text = 'mcp_servers.a.command = "x"\nmcp_servers.b = { command = "y", args = ["1"] }\nmcp_servers.c = { command = "z" }\n';
    const r = roundTrip(backend, loc, text);
    expect(r.wrapped).toContain('mcp_servers.a.args = [');
    expect(r.wrapped).toContain('mcp_servers.c = { command = "/usr/bin/node", args = [');
    expect(r.restored).toBe(text);
  });

  it('refuses malformed TOML with file:line:col', async () => {
    const backend = await loadTomlBackend();
    expect(() => backend.parse(location('toml', 'mcp_servers'), '[mcp_servers.a]\ncommand = "x\n')).toThrow(/^\/cfg\/file:2:\d+: /);
    expect(() => backend.parse(location('toml', 'mcp_servers'), 'mcp_servers = 3\n')).toThrow('/cfg/file:1:1: expected "mcp_servers" to be a table of servers');
    expect(() => backend.parse(location('toml', 'mcp_servers'), '[mcp_servers.a]\ncommand = ["x"]\n')).toThrow('/cfg/file:2:11: server "a": expected "command" to be a string');
  });
});
