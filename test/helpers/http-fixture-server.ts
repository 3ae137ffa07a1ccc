/**
 * A real MCP server over Streamable HTTP for transport tests: the SDK's McpServer and
 * StreamableHTTPServerTransport on node:http at 127.0.0.1:0, with a few tools that exercise the
 * protocol (progress, sampling, elicitation, list_changed, large results, calls that never end) and
 * handles to break it on purpose: drop every connection, forget every session, require a token,
 * stop. Session routing follows the spec (an unknown session is 404), unlike server-everything (400).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport, type EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface FixtureOptions {
  /** Resumable streams (priming event ids, GET + Last-Event-ID). */
  eventStore?: boolean;
  /** Answer with one JSON body instead of an SSE stream. */
  jsonResponse?: boolean;
  /** Checks the Authorization header; a non-ok answer is sent as is (e.g. 401 with WWW-Authenticate). */
  authorize?: (req: IncomingMessage) => Refusal | undefined | Promise<Refusal | undefined>;
  /** Handle a request before the MCP routing (return true when answered). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * Reads each POST of a session first: an answer returned here is sent instead of the MCP one
   * (e.g. a gateway's 422 that quotes the request); otherwise the SDK transport gets the parsed body.
   */
  refuse?: (message: unknown) => { status: number; body: string } | undefined;
  path?: string;
}

export interface Refusal {
  status: number;
  headers?: Record<string, string>;
}

export interface FixtureServer {
  url: URL;
  /** Tool calls received, per tool. */
  calls: Map<string, number>;
  /** Every HTTP request: method and headers (lower-case names). */
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
  sessionCount(): number;
  /** Destroys every open connection; the server keeps listening. */
  dropConnections(): void;
  /** Forgets every session: the next request naming one gets 404. */
  expireSessions(): void;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

class MemoryEventStore implements EventStore {
  private readonly events = new Map<string, { streamId: string; message: JSONRPCMessage }>();
  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${randomUUID()}`;
    this.events.set(id, { streamId, message });
    return id;
  }
  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.get(eventId)?.streamId;
  }
  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const streamId = this.events.get(lastEventId)?.streamId;
    if (!streamId) return '';
    let found = false;
    for (const [id, event] of this.events) {
      if (event.streamId !== streamId) continue;
      if (found && Object.keys(event.message).length > 0) await send(id, event.message);
      if (id === lastEventId) found = true;
    }
    return streamId;
  }
}

function buildServer(calls: Map<string, number>): McpServer {
  const server = new McpServer({ name: 'fixture', version: '1.0.0' }, { capabilities: { logging: {} } });
  const count = (name: string): void => void calls.set(name, (calls.get(name) ?? 0) + 1);
  server.registerTool('echo', { description: 'Echoes the message', inputSchema: { message: z.string() } }, async ({ message }) => {
    count('echo');
    return { content: [{ type: 'text', text: message }] };
  });
  server.registerTool('big', { description: 'Returns a text of the given size', inputSchema: { bytes: z.number().int() } }, async ({ bytes }) => {
    count('big');
    return { content: [{ type: 'text', text: 'x'.repeat(bytes) }] };
  });
  server.registerTool('slow', { description: 'Takes ms milliseconds, with progress', inputSchema: { ms: z.number().int() } }, async ({ ms }, extra) => {
    count('slow');
    const token = extra._meta?.progressToken;
    const steps = 4;
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, ms / steps));
      if (extra.signal.aborted) throw new Error('aborted');
      if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps } });
    }
    return { content: [{ type: 'text', text: `slept ${ms}` }] };
  });
  server.registerTool('hang', { description: 'Never answers' }, async (extra) => {
    count('hang');
    await new Promise((resolve) => extra.signal.addEventListener('abort', resolve));
    return { content: [{ type: 'text', text: 'aborted' }] };
  });
  server.registerTool('sample', { description: 'Asks the client to sample', inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    count('sample');
    const result = await server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 10 }, { relatedRequestId: extra.requestId });
    return { content: [{ type: 'text', text: `sampled: ${result.content.type === 'text' ? result.content.text : '?'}` }] };
  });
  server.registerTool('elicit', { description: 'Asks the user' }, async (extra) => {
    count('elicit');
    const result = await server.server.elicitInput(
      { message: 'Proceed?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } },
      { relatedRequestId: extra.requestId },
    );
    return { content: [{ type: 'text', text: `elicited: ${result.action}` }] };
  });
  server.registerTool('announce', { description: 'Sends tools/list_changed and a log message on the GET stream' }, async () => {
    count('announce');
    server.sendToolListChanged();
    await server.server.sendLoggingMessage({ level: 'info', data: 'announced' });
    return { content: [{ type: 'text', text: 'announced' }] };
  });
  return server;
}

export async function startFixtureServer(options: FixtureOptions = {}): Promise<FixtureServer> {
  const path = options.path ?? '/mcp';
  const calls = new Map<string, number>();
  const requests: FixtureServer['requests'] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (options.intercept?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== path) {
      res.writeHead(404).end('not found');
      return;
    }
    const refusal = await options.authorize?.(req);
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers }).end(JSON.stringify({ error: 'invalid_token', error_description: 'no valid token' }));
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = transports.get(sessionId);
      if (!transport) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      if (options.refuse && req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const refusal = options.refuse(parsed);
        if (refusal) {
          res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(refusal.body);
          return;
        }
        await transport.handleRequest(req, res, parsed);
        return;
      }
      await transport.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: no session' }, id: null }));
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.jsonResponse ?? false,
      ...(options.eventStore ? { eventStore: new MemoryEventStore() } : {}),
      maxRequestBodySize: 80 * 1024 * 1024,
      onsessioninitialized: (id) => void transports.set(id, transport),
      onsessionclosed: (id) => void transports.delete(id),
    });
    await buildServer(calls).connect(transport);
    await transport.handleRequest(req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    url: new URL(`http://127.0.0.1:${port}${path}`),
    calls,
    requests,
    sessionCount: () => transports.size,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    expireSessions: () => {
      for (const transport of transports.values()) void transport.close();
      transports.clear();
    },
    close: async () => {
      for (const transport of transports.values()) void transport.close();
      transports.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A port nothing listens on (bound and released at once). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
