/**
 * `--listen`: the proxy as a Streamable HTTP server at `/mcp`, for clients that speak HTTP. Each
 * client session is handed to the proxy as a pair of line streams (`ListenSession`: the client's
 * messages in, the proxy's out), exactly what it reads and writes on stdio, so one policy, audit
 * and set of limits can serve many clients. The MCP SDK's StreamableHTTPServerTransport does the
 * protocol per session (Accept and Content-Type checks, SSE framing, keep-alives, session ids,
 * DELETE); this module adds what it leaves to the application: the bind, the bearer token, the
 * Host and Origin checks, session routing (an unknown session is 404, as the spec says), limits,
 * and per-session grants from a header.
 *
 * Routing of the proxy's lines back to the client: a response goes to the stream of its request;
 * a progress notification to the stream of the request that carried its token; anything else
 * (server requests such as sampling, elicitation for approval, logging, list_changed) to the
 * newest request still open, else to the session's GET stream. A line does not say which request
 * it belongs to, and a client without a GET stream would otherwise never see it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readBody } from './http-request.js';
import { bearerMatches, checkBind, checkToken, grantFromHeader, hostAllowed, isLoopbackHost, originAllowed } from './listen-guards.js';
import { LineReadable, LineWritable } from './line-streams.js';
import { idKeyOf } from './upstream.js';

const MCP_PATH = '/mcp';
const DEFAULT_MAX_SESSIONS = 64;
const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export interface ListenOptions {
  host: string;
  /** 0: any free port (read it from `url`). */
  port: number;
  /** A bearer token every request must carry, or 'none' (`--no-auth`, loopback only). */
  auth: { token: string } | 'none';
  /** Bind a non-loopback address (`--allow-remote`). */
  allowRemote?: boolean;
  /** Browser origins allowed besides loopback ones (exact `scheme://host:port`). */
  allowedOrigins?: string[];
  /** `--grant-from-header NAME`: each session's grant is this header's value on its `initialize`. */
  grantHeader?: string;
  maxSessions?: number;
  /** A session with no request and no open stream for this long is closed. */
  idleTimeoutMs?: number;
  maxRequestBytes?: number;
  /** Called once per new session, before its `initialize` is read from `input`. */
  onSession: (session: ListenSession) => void;
  log?: (message: string) => void;
}

export interface ListenSession {
  readonly id: string;
  /** From `--grant-from-header`, if configured. */
  readonly grant: string | undefined;
  /** The client's messages, one line each. */
  readonly input: Readable;
  /** The proxy's messages for the client, one line each. */
  readonly output: Writable;
  /** Settles with the reason once the session is over (client DELETE, idle, listener closed, `close`). */
  readonly closed: Promise<string>;
  /** Ends the session: its streams close and the client gets 404 for it from now on. */
  close(reason: string): void;
  /** Answers every request of the client still open with a JSON-RPC error, then closes (e.g. the server could not start). */
  fail(message: string): void;
}

