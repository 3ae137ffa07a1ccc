import { afterEach, describe, expect, it } from 'vitest';
import { HttpUpstream, UpstreamUnavailable, type HttpUpstreamOptions } from '../../src/transport/http-upstream.js';
import { freePort, startFixtureServer, type FixtureServer } from '../helpers/http-fixture-server.js';
import { McpStream, type Message } from '../helpers/mcp-stream.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(options: Parameters<typeof startFixtureServer>[0] = {}): Promise<FixtureServer> {
  const server = await startFixtureServer(options);
  cleanups.push(() => server.close());
  return server;
}

interface Connected {
  upstream: HttpUpstream;
  client: McpStream;
  log: string[];
}

async function connect(url: URL, options: Partial<HttpUpstreamOptions> = {}): Promise<Connected> {
  const log: string[] = [];
  const upstream = await HttpUpstream.connect({ url, log: (message) => log.push(message), ...options });
  cleanups.push(async () => {
    upstream.stdin.end();
    await upstream.stop(200);
  });
  return { upstream, client: new McpStream(upstream.stdin, upstream.stdout), log };
}

function text(result: Message): string {
  return ((result.result as { content: Array<{ text: string }> }).content[0]!).text;
}

describe('HttpUpstream over Streamable HTTP', () => {
  it('carries a session: initialize, tools/list, tools/call, with the session and protocol headers', async () => {
    const server = await fixture();
    const { upstream, client } = await connect(server.url);
    const init = await client.initialize({}, '2025-06-18');
    expect((init.result as { protocolVersion: string }).protocolVersion).toBe('2025-06-18');
    const list = await client.request('tools/list');
    expect((list.result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name)).toContain('echo');
    expect(text(await client.callTool('echo', { message: 'hello' }))).toBe('hello');
    expect(upstream.transport).toBe('streamable-http');
    const call = server.requests.filter((request) => request.method === 'POST').at(-1)!;
    expect(call.headers['mcp-session-id']).toBe(upstream.sessionId);
    expect(call.headers['mcp-protocol-version']).toBe('2025-06-18');
  });

  it("a server's own error is not a local reply, whatever its data says", async () => {
    const server = await fixture();
    const { upstream, client } = await connect(server.url);
    await client.initialize();
    const answer = await client.request('no/such/method');
    expect(answer.error).toMatchObject({ code: -32601 });
    expect(upstream.takeLocalReply(answer.id as number)).toBeUndefined();
  });

  it('sends the bytes of each line as they are, and passes the server JSON on as one line', async () => {
    const server = await fixture({ jsonResponse: true });
    const { client } = await connect(server.url);
    await client.initialize();
    // Spacing and key order the SDK would not produce survive the trip.
    client.send('{"id":7,  "jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"message":"spaced"},"name":"echo"}}');
    const { line } = await client.response(7);
    expect(JSON.parse(line)).toMatchObject({ id: 7, result: { content: [{ type: 'text', text: 'spaced' }] } });
    expect(line).not.toContain('\n');
  });

  it('passes server requests to the client and the client answers back (sampling, elicitation)', async () => {
    const server = await fixture();
    const { client } = await connect(server.url);
    await client.initialize({ sampling: {}, elicitation: {} });
    const call = client.callTool('sample', { prompt: 'hi' });
    const { message: sampling } = await client.waitFor((message) => message.method === 'sampling/createMessage');
    client.send({ jsonrpc: '2.0', id: sampling.id as number, result: { role: 'assistant', content: { type: 'text', text: 'pong' }, model: 'test' } });
    expect(text(await call)).toBe('sampled: pong');

    const asked = client.callTool('elicit');
    const { message: elicitation } = await client.waitFor((message) => message.method === 'elicitation/create');
    client.send({ jsonrpc: '2.0', id: elicitation.id as number, result: { action: 'accept', content: { ok: true } } });
    expect(text(await asked)).toBe('elicited: accept');
    expect(server.calls.get('elicit')).toBe(1);
  });

  it('passes progress notifications, and list_changed and logging from the GET stream', async () => {
    const server = await fixture();
    const { client } = await connect(server.url);
    await client.initialize();
    await client.request('logging/setLevel', { level: 'info' });
    const call = client.callTool('slow', { ms: 200 }, { _meta: { progressToken: 'p1' } });
    const progress = await client.waitFor((message) => message.method === 'notifications/progress');
    expect(progress.message.params).toMatchObject({ progressToken: 'p1' });
    expect(text(await call)).toBe('slept 200');
    await client.callTool('announce');
    await client.waitFor((message) => message.method === 'notifications/tools/list_changed');
    await client.waitFor((message) => message.method === 'notifications/message');
    expect(server.requests.some((request) => request.method === 'GET' && request.headers['mcp-session-id'])).toBe(true);
  });
});

