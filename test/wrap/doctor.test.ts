import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { SIM, useClientHome, writeFile as write } from '../helpers/client-home.js';

const BIN = resolve(ROOT, 'bin/policylayer');
const client = useClientHome('pl-doctor-');

function wrappedEntry(policy: string, audit: string, bin = BIN, node = process.execPath) {
  return { command: node, args: [bin, 'proxy', '--policy', policy, '--audit', audit, '--', process.execPath, SIM] };
}

describe('policylayer doctor', () => {
  it('reports a healthy wrapped server, unwrapped ones, and a remote one it cannot wrap; exit 0', async () => {
    const policy = write(join(client.home, 'p/slicer.json'), JSON.stringify({ version: '1', default: 'deny', tools: { list_nodes: {} } }));
    const audit = write(
      join(client.home, 'a/slicer.jsonl'),
      `${JSON.stringify({ v: 1, ts: '2026-12-07T03:00:00.000Z', seq: 1, prev: '0'.repeat(64), event: 'call', tool: 'list_nodes', outcome: 'allow', rule: '/tools/list_nodes' })}\n`,
    );
    write(join(client.home, '.cursor/mcp.json'), JSON.stringify({ mcpServers: { slicer: wrappedEntry(policy, audit), plain: { command: process.execPath, args: [SIM] }, docs: { url: 'https://x/mcp' }, ws: { type: 'ws', url: 'wss://x/mcp' } } }));
    const result = await runCli(['doctor'], { cwd: client.home, env: client.env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Cursor (user)  ~/.cursor/mcp.json');
    expect(result.stdout).toMatch(/✓ slicer\s+wrapped/);
    expect(result.stdout).toContain('policy: ~/p/slicer.json (lint ok)');
    expect(result.stdout).toContain('audit: ~/a/slicer.jsonl (1 call; last 2026-12-07T03:00:00.000Z list_nodes allow)');
    expect(result.stdout).toMatch(/! plain\s+not wrapped/);
    expect(result.stdout).toContain('fix: policylayer wrap --client cursor --server plain');
    expect(result.stdout).toMatch(/! docs\s+not wrapped  https:\/\/x\/mcp/);
    expect(result.stdout).toContain('fix: policylayer wrap --client cursor --server docs');
    expect(result.stdout).toContain('- ws      remote: not wrappable (a WebSocket server: the proxy speaks Streamable HTTP and HTTP+SSE)  wss://x/mcp');
    expect(result.stdout).toContain('4 servers, 1 wrapped; 0 broken, 2 warnings.');
  });

  it('finds a moved proxy, a missing policy, a policy with errors, a missing server command and a broken file; exit 1', async () => {
    const bad = write(join(client.home, 'p/bad.json'), JSON.stringify({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'minutes', max: 1 }] } } }));
    write(
      join(client.home, '.cursor/mcp.json'),
      JSON.stringify({
        mcpServers: {
          moved: wrappedEntry(bad, join(client.home, 'a.jsonl'), '/old/clone/bin/policylayer'),
          nopolicy: wrappedEntry(join(client.home, 'p/none.json'), join(client.home, 'no-such-folder/a.jsonl')),
          gone: { command: '/no/such/server' },
        },
      }),
    );
    write(join(client.home, '.codeium/windsurf/mcp_config.json'), '{ "mcpServers": ');
    const result = await runCli(['doctor'], { cwd: client.home, env: client.env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ Cursor (user): moved: the proxy /old/clone/bin/policylayer no longer exists (the clone or install moved)');
    expect(result.stdout).toContain('fix: policylayer wrap --client cursor --server moved (run from the install you use now)');
    expect(result.stdout).toContain('moved: the policy has 2 lint errors: the proxy will not load it');
    expect(result.stdout).toContain(`nopolicy: the policy ${join(client.home, 'p/none.json')} is missing: the proxy will not start`);
    expect(result.stdout).toContain('gone: the server command /no/such/server is not found');
    expect(result.stdout).toContain(`nopolicy: the audit log's folder ${join(client.home, 'no-such-folder')} does not exist: the proxy will not start`);
    expect(result.stdout).toMatch(/✗ Windsurf: .*mcp_config\.json:1:17: expected a value/);
    const json = await runCli(['doctor', '--format', 'json'], { cwd: client.home, env: client.env() });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toEqual({ servers: 3, wrapped: 2, errors: 6, warnings: 1 });
    expect(report.problems.map((p: { server?: string; severity: string }) => `${p.severity}:${p.server ?? '-'}`)).toEqual([
      'error:-',
      'error:moved',
      'error:moved',
      'error:nopolicy',
      'error:nopolicy',
      'error:gone',
      'warning:gone',
    ]);
  });

  it('--start finds a server that no longer starts', async () => {
    write(join(client.home, '.cursor/mcp.json'), JSON.stringify({ mcpServers: { ok: { command: process.execPath, args: [SIM] }, dies: { command: process.execPath, args: ['-e', 'process.exit(3)'] } } }));
    const result = await runCli(['doctor', '--start', '--timeout', '10s', '--format', 'json'], { cwd: client.home, env: client.env() });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.servers.map((s: { name: string; startError?: string }) => [s.name, s.startError === undefined])).toEqual([
      ['ok', true],
      ['dies', false],
    ]);
    expect(report.problems.find((p: { server: string; severity: string }) => p.server === 'dies' && p.severity === 'error').problem).toMatch(/^the server does not start: /);
  });
});