export class HttpListener {
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<Socket>();
  private readonly loopback: boolean;
  private readonly log: (message: string) => void;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: ListenOptions,
  ) {
    this.loopback = isLoopbackHost(options.host);
    this.log = options.log ?? ((message: string) => process.stderr.write(`policylayer proxy: ${message}\n`));
    server.on('request', (req, res) => {
      this.handle(req, res).catch((error: Error) => {
        this.log(`listener: ${error.message}`);
        if (!res.headersSent) reply(res, 500, -32603, 'Internal error');
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Checks the options (ListenRefused with one line), binds, and serves. */
  static async start(options: ListenOptions): Promise<HttpListener> {
    if (options.auth !== 'none') checkToken(options.auth.token);
    checkBind(options.host, { allowRemote: options.allowRemote ?? false, authenticated: options.auth !== 'none' });
    const server = createServer();
    const listener = new HttpListener(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    listener.port = (server.address() as { port: number }).port;
    return listener;
  }

  get url(): URL {
    const url = new URL(MCP_PATH, 'http://localhost');
    url.hostname = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    url.port = String(this.port);
    return url;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Closes every session (their inputs end), then stops listening. */
  async close(): Promise<void> {
    for (const session of [...this.sessions.values()]) session.close('the listener closed');
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (!hostAllowed(req.headers.host, this.port, this.loopback)) return reply(res, 403, -32000, 'Forbidden: Host is not this loopback server (DNS rebinding protection)');
    if (!originAllowed(origin, this.options.allowedOrigins ?? [])) return reply(res, 403, -32000, 'Forbidden: Origin not allowed');
    if (origin) corsHeaders(res, origin, this.options.grantHeader);
    const path = new URL(req.url ?? '/', 'http://listener').pathname;
    if (path !== MCP_PATH) return reply(res, 404, -32601, `Not found: the MCP endpoint is ${MCP_PATH}`);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (this.options.auth !== 'none' && !bearerMatches(req.headers.authorization, this.options.auth.token)) {
      res.setHeader('www-authenticate', 'Bearer realm="policylayer"');
      return reply(res, 401, -32000, 'Unauthorized: this proxy needs its bearer token (--auth-token or POLICYLAYER_AUTH_TOKEN)');
    }

    const sessionHeader = req.headers['mcp-session-id'];
    if (typeof sessionHeader === 'string') {
      const session = this.sessions.get(sessionHeader);
      if (!session) return reply(res, 404, -32001, 'Session not found');
      if (this.options.grantHeader && grantFromHeader(req.headers[this.options.grantHeader.toLowerCase()]) !== session.grant) {
        return reply(res, 403, -32000, `Forbidden: ${this.options.grantHeader} differs from the one this session started with`);
      }
      return session.handle(req, res);
    }
    if (req.method !== 'POST') return reply(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');

    // No session yet: only an initialize may open one.
    const body = await readBody(req, this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES).catch(() => null);
    if (body === undefined) return reply(res, 413, -32000, 'Payload Too Large');
    let parsed: unknown;
    try {
      // Decoded as the SDK's transport decodes the session's later bodies (a BOM dropped).
      parsed = JSON.parse(body ? new TextDecoder().decode(body) : '');
    } catch {
      return reply(res, 400, -32700, 'Parse error');
    }
    if (!isInitializeRequest(parsed)) return reply(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
    let grant: string | undefined;
    if (this.options.grantHeader) {
      grant = grantFromHeader(req.headers[this.options.grantHeader.toLowerCase()]);
      if (grant === undefined) return reply(res, 400, -32000, `Bad Request: header ${this.options.grantHeader} is required (1-128 visible ASCII characters): it names this client's grant`);
    }
    if (this.sessions.size >= (this.options.maxSessions ?? DEFAULT_MAX_SESSIONS)) return reply(res, 503, -32000, 'Service Unavailable: too many sessions');
    const session = new Session(grant, this.options, this.log, (id) => this.sessions.delete(id));
    session.onInitialized = (id) => {
      this.sessions.set(id, session);
      this.options.onSession(session);
    };
    await session.handle(req, res, parsed);
  }
}

class Session implements ListenSession {
  id = '';
  readonly input = new LineReadable();
  readonly output: LineWritable;
  readonly closed: Promise<string>;
  onInitialized: (id: string) => void = () => {};

  private readonly transport: StreamableHTTPServerTransport;
  private resolveClosed!: (reason: string) => void;
  private ended = false;
  /** Client requests without an answer yet, newest last (for routing lines that name no request). */
  private readonly open = new Map<string, string | number>();
  private readonly progressTokens = new Map<string, string | number>();
  private getStreams = 0;
  private activeRequests = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly grant: string | undefined,
    private readonly options: ListenOptions,
    private readonly log: (message: string) => void,
    private readonly forget: (id: string) => void,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.output = new LineWritable(
      (line) => void this.toClient(line),
      () => this.close('the proxy ended the session'),
    );
    this.output.on('error', () => {});
    this.transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
      onsessioninitialized: (id) => {
        this.id = id;
        this.onInitialized(id);
      },
    });
    this.transport.onmessage = (message) => this.fromClient(message);
    this.transport.onclose = () => this.finish('the client ended the session');
    this.transport.onerror = () => {};
    void this.transport.start();
  }

  async handle(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void> {
    this.activeRequests++;
    this.touch();
    const isGet = req.method === 'GET';
    if (isGet) this.getStreams++;
    res.once('close', () => {
      this.activeRequests--;
      if (isGet) this.getStreams--;
      this.touch();
    });
    await this.transport.handleRequest(req, res, parsedBody);
  }

  close(reason: string): void {
    if (this.ended) return;
    void this.transport.close();
    this.finish(reason);
  }

  fail(message: string): void {
    for (const id of [...this.open.values()]) void this.transport.send({ jsonrpc: '2.0', id, error: { code: -32603, message } }).catch(() => {});
    this.open.clear();
    this.close(message);
  }

  private finish(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    if (this.id) this.forget(this.id);
    this.input.finish();
    this.resolveClosed(reason);
  }

  /** Restarts the idle clock while nothing is open. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.ended || this.activeRequests > 0) return;
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    this.idleTimer = setTimeout(() => this.close(`no request for ${Math.round(idleMs / 1000)} s`), idleMs);
    this.idleTimer.unref();
  }

  private fromClient(message: JSONRPCMessage): void {
    if ('method' in message && 'id' in message) {
      this.open.set(idKeyOf(message.id), message.id);
      const token = (message.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') this.progressTokens.set(idKeyOf(token), message.id);
    }
    void this.input.pushLine(Buffer.from(JSON.stringify(message)));
  }

  private async toClient(line: Buffer): Promise<void> {
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(line.toString('utf8')) as JSONRPCMessage;
    } catch {
      this.log('listener: dropped a line from the proxy that is not JSON');
      return;
    }
    let relatedRequestId: string | number | undefined;
    if (('result' in message || 'error' in message) && 'id' in message) {
      const key = idKeyOf(message.id as string | number);
      this.open.delete(key);
      for (const [token, id] of this.progressTokens) if (idKeyOf(id) === key) this.progressTokens.delete(token);
    } else if ('method' in message && message.method === 'notifications/progress') {
      const token = (message.params as { progressToken?: unknown } | undefined)?.progressToken;
      relatedRequestId = typeof token === 'string' || typeof token === 'number' ? this.progressTokens.get(idKeyOf(token)) : undefined;
    } else if (this.getStreams === 0) relatedRequestId = [...this.open.values()].at(-1);
    try {
      await this.transport.send(message, relatedRequestId === undefined ? undefined : { relatedRequestId });
    } catch (error) {
      // The client went away from that request (its stream closed without resumability).
      this.log(`listener: could not deliver a message to session ${this.id}: ${(error as Error).message}`);
    }
  }
}

function reply(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** Browser clients: allow the MCP headers in, and let scripts read the session id. */
function corsHeaders(res: ServerResponse, origin: string, grantHeader: string | undefined): void {
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader('access-control-allow-headers', `authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id${grantHeader ? `, ${grantHeader.toLowerCase()}` : ''}`);
  res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version');
}