describe('HttpUpstream faults', () => {
  it('fails at start with one line when nothing listens', async () => {
    const port = await freePort();
    const attempt = HttpUpstream.connect({ url: new URL(`http://127.0.0.1:${port}/mcp`), log: () => {} });
    await expect(attempt).rejects.toBeInstanceOf(UpstreamUnavailable);
    await expect(attempt).rejects.toThrow(`cannot reach http://127.0.0.1:${port}/mcp: connection refused (ECONNREFUSED)`);
  });

  it('fails at start when the host does not resolve', async () => {
    await expect(HttpUpstream.connect({ url: new URL('http://policylayer-no-such-host.invalid/mcp'), log: () => {} })).rejects.toThrow(/cannot reach .*not (found|be resolved)/);
  });

  it('answers a call in flight when the server goes down, and says the server may have run it; later calls were never sent', async () => {
    const server = await fixture();
    const { upstream, client } = await connect(server.url);
    await client.initialize();
    const call = client.callTool('hang');
    await waitUntil(() => server.calls.get('hang') === 1);
    await server.close();
    const answer = await call;
    expect(answer.error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: true } });
    expect(upstream.takeLocalReply(answer.id as number)).toMatchObject({ mayHaveReachedServer: true });

    const after = await client.callTool('echo', { message: 'x' });
    expect(after.error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: false } });
    expect((after.error as { message: string }).message).toContain('connection refused');
    // The string id "3" is another request than the number 3; and a local reply is read once.
    expect(upstream.takeLocalReply(String(after.id))).toBeUndefined();
    expect(upstream.takeLocalReply(after.id as number)).toEqual({ mayHaveReachedServer: false, reason: expect.stringContaining('ECONNREFUSED') });
    expect(upstream.takeLocalReply(after.id as number)).toBeUndefined();
    expect(upstream.hasExited).toBe(false);
  });

  it('answers every call in flight when the connections drop and the streams cannot be resumed', async () => {
    const server = await fixture();
    const { client } = await connect(server.url);
    await client.initialize();
    const calls = Array.from({ length: 8 }, () => client.callTool('hang'));
    await waitUntil(() => server.calls.get('hang') === 8);
    server.dropConnections();
    const answers = await Promise.all(calls);
    for (const answer of answers) expect(answer.error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: true } });
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(8);
  });

  it('resumes dropped response streams (Last-Event-ID) and delivers the real answers', async () => {
    const server = await fixture({ eventStore: true });
    const { client } = await connect(server.url);
    await client.initialize({}, '2025-11-25');
    const calls = Array.from({ length: 4 }, (_, i) => client.callTool('slow', { ms: 1500 + i }, { _meta: { progressToken: i } }));
    // A progress notification means the stream's priming event (its first id) has arrived too.
    for (let i = 0; i < 4; i++) await client.waitFor((message) => message.method === 'notifications/progress' && (message.params as { progressToken: number }).progressToken === i);
    server.dropConnections();
    const answers = await Promise.all(calls);
    expect(answers.map(text)).toEqual(['slept 1500', 'slept 1501', 'slept 1502', 'slept 1503']);
    expect(server.requests.filter((request) => request.method === 'GET' && request.headers['last-event-id']).length).toBeGreaterThanOrEqual(4);
  });

  it('opens a new session when the server forgot the old one (404) and retries the call once', async () => {
    const server = await fixture();
    const { upstream, client, log } = await connect(server.url);
    await client.initialize();
    const first = upstream.sessionId;
    server.expireSessions();
    expect(text(await client.callTool('echo', { message: 'again' }))).toBe('again');
    expect(upstream.sessionId).not.toBe(first);
    expect(log.join('\n')).toContain('the server ended the MCP session (HTTP 404); opened a new one');
    // The replayed initialize was the transport's own: the client saw one initialize answer only.
    expect(client.lines.filter((line) => line.includes('"protocolVersion"')).length).toBe(1);
  });

  it('answers a cancelled call that the server never answers, after the grace period', async () => {
    const server = await fixture();
    const { client } = await connect(server.url, { cancelGraceMs: 100 });
    await client.initialize();
    const call = client.callTool('hang');
    await waitUntil(() => server.calls.get('hang') === 1);
    client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } });
    const answer = await call;
    expect(answer.error).toMatchObject({ data: { mayHaveReachedServer: true } });
    expect((answer.error as { message: string }).message).toContain('cancelled by the client');
  });

  it('holds messages behind initialize until the session exists (a client that does not wait)', async () => {
    const server = await fixture();
    const { client } = await connect(server.url);
    client.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    client.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'eager' } } });
    expect((await client.response(2)).message).toMatchObject({ result: { content: [{ text: 'eager' }] } });
  });

  it('answers every request in flight when the proxy stops, and ends the session with DELETE', async () => {
    const server = await fixture();
    const { upstream, client } = await connect(server.url);
    await client.initialize();
    const call = client.callTool('hang');
    await waitUntil(() => server.calls.get('hang') === 1);
    upstream.stdin.end();
    expect(await upstream.stop(100)).toBe('terminated');
    expect((await call).error).toMatchObject({ data: { mayHaveReachedServer: true } });
    expect(await upstream.exited).toEqual({ code: 0, signal: null, reason: 'closed by the proxy with requests in flight' });
    expect(server.requests.some((request) => request.method === 'DELETE')).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
