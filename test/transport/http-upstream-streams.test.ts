/**
 * Answers that arrive slowly, in odd pieces, or very large. The slow server is written by hand at
 * the HTTP level: it speaks just enough Streamable HTTP to trickle one answer a byte at a time,
 * with CRLF line endings, comments, multi-line data and a multi-byte character cut in half.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpUpstream } from '../../src/transport/http-upstream.js';
import { startFixtureServer } from '../helpers/http-fixture-server.js';
import { McpStream } from '../helpers/mcp-stream.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MiB = 1024 * 1024;

async function connect(url: URL, maxMessageBytes?: number) {
  const upstream = await HttpUpstream.connect({ url, log: () => {}, ...(maxMessageBytes ? { maxMessageBytes } : {}) });
  cleanups.push(async () => {
    upstream.stdin.end();
    await upstream.stop(200);
  });
  return { upstream, client: new McpStream(upstream.stdin, upstream.stdout) };
}

async function readJson(req: IncomingMessage): Promise<{ id?: number; method?: string; params?: { name?: string } }> {
  const parts: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) parts.push(chunk);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as { id?: number; method?: string; params?: { name?: string } };
}

/** A hand-written Streamable HTTP server whose `trickle` tool answers one byte every `byteMs`. */
async function startTrickleServer(byteMs: number): Promise<URL> {
  const trickle = async (res: ServerResponse, id: number): Promise<void> => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'trickle-session' });
    const events =
      ': waiting\r\n\r\n' +
      'event: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"working"}}\r\n\r\n' +
      `id: e1\r\nevent: message\r\ndata: {"jsonrpc":"2.0",\r\ndata: "id":${id},"result":{"content":[{"type":"text","text":"slow é ✓"}]}}\r\n\r\n`;
    const bytes = Buffer.from(events, 'utf8');
    for (let at = 0; at < bytes.length; at++) {
      if (res.destroyed) return;
      res.write(bytes.subarray(at, at + 1));
      await new Promise((resolve) => setTimeout(resolve, byteMs));
    }
    res.end();
  };
  const server = createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(405).end();
    if (req.method === 'DELETE') return void res.writeHead(200).end();
    void readJson(req).then((message) => {
      if (message.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'trickle-session' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'trickle', version: '1' } } }));
      } else if (message.id === undefined) res.writeHead(202).end();
      else if (message.params?.name === 'trickle') void trickle(res, message.id);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        // Pretty-printed, with CRLF: still one line on the other side.
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'quick' }] } }, null, 2).replaceAll('\n', '\r\n'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => cleanups.push(() => void socket.destroy()));
  return new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`);
}

describe('slow and odd streams', () => {
  it('assembles an answer trickled a byte at a time, without holding up other answers', async () => {
    const url = await startTrickleServer(3);
    const { client } = await connect(url);
    await client.initialize();
    const slow = client.callTool('trickle');
    const quick = await client.callTool('echo');
    expect(quick).toEqual({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'quick' }] } });
    expect(client.lines.some((line) => line.includes('"id":2'))).toBe(false);
    const answer = await slow;
    expect(answer).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'slow é ✓' }] } });
    // The notification came first, and every line arrived whole.
    const log = client.lines.findIndex((line) => line.includes('notifications/message'));
    expect(log).toBeGreaterThanOrEqual(0);
    expect(log).toBeLessThan(client.lines.findIndex((line) => line.includes('slow é')));
    for (const line of client.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('large answers', () => {
  it('passes a result of almost 64 MiB through as one line', async () => {
    const server = await startFixtureServer();
    cleanups.push(() => server.close());
    const { client } = await connect(server.url);
    await client.initialize();
    const size = 64 * MiB - 4096;
    const answer = await client.callTool('big', { bytes: size }, {});
    const text = (answer.result as { content: Array<{ text: string }> }).content[0]!.text;
    expect(text.length).toBe(size);
    expect(/^x+$/.test(text)).toBe(true);
  }, 60_000);

  it('answers with an error when a result is over the limit, on an SSE stream and as a JSON body', async () => {
    for (const jsonResponse of [false, true]) {
      const server = await startFixtureServer({ jsonResponse });
      cleanups.push(() => server.close());
      const { client } = await connect(server.url, MiB);
      await client.initialize();
      const answer = await client.callTool('big', { bytes: 2 * MiB });
      expect(answer.error).toMatchObject({ code: -32603, data: { mayHaveReachedServer: true } });
      expect((answer.error as { message: string }).message).toContain(`larger than ${MiB} bytes`);
      // The session goes on.
      expect(await client.callTool('echo', { message: 'after' })).toMatchObject({ result: { content: [{ text: 'after' }] } });
    }
  });
});
