// A lean Streamable HTTP MCP server for the upstream benchmark, in its own process: the SDK's
// McpServer and StreamableHTTPServerTransport (SSE answers, sessions) on 127.0.0.1, with `echo`
// and `big` (a text of the given size). Prints "PORT <n>" when it listens.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const transports = new Map();

function mcpServer() {
  const server = new McpServer({ name: 'bench-http', version: '1.0.0' });
  server.registerTool('echo', { description: 'echo', inputSchema: { message: z.string() } }, async ({ message }) => ({ content: [{ type: 'text', text: message }] }));
  server.registerTool('big', { description: 'big', inputSchema: { bytes: z.number().int() } }, async ({ bytes }) => ({ content: [{ type: 'text', text: 'x'.repeat(bytes) }] }));
  return server;
}

const http = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  if (typeof id === 'string') {
    const transport = transports.get(id);
    if (!transport) return void res.writeHead(404).end();
    return transport.handleRequest(req, res);
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    maxRequestBodySize: 128 * 1024 * 1024,
    onsessioninitialized: (sessionId) => transports.set(sessionId, transport),
    onsessionclosed: (sessionId) => transports.delete(sessionId),
  });
  await mcpServer().connect(transport);
  await transport.handleRequest(req, res);
});
http.keepAliveTimeout = 60_000;
http.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${http.address().port}\n`));
