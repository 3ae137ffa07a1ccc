/**
 * A remote entry through wrap, as a user and a client meet it: the policy created from the tools a
 * real Streamable HTTP server lists (server-everything on loopback), the entry started exactly as a
 * client starts it (command, args and env from the file) with the SDK client over stdio, the policy
 * applied, the header secret nowhere but in the entry's env; then doctor and a byte-for-byte unwrap.
 * And the entries that are skipped: a server that wants a sign-in, one that cannot be reached.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useClientHome, writeFile } from '../helpers/client-home.js';
import { startEverything, type EverythingServer } from '../helpers/everything-server.js';
import { freePort, startFixtureServer } from '../helpers/http-fixture-server.js';

const client = useClientHome('pl-remote-wrap-');
const SECRET = 'sk-remote-secret-4242';
let everything: EverythingServer;

beforeAll(async () => {
  everything = await startEverything('streamableHttp');
}, 30_000);
afterAll(async () => {
  await everything?.kill();
});

describe('a wrapped remote entry, started as a client starts it', () => {
  it('guards the remote server with the policy wrap created from its live tools, keeping the secret out of args, audit and stderr', async () => {
    const mcpJson = `{
  "mcpServers": {
    "everything": {
      "type": "http",
      "url": "${everything.url.href}",
      "headers": {
        "Authorization": "Bearer ${SECRET}"
      }
    }
  }
}
`;
    const config = writeFile(join(client.project, '.mcp.json'), mcpJson);
    const wrapped = await runCli(['wrap', '--server', 'everything'], { cwd: client.project, env: client.env() });
    expect(wrapped.stderr).toBe('');
    expect(wrapped.code).toBe(0);
    expect(wrapped.stdout).toMatch(/Created ~\/\.policylayer\/policies\/everything\.json \(\d+ tools from /);

    const entry = JSON.parse(readFileSync(config, 'utf8')).mcpServers.everything;
    expect(entry.type).toBe('stdio');
    expect(entry.url).toBeUndefined();
    expect(entry.headers).toBeUndefined();
    expect(entry.env).toEqual({ POLICYLAYER_HEADER_AUTHORIZATION: `Bearer ${SECRET}` });
    expect(JSON.stringify(entry.args)).not.toContain(SECRET);
    expect(entry.args).toContain('--upstream');
    // Nothing in args for the client to expand: the header's variable is named by --header-env.
    expect(entry.args.slice(-2)).toEqual(['--header-env', 'Authorization=POLICYLAYER_HEADER_AUTHORIZATION']);
    expect(JSON.stringify(entry.args)).not.toContain('${');
    const policy = JSON.parse(readFileSync(join(client.home, '.policylayer/policies/everything.json'), 'utf8'));
    expect(policy.default).toBe('deny');

    let stderr = '';
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: process.env.PATH ?? '', HOME: client.home, ...entry.env }, cwd: client.project, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const mcp = new Client({ name: 'remote-wrap-e2e', version: '1' });
    await mcp.connect(transport);
    try {
      const tools = (await mcp.listTools()).tools.map((tool) => tool.name);
      expect(tools).toContain('echo');
      const echo = await mcp.callTool({ name: 'echo', arguments: { message: 'through the proxy' } });
      expect(echo.isError).toBeFalsy();
      expect(JSON.stringify(echo.content)).toContain('through the proxy');
      // The recommended policy asks for approval of tools that run code; this client cannot be asked, so the call is refused.
      const approval = Object.keys(policy.tools).find((name) => policy.tools[name].require_approval) as string;
      expect(approval).toBeDefined();
      const denied = await mcp.callTool({ name: approval, arguments: { duration: 1, steps: 1 } });
      expect(denied.isError).toBe(true);
      expect(JSON.stringify(denied.content)).toContain('[POLICY DENIED]');
    } finally {
      await mcp.close();
    }
    const auditText = readFileSync(join(client.home, '.policylayer/audit/everything.jsonl'), 'utf8');
    const calls = auditText.trim().split('\n').map((line) => JSON.parse(line)).filter((line) => line.event === 'call');
    expect(calls.map((line) => [line.tool, line.outcome])).toEqual([
      ['echo', 'allow'],
      [Object.keys(policy.tools).find((name) => policy.tools[name].require_approval), 'approval_required'],
    ]);
    expect(auditText).not.toContain(SECRET);
    expect(stderr).not.toContain(SECRET);

    const doctor = await runCli(['doctor', '--format', 'json'], { cwd: client.project, env: client.env() });
    const server = JSON.parse(doctor.stdout).servers.find((s: { name: string }) => s.name === 'everything');
    expect(server).toMatchObject({ wrapped: true, target: everything.url.href, policy: { exists: true, errors: 0 }, audit: { exists: true, calls: expect.any(Number) }, proxy: { binExists: true } });
    expect(doctor.stdout).not.toContain(SECRET);

    const again = await runCli(['wrap', '--all'], { cwd: client.project, env: client.env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(1 already wrapped as asked)');

    const unwrapped = await runCli(['unwrap', '--all'], { cwd: client.project, env: client.env() });
    expect(unwrapped.code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(mcpJson);
  }, 60_000);

  it('skips a server that wants a sign-in, and one that cannot be reached, saying what to do; exit 1, nothing written for them', async () => {
    const guarded = await startFixtureServer({
      authorize: (req) => (req.headers.authorization === 'Bearer right' ? undefined : { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
    });
    const closed = await freePort();
    try {
      const cursorText = JSON.stringify(
        {
          mcpServers: {
            signin: { url: guarded.url.href },
            wrongtoken: { url: guarded.url.href, headers: { Authorization: 'Bearer wrong' } },
            down: { url: `http://127.0.0.1:${closed}/mcp` },
            ok: { url: guarded.url.href, headers: { Authorization: 'Bearer right' } },
          },
        },
        null,
        2,
      );
      const cursor = writeFile(join(client.home, '.cursor/mcp.json'), cursorText);
      const env = { ...client.env(), POLICYLAYER_CONFIG_DIR: join(client.home, '.config/policylayer') };
      const result = await runCli(['wrap', '--all', '--timeout', '10s'], { cwd: client.project, env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `policylayer wrap: not wrapping signin in Cursor (user): ${guarded.url.href} needs a sign-in (HTTP 401) and policylayer has no token for it yet, so its tools are unknown; sign in and wrap with \`policylayer wrap --client cursor --server signin --sign-in\` (opens your browser), or give it a policy with --policy FILE\n`,
      );
      expect(result.stderr).toContain(`policylayer wrap: not wrapping wrongtoken in Cursor (user): cannot create its policy: ${guarded.url.href} refused the credentials in the Authorization header (HTTP 401); write one and pass --policy FILE\n`);
      expect(result.stderr).toMatch(new RegExp(`not wrapping down in Cursor \\(user\\): cannot create its policy: cannot reach http://127.0.0.1:${closed}/mcp: .*; write one and pass --policy FILE\\n`));
      expect(result.stderr).not.toContain('Bearer wrong');
      expect(result.stdout).toContain('Wrapped 1 server in 1 file.');
      const value = JSON.parse(readFileSync(cursor, 'utf8'));
      expect(value.mcpServers.signin).toEqual({ url: guarded.url.href });
      expect(value.mcpServers.down).toEqual({ url: `http://127.0.0.1:${closed}/mcp` });
      expect(value.mcpServers.ok.env).toEqual({ POLICYLAYER_HEADER_AUTHORIZATION: 'Bearer right' });
      expect(existsSync(join(client.home, '.policylayer/policies/signin.json'))).toBe(false);
      // The header reached the server on the listing that made ok's policy.
      expect(guarded.requests.some((r) => r.headers.authorization === 'Bearer right')).toBe(true);

      const doctor = await runCli(['doctor', '--start', '--timeout', '10s', '--format', 'json'], { cwd: client.project, env });
      expect(doctor.code).toBe(1);
      const report = JSON.parse(doctor.stdout) as { servers: Array<{ name: string; wrapped: boolean; transport: string }>; problems: Array<{ server: string; severity: string; problem: string }> };
      expect(report.servers.map((s) => [s.name, s.wrapped, s.transport])).toEqual([
        ['signin', false, 'remote'],
        ['wrongtoken', false, 'remote'],
        ['down', false, 'remote'],
        ['ok', true, 'remote'],
      ]);
      const problems = (name: string) => report.problems.filter((p) => p.server === name).map((p) => `${p.severity}: ${p.problem}`);
      expect(problems('ok')).toEqual([]);
      // A sign-in is the client's to do: not a fault.
      expect(problems('signin')).toEqual(['warning: runs without policylayer: no policy, no audit log']);
      expect(problems('down')[0]).toMatch(/^error: the server does not answer: cannot reach/);
      expect(doctor.stdout).not.toContain('Bearer right');
      const text = await runCli(['doctor'], { cwd: client.project, env });
      expect(text.stdout).toMatch(new RegExp(`✓ ok\\s+wrapped  ${guarded.url.href.replace(/[.?]/g, '\\$&')}\n    policy: ~/.policylayer/policies/ok.json \\(lint ok\\)\n    audit: ~/.policylayer/audit/ok.jsonl \\(no calls yet\\)\n    proxy: `));
    } finally {
      await guarded.close();
    }
  }, 60_000);
});
