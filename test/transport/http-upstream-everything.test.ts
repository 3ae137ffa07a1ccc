/**
 * The HTTP upstream against the MCP project's reference server, server-everything, in both of its
 * HTTP modes: Streamable HTTP, and the older HTTP+SSE reached through the spec's fallback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpUpstream } from '../../src/transport/http-upstream.js';
import { startEverything, type EverythingServer } from '../helpers/everything-server.js';
import { McpStream, type Message } from '../helpers/mcp-stream.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function everything(mode: 'streamableHttp' | 'sse'): Promise<EverythingServer> {
  const server = await startEverything(mode);
  cleanups.push(() => server.kill());
  return server;
}

async function connect(url: URL) {
  const log: string[] = [];
  const upstream = await HttpUpstream.connect({ url, log: (message) => log.push(message) });
  cleanups.push(async () => {
    upstream.stdin.end();
    await upstream.stop(200);
  });
  return { upstream, client: new McpStream(upstream.stdin, upstream.stdout), log };
}

const text = (result: Message): string => (result.result as { content: Array<{ text: string }> }).content[0]!.text;
const capabilities = { sampling: {}, elicitation: {}, roots: { listChanged: true } };

describe('server-everything over Streamable HTTP', () => {
  it('runs a session with progress, sampling and the roots request the server sends on its own', async () => {
    const server = await everything('streamableHttp');
    const { upstream, client } = await connect(server.url);
    await client.initialize(capabilities, '2025-11-25');
    expect(upstream.transport).toBe('streamable-http');
    // 350 ms after initialized the server asks for the client's roots (on the GET stream).
    const { message: roots } = await client.waitFor((message) => message.method === 'roots/list');
    client.send({ jsonrpc: '2.0', id: roots.id as number, result: { roots: [{ uri: 'file:///tmp', name: 'tmp' }] } });

    const tools = (await client.request('tools/list')).result as { tools: Array<{ name: string }> };
    expect(tools.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'trigger-long-running-operation', 'trigger-sampling-request']));
    expect(text(await client.callTool('echo', { message: 'hi' }))).toBe('Echo: hi');

    const long = client.callTool('trigger-long-running-operation', { duration: 1, steps: 3 }, { _meta: { progressToken: 'tok' } });
    const progress = await client.waitFor((message) => message.method === 'notifications/progress');
    expect(progress.message.params).toMatchObject({ progressToken: 'tok', total: 3 });
    expect(text(await long)).toContain('completed');

    const sample = client.callTool('trigger-sampling-request', { prompt: 'ping', maxTokens: 5 });
    const { message: request } = await client.waitFor((message) => message.method === 'sampling/createMessage');
    client.send({ jsonrpc: '2.0', id: request.id as number, result: { role: 'assistant', content: { type: 'text', text: 'pong' }, model: 'm' } });
    expect(JSON.stringify((await sample).result)).toContain('pong');
  });

  it('answers the calls in flight when the server process dies, then calls fail fast as never sent', async () => {
    const server = await everything('streamableHttp');
    const { client } = await connect(server.url);
    await client.initialize({}, '2025-11-25');
    const calls = [1, 2, 3].map(() => client.callTool('trigger-long-running-operation', { duration: 30, steps: 30 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.kill();
    // The streams had priming ids: the transport tries to resume them (about 4.5 s), then answers.
    const answers = await Promise.all(calls);
    for (const answer of answers) expect(answer.error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: true } });
    const after = await client.callTool('echo', { message: 'x' });
    expect(after.error).toMatchObject({ data: { mayHaveReachedServer: false } });
  });
});

describe('server-everything over HTTP+SSE', () => {
  it('falls back from Streamable HTTP (POST /sse is 404) and runs the session over the event stream', async () => {
    const server = await everything('sse');
    const { upstream, client, log } = await connect(server.url);
    await client.initialize(capabilities, '2025-06-18');
    expect(upstream.transport).toBe('sse');
    expect(log.join('\n')).toMatch(/does not take Streamable HTTP \(HTTP 404.*\); using the older HTTP\+SSE transport/);
    expect(text(await client.callTool('echo', { message: 'old' }))).toBe('Echo: old');
    const long = client.callTool('trigger-long-running-operation', { duration: 0.5, steps: 2 }, { _meta: { progressToken: 7 } });
    await client.waitFor((message) => message.method === 'notifications/progress');
    expect(text(await long)).toContain('completed');
  });

  it('answers calls in flight when the event stream dies, and ends when no new session can be opened', async () => {
    const server = await everything('sse');
    const { upstream, client, log } = await connect(server.url);
    await client.initialize({}, '2025-06-18');
    const call = client.callTool('trigger-long-running-operation', { duration: 30, steps: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.kill();
    expect((await call).error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: true } });
    const exit = await upstream.exited;
    expect(exit.code).toBe(1);
    expect(exit.reason).toMatch(/event stream (broke|closed).*a new session could not be opened/);
    expect(log.join('\n')).toContain('a new session could not be opened');
  });
});
