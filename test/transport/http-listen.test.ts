/**
 * `--listen` with real clients: the MCP SDK's Client over Streamable HTTP, through the listener,
 * to a stdio server-everything per session (or a remote server through HttpUpstream), with a
 * plain pass-through where the proxy core will sit.
 */
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpListener, type ListenOptions, type ListenSession } from '../../src/transport/http-listen.js';
import { HttpUpstream } from '../../src/transport/http-upstream.js';
import type { Upstream } from '../../src/transport/upstream.js';
import { ServerProcess } from '../../src/util/server-process.js';
import { EVERYTHING_ENTRY } from '../helpers/everything-server.js';
import { startFixtureServer } from '../helpers/http-fixture-server.js';

const TOKEN = 'test-token-0123456789abcdef';
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the proxy core will do per session, minus the policy: lines in, lines out, one upstream each. */
function passThrough(session: ListenSession, upstream: Upstream): void {
  session.input.pipe(upstream.stdin);
  upstream.stdout.pipe(session.output);
  void session.closed.then(() => upstream.stop(500));
  void upstream.exited.then(() => session.close('the server exited'));
}

async function listen(options: Partial<ListenOptions> & { upstream?: () => Promise<Upstream> } = {}) {
  const sessions: ListenSession[] = [];
  const upstreams: Upstream[] = [];
  const listener = await HttpListener.start({
    host: '127.0.0.1',
    port: 0,
    auth: { token: TOKEN },
    log: () => {},
    onSession: (session) => {
      sessions.push(session);
      const start = options.upstream ?? (() => ServerProcess.start(process.execPath, [EVERYTHING_ENTRY, 'stdio'], { env: process.env, cwd: process.cwd(), stderr: 'pipe' }));
      void start().then(
        (upstream) => {
          upstreams.push(upstream);
          passThrough(session, upstream);
        },
        (error: Error) => session.fail(`cannot start the server: ${error.message}`),
      );
    },
    ...options,
  });
  cleanups.push(async () => {
    await listener.close();
    await Promise.all(upstreams.map((upstream) => upstream.exited));
  });
  return { listener, sessions, upstreams };
}

async function sdkClient(url: URL, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, capabilities = {}) {
  const client = new Client({ name: 'listen-test', version: '1' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  await client.connect(transport);
  cleanups.push(() => client.close().catch(() => {}));
  return { client, transport };
}

function raw(url: URL, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('listen: sessions with the SDK client', () => {
  it('serves a session per client, each with its own stdio server; sampling and elicitation flow both ways', async () => {
    const { listener, sessions, upstreams } = await listen();
    const { client } = await sdkClient(listener.url, { authorization: `Bearer ${TOKEN}` }, { sampling: {}, elicitation: {} });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', content: { type: 'text', text: 'sampled by client' }, model: 'm' }));
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'decline' }));
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'trigger-sampling-request', 'trigger-elicitation-request']));
    expect(await client.callTool({ name: 'echo', arguments: { message: 'via listen' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: via listen' }] });
    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'p', maxTokens: 5 } });
    expect(JSON.stringify(sampled)).toContain('sampled by client');
    const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(elicited)).toMatch(/decline/i);

    const second = await sdkClient(listener.url);
    expect((await second.client.callTool({ name: 'echo', arguments: { message: 'two' } })).content).toEqual([{ type: 'text', text: 'Echo: two' }]);
    expect(sessions.length).toBe(2);
    expect(new Set(upstreams.map((upstream) => (upstream as ServerProcess).pid)).size).toBe(2);
    expect(listener.sessionCount).toBe(2);
  });

  it('progress reaches the client on the stream of its request', async () => {
    const { listener } = await listen();
    const { client } = await sdkClient(listener.url);
    const progress: number[] = [];
    await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.6, steps: 3 } }, undefined, { onprogress: (update) => progress.push(update.progress) });
    expect(progress).toEqual([1, 2, 3]);
  });

  it('ends the session and its server when the client ends it (DELETE); the id is unknown afterwards', async () => {
    const { listener, sessions, upstreams } = await listen();
    const { transport } = await sdkClient(listener.url);
    const id = transport.sessionId!;
    await transport.terminateSession();
    expect(await sessions[0]!.closed).toBe('the client ended the session');
    await upstreams[0]!.exited;
    expect(listener.sessionCount).toBe(0);
    const after = await raw(listener.url, { headers: { ...JSON_HEADERS, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': id }, body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' });
    expect(after.status).toBe(404);
  });

  it('a remote upstream per session: SDK client → listener → HttpUpstream → Streamable HTTP server', async () => {
    const remote = await startFixtureServer();
    cleanups.push(() => remote.close());
    const { listener } = await listen({ upstream: () => HttpUpstream.connect({ url: remote.url, log: () => {} }) });
    const { client } = await sdkClient(listener.url);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'remote' } })).toMatchObject({ content: [{ text: 'remote' }] });
    expect(remote.sessionCount()).toBe(1);
  });

  it('answers the initialize with an error when the server cannot start', async () => {
    const { listener } = await listen({ upstream: () => ServerProcess.start('/nonexistent/server', [], { env: process.env, cwd: process.cwd() }) });
    await expect(sdkClient(listener.url)).rejects.toThrow(/cannot start the server/);
  });
});

