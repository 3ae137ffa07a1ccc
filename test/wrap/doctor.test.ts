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

  it('warns about header variables a wrapped remote entry does not set, in both forms (--header-env, and --header \'Name: ${VAR}\' from before it)', async () => {
    const policy = write(join(client.home, 'p/api.json'), JSON.stringify({ version: '1', default: 'deny', tools: {} }));
    const audit = join(client.home, 'a/api.jsonl');
    write(audit, '');
    const remote = (headers: string[], env?: Record<string, string>) => ({
      command: process.execPath,
      args: [BIN, 'proxy', '--policy', policy, '--audit', audit, '--upstream', 'https://h.example/mcp', ...headers],
      ...(env ? { env } : {}),
    });
    write(
      join(client.home, '.cursor/mcp.json'),
      JSON.stringify({
        mcpServers: {
          old: remote(['--header', 'Authorization: ${POLICYLAYER_HEADER_AUTHORIZATION}', '--header', 'X-Team: ${FROM_SHELL}']),
          oldset: remote(['--header', 'Authorization: ${POLICYLAYER_HEADER_AUTHORIZATION}'], { POLICYLAYER_HEADER_AUTHORIZATION: 'Bearer x' }),
          new: remote(['--header-env', 'Authorization=POLICYLAYER_HEADER_AUTHORIZATION', '--header-env=X-Key=POLICYLAYER_HEADER_X_KEY'], { POLICYLAYER_HEADER_X_KEY: '' }),
          newset: remote(['--header-env', 'Authorization=POLICYLAYER_HEADER_AUTHORIZATION', '--header-env', 'X-Team=FROM_SHELL'], { POLICYLAYER_HEADER_AUTHORIZATION: 'Bearer x' }),
        },
      }),
    );
    const result = await runCli(['doctor', '--format', 'json'], { cwd: client.home, env: { ...client.env(), FROM_SHELL: 'blue' } });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.servers.map((s: { name: string; missingVariables?: string[] }) => [s.name, s.missingVariables])).toEqual([
      ['old', ['POLICYLAYER_HEADER_AUTHORIZATION']],
      ['oldset', undefined],
      ['new', ['POLICYLAYER_HEADER_AUTHORIZATION', 'POLICYLAYER_HEADER_X_KEY']],
      ['newset', undefined],
    ]);
    expect(report.problems.filter((p: { problem: string }) => p.problem.startsWith('the header variable')).map((p: { server: string; problem: string }) => `${p.server}: ${p.problem}`)).toEqual([
      "old: the header variable POLICYLAYER_HEADER_AUTHORIZATION is not set in the entry's env: the proxy will not start unless the client's environment has it",
      "new: the header variable POLICYLAYER_HEADER_AUTHORIZATION is not set in the entry's env: the proxy will not start unless the client's environment has it",
      "new: the header variable POLICYLAYER_HEADER_X_KEY is not set in the entry's env: the proxy will not start unless the client's environment has it",
    ]);
    expect(report.servers.every((s: { target: string }) => s.target === 'https://h.example/mcp')).toBe(true);
  });

  it("for Codex, also wants each header variable in the entry's env_vars: Codex passes a stdio server no other variable", async () => {
    const policy = write(join(client.home, 'p/api.json'), JSON.stringify({ version: '1', default: 'deny', tools: {} }));
    const audit = join(client.home, 'a/api.jsonl');
    write(audit, '');
    const entry = (name: string, variable: string, envVars?: string[]) =>
      [
        `[mcp_servers.${name}]`,
        `command = ${JSON.stringify(process.execPath)}`,
        `args = ${JSON.stringify([BIN, 'proxy', '--policy', policy, '--audit', audit, '--upstream', 'https://h.example/mcp', '--header-env', `Authorization=${variable}`])}`,
        ...(envVars ? [`env_vars = ${JSON.stringify(envVars)}`] : []),
        '',
      ].join('\n');
    write(join(client.home, '.codex/config.toml'), [entry('listed', 'TOKEN_A', ['TOKEN_A']), entry('unlisted', 'TOKEN_B'), entry('unset', 'TOKEN_C', ['TOKEN_C'])].join('\n'));
    const result = await runCli(['doctor', '--format', 'json'], { cwd: client.home, env: { ...client.env(), TOKEN_A: 'a', TOKEN_B: 'b' } });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.servers.map((s: { name: string; missingVariables?: string[] }) => [s.name, s.missingVariables])).toEqual([
      ['listed', undefined],
      ['unlisted', ['TOKEN_B']],
      ['unset', ['TOKEN_C']],
    ]);
    expect(report.problems.filter((p: { problem: string }) => p.problem.startsWith('the header variable')).map((p: { server: string; problem: string; fix: string }) => `${p.server}: ${p.problem} (${p.fix})`)).toEqual([
      'unlisted: the header variable TOKEN_B is in neither the entry\'s env nor its env_vars: Codex starts the proxy without it, and the proxy will not start (add "TOKEN_B" to the entry\'s env_vars (Codex passes on only those), or set it in env)',
      "unset: the header variable TOKEN_C is not set in the entry's env: the proxy will not start unless the client's environment has it (set TOKEN_C in the entry's env, or run `policylayer unwrap` and wrap it again)",
    ]);
  });
});
