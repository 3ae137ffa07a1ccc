/**
 * The proxy in front of remote servers, as a user runs it (the built binary): `--upstream` to the
 * MCP project's server-everything over Streamable HTTP and over the older HTTP+SSE transport, an
 * OAuth-protected server signed in through a loopback redirect, `--listen` with the SDK's own HTTP
 * client, and a server that dies with calls in flight. Real servers on loopback throughout.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { BIN } from '../helpers/cli.js';
import { EVERYTHING_ENTRY, startEverything } from '../helpers/everything-server.js';
import { freePort, startFixtureServer } from '../helpers/http-fixture-server.js';
import { McpProcess } from '../helpers/mcp-stream.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { startAuthServer, startProtectedServer } from '../helpers/oauth-server.js';

const dir = tempDir('policylayer-remote-');
const cleanups = cleanupsAfterEach();

const POLICY = join(dir, 'policy.json');
writeFileSync(
  POLICY,
  JSON.stringify({ version: '1', default: 'deny', hide: ['get-env'], tools: { echo: { limits: [{ counter: 'echo', window: 'hour', max: 2, scope: 'grant' }] }, 'get-sum': {}, slow: {}, hang: {} } }),
);

function proxy(args: string[], env: Record<string, string> = {}): McpProcess {
  return McpProcess.spawn(process.execPath, [BIN, 'proxy', '--policy', POLICY, ...args], { env, cwd: dir });
}

const denied = (result: Record<string, unknown>): boolean => (result as { isError?: boolean }).isError === true && JSON.stringify(result).includes('[POLICY DENIED]');
const auditLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('--upstream: a remote server behind the policy', () => {
  for (const mode of ['streamableHttp', 'sse'] as const) {
    it(`decides every call and filters tools/list over ${mode === 'sse' ? 'HTTP+SSE (the fallback)' : 'Streamable HTTP'}`, async () => {
      const server = await startEverything(mode);
      cleanups.push(() => server.kill());
      const audit = join(dir, `audit-${mode}.jsonl`);
      const proc = proxy(['--audit', audit, '--upstream', server.url.href]);
      await proc.initialize();
      const tools = ((await proc.request('tools/list')).result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
      expect(tools).toContain('echo');
      expect(tools).not.toContain('get-env');
      expect(((await proc.callTool('echo', { message: 'one' })).result as { content: Array<{ text: string }> }).content[0]!.text).toBe('Echo: one');
      expect(denied((await proc.callTool('get-env')).result as Record<string, unknown>)).toBe(true);
      await proc.callTool('echo', { message: 'two' });
      expect(denied((await proc.callTool('echo', { message: 'three' })).result as Record<string, unknown>)).toBe(true);
      expect(((await proc.callTool('get-sum', { a: 2, b: 3 })).result as { content: Array<{ text: string }> }).content[0]!.text).toContain('5');
      proc.end();
      expect((await proc.exit()).code).toBe(0);
      const lines = auditLines(audit);
      expect(lines.filter((line) => line.event === 'call').map((line) => `${line.tool} ${line.outcome}`)).toEqual(['echo allow', 'get-env deny', 'echo allow', 'echo deny', 'get-sum allow']);
      expect(lines[0]).toMatchObject({ event: 'start', server: [server.url.href] });
      expect((await verifyAuditLog(audit)).problem).toBeUndefined();
    }, 60_000);
  }

  it('keeps header secrets out of the audit log and stderr, reading them from the environment', async () => {
    // --header-env's value is sent as it is: the `${…}` in it is not expanded (wrap writes --header-env).
    const apiKey = 'k3y-${REMOTE_TOKEN}-"quoted"-value';
    const fixture = await startFixtureServer({
      authorize: (req) => (req.headers.authorization === 'Bearer s3cret-token-value' && req.headers['x-api-key'] === apiKey ? undefined : { status: 401 }),
    });
    cleanups.push(() => fixture.close());
    const audit = join(dir, 'audit-header.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', fixture.url.href, '--header', 'Authorization: Bearer ${REMOTE_TOKEN}', '--header-env', 'X-Api-Key=REMOTE_API_KEY'], {
      REMOTE_TOKEN: 's3cret-token-value',
      REMOTE_API_KEY: apiKey,
    });
    await proc.initialize();
    expect(((await proc.callTool('echo', { message: 'ok' })).result as { content: Array<{ text: string }> }).content[0]!.text).toBe('ok');
    proc.end();
    await proc.exit();
    expect(fixture.requests.length).toBeGreaterThan(1);
    for (const request of fixture.requests) expect(request.headers['x-api-key']).toBe(apiKey);
    for (const text of [readFileSync(audit, 'utf8'), proc.stderr]) {
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('k3y-');
    }
  }, 30_000);

  it('--header-env with Authorization: the server gets it, and no OAuth sign-in is tried; an unset variable stops the start in one line', async () => {
    const fixture = await startFixtureServer({ authorize: (req) => (req.headers.authorization === 'Bearer env-only-token' ? undefined : { status: 401, headers: { 'www-authenticate': 'Bearer' } }) });
    cleanups.push(() => fixture.close());
    const proc = proxy(['--upstream', fixture.url.href, '--header-env', 'Authorization=REMOTE_AUTHORIZATION'], { REMOTE_AUTHORIZATION: 'Bearer env-only-token' });
    await proc.initialize();
    expect(((await proc.callTool('echo', { message: 'ok' })).result as { content: Array<{ text: string }> }).content[0]!.text).toBe('ok');
    proc.end();
    await proc.exit();
    expect(proc.stderr).not.toContain('env-only-token');

    const wrong = proxy(['--upstream', fixture.url.href, '--header-env', 'Authorization=REMOTE_AUTHORIZATION'], { REMOTE_AUTHORIZATION: 'Bearer wrong-token' });
    expect((await wrong.exit()).code).toBe(2);
    expect(wrong.stderr).toContain(`\npolicylayer: ${fixture.url.href} refused the credentials in the Authorization header (HTTP 401)\n`);
    expect(wrong.stderr).not.toMatch(/sign-in|wrong-token/);

    const unset = proxy(['--upstream', fixture.url.href, '--header-env', 'Authorization=REMOTE_AUTHORIZATION']);
    expect((await unset.exit()).code).toBe(2);
    expect(unset.stderr).toBe('policylayer: --header-env Authorization uses REMOTE_AUTHORIZATION, which is not set in the environment\n');
  }, 30_000);

  it('signs in with OAuth through a loopback redirect when the server asks, and keeps the tokens for the next start', async () => {
    const as = await startAuthServer();
    const server = await startProtectedServer(as);
    cleanups.push(() => server.close(), () => as.close());
    const config = mkdtempSync(join(dir, 'config-'));
    const start = () => proxy(['--upstream', server.url.href, '--no-browser'], { XDG_CONFIG_HOME: config });
    const first = start();
    // The one line a human reads says where to sign in; act as the browser.
    const url = await until(() => /sign-in needed for \S+: open (\S+) /.exec(first.stderr)?.[1]);
    const authorize = await fetch(url, { redirect: 'manual' });
    expect((await fetch(authorize.headers.get('location')!)).status).toBe(200);
    await first.initialize();
    expect(((await first.callTool('echo', { message: 'signed in' })).result as { content: Array<{ text: string }> }).content[0]!.text).toBe('signed in');
    first.end();
    await first.exit();
    expect(as.provider.counts).toMatchObject({ registrations: 1, authorizations: 1 });
    // Tokens were stored (0600, per server): the next start needs no human.
    const second = start();
    await second.initialize();
    expect(((await second.callTool('echo', { message: 'again' })).result as { content: Array<{ text: string }> }).content[0]!.text).toBe('again');
    second.end();
    await second.exit();
    expect(as.provider.counts.authorizations).toBe(1);
    expect(second.stderr).not.toContain('sign-in needed');
  }, 60_000);

  it('answers every call in flight when the server goes away, keeping the budgets of calls that may have run', async () => {
    const fixture = await startFixtureServer();
    const audit = join(dir, 'audit-gone.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', fixture.url.href]);
    await proc.initialize();
    const hanging = [proc.callTool('hang'), proc.callTool('hang')];
    await until(() => (fixture.calls.get('hang') === 2 ? true : undefined));
    await fixture.close();
    for (const answer of await Promise.all(hanging)) expect(answer.error).toMatchObject({ code: -32603 });
    proc.end();
    await proc.exit();
    const results = auditLines(audit).filter((line) => line.event === 'result');
    expect(results).toHaveLength(2);
    // They reached the server: their budgets stay spent.
    for (const result of results) expect(result).toMatchObject({ ending: 'server-gone', rolled_back: false });
  }, 30_000);

  it('gives the budget back for a call that never reached the server (connection refused)', async () => {
    const fixture = await startFixtureServer();
    const audit = join(dir, 'audit-refused.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', fixture.url.href]);
    await proc.initialize();
    await proc.callTool('echo', { message: 'one' });
    await fixture.close();
    // Long enough for the proxy's idle keep-alive sockets to see the close: a reset on a socket that
    // was connected may follow the server reading the request, so only a refused connection says "no".
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await proc.callTool('echo', { message: 'two' });
    expect(refused.error).toMatchObject({ code: -32603 });
    proc.end();
    await proc.exit();
    const results = auditLines(audit).filter((line) => line.event === 'result');
    expect(results.at(-1)).toMatchObject({ tool: 'echo', ending: 'not-forwarded', rolled_back: true });
  }, 30_000);

  it('refuses to start, in one line, when the server cannot be reached', async () => {
    const port = await freePort();
    const proc = proxy(['--upstream', `http://127.0.0.1:${port}/mcp`]);
    expect((await proc.exit()).code).toBe(2);
    expect(proc.stderr.trim().split('\n').at(-1)).toMatch(/^policylayer: .*127\.0\.0\.1:\d+/);
    expect(proc.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe('--listen: clients over HTTP, one policy and one set of limits', () => {
  it('serves the SDK client, needs the token, takes each session’s grant from a header, and shares budgets per grant', async () => {
    const port = await freePort();
    const audit = join(dir, 'audit-listen.jsonl');
    const token = 'a-test-token-of-32-characters-xx';
    const proc = proxy(['--audit', audit, '--listen', `127.0.0.1:${port}`, '--grant-from-header', 'X-Grant', '--', process.execPath, EVERYTHING_ENTRY, 'stdio'], { POLICYLAYER_AUTH_TOKEN: token });
    await until(() => (proc.stderr.includes('listening on') ? true : undefined));
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);

    const connect = async (grant: string) => {
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}`, 'x-grant': grant } } }));
      cleanups.push(() => client.close());
      return client;
    };
    const alice1 = await connect('alice');
    const alice2 = await connect('alice');
    const bob = await connect('bob');
    expect((await alice1.listTools()).tools.map((tool) => tool.name)).not.toContain('get-env');
    const echo = async (client: Client) => !((await client.callTool({ name: 'echo', arguments: { message: 'x' } })).isError === true);
    // Two echoes an hour per grant, whichever session of that grant asks.
    expect([await echo(alice1), await echo(alice2), await echo(alice1), await echo(bob)]).toEqual([true, true, false, true]);
    proc.child.kill('SIGTERM');
    await proc.exit();
    const calls = auditLines(audit).filter((line) => line.event === 'call');
    expect(calls.map((line) => `${line.grant} ${line.outcome}`)).toEqual(['alice allow', 'alice allow', 'alice deny', 'bob allow']);
    expect(new Set(calls.map((line) => line.session)).size).toBe(3);
    expect((await verifyAuditLog(audit)).problem).toBeUndefined();
  }, 60_000);
});