describe('listen: who may connect', () => {
  it('401 without the token or with a wrong one; the right one passes', async () => {
    const { listener } = await listen();
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const answer = await raw(listener.url, { headers: { ...JSON_HEADERS, ...(authorization ? { authorization } : {}) }, body: INITIALIZE });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="policylayer"');
    }
    await expect(sdkClient(listener.url, {})).rejects.toThrow(/Unauthorized: this proxy needs its bearer token/);
    const ok = await raw(listener.url, { headers: { ...JSON_HEADERS, authorization: `bearer ${TOKEN}` }, body: INITIALIZE });
    expect(ok.status).toBe(200);
  });

  it('403 for a foreign Host or Origin (DNS rebinding), even with the token; loopback browser origins get CORS', async () => {
    const { listener } = await listen();
    const auth = { authorization: `Bearer ${TOKEN}` };
    const port = listener.url.port;
    expect((await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth, host: `evil.example:${port}` }, body: INITIALIZE })).status).toBe(403);
    expect((await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth, host: `127.0.0.1:${Number(port) + 1}` }, body: INITIALIZE })).status).toBe(403);
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1.evil.example:80', 'http://localhost@evil.example']) {
      expect((await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth, origin }, body: INITIALIZE })).status).toBe(403);
    }
    const preflight = await raw(listener.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    expect(preflight.headers['access-control-expose-headers']).toContain('mcp-session-id');
    expect((await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth, origin: 'http://localhost:6274', host: `localhost:${port}` }, body: INITIALIZE })).status).toBe(200);
  });

  it('--no-auth on loopback lets clients in without a token', async () => {
    const { listener } = await listen({ auth: 'none' });
    const { client } = await sdkClient(listener.url, {});
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('refuses unsafe binds and weak tokens at start', async () => {
    const base = { port: 0, onSession: () => {}, log: () => {} };
    await expect(HttpListener.start({ ...base, host: '0.0.0.0', auth: { token: TOKEN } })).rejects.toThrow(/not a loopback address; other machines could connect\. Add --allow-remote/);
    await expect(HttpListener.start({ ...base, host: '0.0.0.0', auth: 'none', allowRemote: true })).rejects.toThrow(/--no-auth is for loopback addresses only/);
    await expect(HttpListener.start({ ...base, host: '127.0.0.1', auth: { token: 'short' } })).rejects.toThrow(/at least 16 characters/);
  });

  it('requests need a session after initialize; an unknown one is 404; sessions are capped', async () => {
    const { listener } = await listen({ maxSessions: 1 });
    const headers = { ...JSON_HEADERS, authorization: `Bearer ${TOKEN}` };
    expect((await raw(listener.url, { headers, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })).status).toBe(400);
    expect((await raw(listener.url, { headers: { ...headers, 'mcp-session-id': 'made-up' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })).status).toBe(404);
    expect((await raw(new URL('/other', listener.url), { headers, body: INITIALIZE })).status).toBe(404);
    await sdkClient(listener.url);
    expect((await raw(listener.url, { headers, body: INITIALIZE })).status).toBe(503);
  });
});

describe('listen: grants from a header', () => {
  it('gives each session the grant its initialize named, requires it, and refuses a change mid-session', async () => {
    const { listener, sessions } = await listen({ grantHeader: 'X-PolicyLayer-Grant' });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const missing = await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth }, body: INITIALIZE });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('header X-PolicyLayer-Grant is required');
    const alice = await sdkClient(listener.url, { ...auth, 'x-policylayer-grant': 'alice' });
    await sdkClient(listener.url, { ...auth, 'x-policylayer-grant': 'bob' });
    expect(sessions.map((session) => session.grant)).toEqual(['alice', 'bob']);
    const switched = await raw(listener.url, { headers: { ...JSON_HEADERS, ...auth, 'x-policylayer-grant': 'bob', 'mcp-session-id': alice.transport.sessionId! }, body: '{"jsonrpc":"2.0","id":9,"method":"tools/list"}' });
    expect(switched.status).toBe(403);
  });
});
