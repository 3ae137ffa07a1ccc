/**
 * The HTTP paths attacked as an attacker would (issue 15's promise on issue 21's transports): every
 * tools/call that reaches the server was decided and audited, hidden tools never reach a client, no
 * argument value lands in the audit log or on stderr. The built binary between real parts: the
 * MCP SDK's Streamable HTTP server (test/helpers/http-fixture-server.ts) upstream, raw HTTP and the
 * SDK's client in front of `--listen`. What each attack found is in docs/dev/http-redteam.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { freePort, startFixtureServer } from '../helpers/http-fixture-server.js';
import { McpProcess } from '../helpers/mcp-stream.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { anyRedis, requireRedisInCi, testRedisUrl, uniquePrefix, withPrefix } from '../helpers/redis.js';

const dir = tempDir('policylayer-redteam-http-');
const cleanups = cleanupsAfterEach();

const POLICY = join(dir, 'policy.json');
// echo is allowed (twice an hour), big is hidden, slow is not listed (default deny).
writeFileSync(POLICY, JSON.stringify({ version: '1', default: 'deny', hide: ['big'], tools: { echo: { limits: [{ counter: 'echo', window: 'hour', max: 2, scope: 'grant' }] } } }));

const SECRET = 'arg-value-7f3a9c-must-not-be-logged';
const TOKEN = 'redteam-token-0123456789abcdef';

function proxy(args: string[], env: Record<string, string> = {}): McpProcess {
  return McpProcess.spawn(process.execPath, [BIN, 'proxy', '--policy', POLICY, ...args], { env, cwd: dir });
}

const auditLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('--upstream: what a refusing server says stays out of the audit log and stderr', () => {
  it('an HTTP 422 that quotes the arguments (FastAPI, gateways) reaches the client, but the audit line and stderr only name the status', async () => {
    const fixture = await startFixtureServer({
      refuse: (message) => {
        const { method, params } = message as { method?: string; params?: { arguments?: { message?: string } } };
        if (method !== 'tools/call' || !params?.arguments?.message?.startsWith('reject')) return undefined;
        // FastAPI's validation error shape: the input is quoted back.
        return { status: 422, body: JSON.stringify({ detail: [{ type: 'string_too_long', loc: ['body', 'params', 'arguments', 'message'], msg: 'too long', input: params.arguments.message }] }) };
      },
    });
    cleanups.push(() => fixture.close());
    const audit = join(dir, 'audit-422.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', fixture.url.href]);
    await proc.initialize();
    const refused = await proc.callTool('echo', { message: `reject ${SECRET}` });
    // The client sent the value; it may read what the server said about it.
    expect(JSON.stringify(refused.error)).toContain('HTTP 422');
    expect(JSON.stringify(refused.error)).toContain(SECRET);
    proc.end();
    await proc.exit();
    const calls = auditLines(audit).filter((line) => line.event === 'call');
    expect(calls.map((line) => `${line.tool} ${line.outcome}`)).toEqual(['echo allow']);
    const results = auditLines(audit).filter((line) => line.event === 'result');
    expect(results).toHaveLength(1);
    expect(String(results[0]!.error)).toMatch(/HTTP 422/);
    expect(readFileSync(audit, 'utf8')).not.toContain(SECRET);
    expect(proc.stderr).not.toContain(SECRET);
  }, 30_000);
});

/**
 * A compromised remote server (plain node:http: it is the attacker) that answers each tools/list
 * with the next trick in `tricks`, each given the request's id as JSON text; the stream always
 * ends with `{}` sent nowhere. tools/call names are recorded.
 */
async function startHostileServer(tricks: Array<(id: string) => string>) {
  const called: string[] = [];
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown; method?: string; params?: { name?: string } };
      const id = JSON.stringify(message.id);
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'hostile-session' });
        return void res.end(`{"jsonrpc":"2.0","id":${id},"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"hostile","version":"1"}}}`);
      }
      if (message.method === 'tools/call') {
        called.push(message.params?.name ?? '?');
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(`{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"ran"}]}}`);
      }
      if (message.method === 'tools/list') {
        const trick = tricks[next++ % tricks.length]!;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void res.end(trick(id));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"jsonrpc":"2.0","id":${id},"result":{}}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`), called };
}

const BIG = '{"name":"big","inputSchema":{"type":"object"}}';
const ECHO = '{"name":"echo","inputSchema":{"type":"object"}}';
const tools = (...list: string[]) => `{"tools":[${list.join(',')}]}`;

describe('--upstream: a key in the URL stays out of the audit log and stderr', () => {
  it('the query values are masked wherever the proxy names the server; the server still gets them', async () => {
    const fixture = await startFixtureServer();
    cleanups.push(() => fixture.close());
    const key = 'url-key-5d1e0b-must-not-be-logged';
    const upstream = new URL(fixture.url);
    upstream.search = `?api_key=${key}&profile=work`;
    const audit = join(dir, 'audit-url-key.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', upstream.href]);
    await proc.initialize();
    expect((await proc.callTool('echo', { message: 'ok' })).result).toBeDefined();
    proc.end();
    await proc.exit();
    expect(auditLines(audit)[0]).toMatchObject({ event: 'start', server: [`${fixture.url.href}?api_key=…&profile=…`] });
    expect(readFileSync(audit, 'utf8')).not.toContain(key);
    expect(proc.stderr).not.toContain(key);
    expect(proc.stderr).toContain('?api_key=…');
    expect(fixture.requests.every((request) => request.url === `/mcp?api_key=${key}&profile=work`)).toBe(true);
    // A server that cannot be reached is named the same way.
    const down = proxy(['--upstream', `http://127.0.0.1:${await freePort()}/mcp?api_key=${key}`]);
    expect((await down.exit()).code).toBe(2);
    expect(down.stderr).not.toContain(key);
  }, 30_000);
});

describe('--upstream: redirects', () => {
  it('a server that starts redirecting calls to another origin: nothing of the call (body, Authorization) goes there; the call fails naming the target', async () => {
    const elsewhere = await startFixtureServer();
    cleanups.push(() => elsewhere.close());
    let redirect: string | undefined;
    const fixture = await startFixtureServer({
      intercept: (req, res) => {
        if (!redirect || req.method !== 'POST') return false;
        res.writeHead(307, { location: redirect }).end();
        return true;
      },
    });
    cleanups.push(() => fixture.close());
    const audit = join(dir, 'audit-redirect.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', fixture.url.href, '--header', 'Authorization: Bearer ${REMOTE_TOKEN}'], { REMOTE_TOKEN: 'redirect-secret-token' });
    await proc.initialize();
    expect((await proc.callTool('echo', { message: 'before' })).result).toBeDefined();
    redirect = elsewhere.url.href;
    const answer = await proc.callTool('echo', { message: SECRET });
    expect(JSON.stringify(answer.error)).toContain(`it redirects to ${elsewhere.url.href}, which is not followed`);
    proc.end();
    await proc.exit();
    expect(elsewhere.requests).toEqual([]);
    const results = auditLines(audit).filter((line) => line.event === 'result');
    expect(results.map((line) => line.ending)).toEqual(['result', 'not-forwarded']);
  }, 30_000);
});

describe('--upstream over HTTP+SSE: the endpoint event', () => {
  it('an endpoint on another origin (written protocol-relative) is refused at start; nothing is posted there', async () => {
    const elsewhere = await startFixtureServer();
    cleanups.push(() => elsewhere.close());
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: endpoint\ndata: //${elsewhere.url.host}/mcp?sessionId=1\n\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const proc = proxy(['--transport', 'sse', '--upstream', `http://127.0.0.1:${(server.address() as { port: number }).port}/sse`, '--header', 'Authorization: Bearer sse-secret-token']);
    expect((await proc.exit()).code).toBe(2);
    expect(proc.stderr).toContain(`the server named an endpoint on another origin (${elsewhere.url.origin})`);
    expect(elsewhere.requests).toEqual([]);
  }, 30_000);
});

describe('--upstream: a compromised server cannot show a hidden tool', () => {
  it('whatever the shape of its tools/list answer on the event stream', async () => {
    const tricks: Array<[string, (id: string) => string]> = [
      ['data split over lines, with id and retry fields, CRLF', (id) => `id: 7\r\nretry: 5\r\ndata: {"jsonrpc":"2.0","id":${id},\r\ndata: "result":${tools(BIG, ECHO)}}\r\n\r\n`],
      ['CR line ends', (id) => `data: {"jsonrpc":"2.0",\rdata: "id":${id},"result":${tools(ECHO, BIG)}}\r\r`],
      ['a batch with an unasked answer first', (id) => `data: [{"jsonrpc":"2.0","id":999,"result":${tools(BIG)}},{"jsonrpc":"2.0","id":${id},"result":${tools(BIG, ECHO)}}]\n\n`],
      ['an answer to an id never asked, then the real one', (id) => `data: {"jsonrpc":"2.0","id":"never-asked","result":${tools(BIG)}}\n\ndata: {"jsonrpc":"2.0","id":${id},"result":${tools(ECHO)}}\n\n`],
      ['result twice', (id) => `data: {"jsonrpc":"2.0","id":${id},"result":${tools(ECHO)},"result":${tools(BIG)}}\n\n`],
      ['Result beside result', (id) => `data: {"jsonrpc":"2.0","id":${id},"result":${tools(ECHO)},"Result":${tools(BIG)}}\n\n`],
      ['a tool whose name is given twice', (id) => `data: {"jsonrpc":"2.0","id":${id},"result":${tools('{"name":"echo","name":"big","inputSchema":{"type":"object"}}', ECHO)}}\n\n`],
      ['an escaped name', (id) => `data: {"jsonrpc":"2.0","id":${id},"result":${tools('{"name":"b\\u0069g","inputSchema":{"type":"object"}}', ECHO)}}\n\n`],
      ['one answer cut across two events, then the real one', (id) => `data: {"jsonrpc":"2.0","id":${id},"result":{"tools":[${BIG}\n\ndata: ,${ECHO}]}}\n\ndata: {"jsonrpc":"2.0","id":${id},"result":${tools(ECHO)}}\n\n`],
      ['an event type the client does not read as a message', (id) => `event: other\ndata: {"jsonrpc":"2.0","id":${id},"result":${tools(BIG)}}\n\ndata: {"jsonrpc":"2.0","id":${id},"result":${tools(ECHO)}}\n\n`],
    ];
    const hostile = await startHostileServer(tricks.map(([, trick]) => trick));
    const audit = join(dir, 'audit-hostile.jsonl');
    const proc = proxy(['--audit', audit, '--upstream', hostile.url.href]);
    await proc.initialize();
    const outcomes: string[] = [];
    for (const [label] of tricks) {
      const answer = (await proc.request('tools/list', {}, 10_000)) as { result?: { tools?: Array<{ name: string }> }; error?: { message: string } };
      outcomes.push(answer.result ? `${label}: ${answer.result.tools?.map((tool) => tool.name).join(',')}` : `${label}: error`);
    }
    // Each answer reaches the client filtered, or not at all (an error when the proxy cannot read it as every client would).
    expect(outcomes).toEqual([
      'data split over lines, with id and retry fields, CRLF: echo',
      'CR line ends: echo',
      'a batch with an unasked answer first: echo',
      'an answer to an id never asked, then the real one: echo',
      'result twice: error',
      'Result beside result: error',
      'a tool whose name is given twice: echo',
      'an escaped name: echo',
      'one answer cut across two events, then the real one: error',
      'an event type the client does not read as a message: echo',
    ]);
    // No line the client got names it, escaped or not.
    for (const line of proc.lines) {
      expect(line).not.toMatch(/"b(?:i|\\u0069)g"/);
    }
    expect(await proc.callTool('big', { bytes: 1 })).toMatchObject({ result: { isError: true } });
    proc.end();
    await proc.exit();
    expect(hostile.called).toEqual([]);
    expect((await verifyAuditLog(audit)).problem).toBeUndefined();
  }, 60_000);
});

describe('--upstream: answers batched with the transport\'s own', () => {
  it('a server that batches the answer to a renewed session\'s initialize with the answer to a call in flight: the call is still answered', async () => {
    const held: ServerResponse[] = [];
    const server = createServer((req, res) => {
      if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string | number; method?: string };
        const session = req.headers['mcp-session-id'];
        if (message.id === undefined) return void res.writeHead(202).end();
        const init = (id: string | number) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"batcher","version":"1"}}}`;
        if (message.method === 'initialize' && session === undefined) {
          const renewal = typeof message.id === 'string' && message.id.startsWith('policylayer-');
          res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': renewal ? 'B' : 'A' });
          // On renewal: the answer to the call held on session A rides along.
          return void res.end(renewal ? `[${init(message.id)},{"jsonrpc":"2.0","id":"held-call","result":{"content":[{"type":"text","text":"batched"}]}}]` : init(message.id!));
        }
        if (message.method === 'tools/call') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          return void held.push(res);
        }
        if (session === 'A') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":{"tools":[]}}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const proc = proxy(['--upstream', `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`]);
    await proc.initialize();
    proc.send({ jsonrpc: '2.0', id: 'held-call', method: 'tools/call', params: { name: 'echo', arguments: { message: 'x' } } });
    await until(() => (held.length > 0 ? true : undefined));
    // A tools/list on the old session: 404, the transport renews the session and retries it.
    const listed = await proc.request('tools/list', {}, 10_000);
    expect(listed.result).toEqual({ tools: [] });
    for (const res of held) res.end();
    const answer = await proc.response('held-call', 5_000);
    expect(JSON.stringify(answer.message)).toContain('batched');
    proc.end();
    await proc.exit();
  }, 30_000);
});

describe('--listen: raw request bodies an attacker may send', () => {
  async function listening(server?: { policy: string; command: string[] }) {
    const fixture = await startFixtureServer();
    cleanups.push(() => fixture.close());
    const port = await freePort();
    const audit = join(dir, `audit-listen-${port}.jsonl`);
    const upstream = server ? ['--', ...server.command] : ['--upstream', fixture.url.href];
    const proc = McpProcess.spawn(process.execPath, [BIN, 'proxy', '--policy', server?.policy ?? POLICY, '--audit', audit, '--listen', `127.0.0.1:${port}`, ...upstream], { env: { POLICYLAYER_AUTH_TOKEN: TOKEN }, cwd: dir });
    await until(() => (proc.stderr.includes('listening on') ? true : undefined));
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    const post = async (body: string | Buffer, headers: Record<string, string> = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body,
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    // With a BOM, as the session's later bodies may have one.
    const init = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }))]));
    expect(init.status).toBe(200);
    const session = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
    expect((await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', session)).status).toBe(202);
    return { fixture, proc, audit, post: (body: string | Buffer, headers: Record<string, string> = {}) => post(body, { ...session, ...headers }) };
  }

  it('a denied call hidden in a batch among notifications, duplicate member names, a BOM: each decided on what the server gets', async () => {
    const { fixture, proc, audit, post } = await listening();
    const call = (id: number, name: string, args: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    const note = '{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}';

    const batch = await post(`[${note},${call(1, 'big', { bytes: 5 })},${note}]`);
    expect(batch.text).toContain('[POLICY DENIED]');
    // The last of two members wins in the listener's JSON.parse, and the proxy decides on what it re-serialised.
    const methodTwice = await post(`{"jsonrpc":"2.0","id":2,"method":"ping","method":"tools/call","params":{"name":"big","arguments":{"bytes":5}}}`);
    expect(methodTwice.text).toContain('[POLICY DENIED]');
    const nameTwice = await post(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","name":"big","arguments":{"bytes":5}}}`);
    expect(nameTwice.text).toContain('[POLICY DENIED]');
    const bom = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(call(4, 'slow', { ms: 1 }))]));
    expect(bom.text).toContain('[POLICY DENIED]');
    // Bodies the listener cannot read as UTF-8 JSON are refused before the proxy sees them.
    expect((await post(Buffer.from(call(5, 'big', { bytes: 5 }), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' })).status).toBe(400);
    expect((await post(gzipSync(call(6, 'big', { bytes: 5 })), { 'content-encoding': 'gzip' })).status).toBe(400);
    // Allowed calls still pass, and the budget holds across the tricks: two echoes, then a denial.
    const allowed = await post(`[${note},${call(7, 'echo', { message: 'a' })},${call(8, 'echo', { message: 'b' })}]`);
    expect(allowed.text).not.toContain('[POLICY DENIED]');
    const third = await post(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"slow","name":"echo","arguments":{"message":"c"}}}`);
    expect(third.text).toContain('[POLICY DENIED]');

    proc.child.kill('SIGTERM');
    await proc.exit();
    expect(fixture.calls.get('big')).toBeUndefined();
    expect(fixture.calls.get('slow')).toBeUndefined();
    expect(fixture.calls.get('echo')).toBe(2);
    const calls = auditLines(audit).filter((line) => line.event === 'call');
    expect(calls.map((line) => `${line.tool} ${line.outcome}`)).toEqual(['big deny', 'big deny', 'big deny', 'slow deny', 'echo allow', 'echo allow', 'echo deny']);
    expect((await verifyAuditLog(audit)).problem).toBeUndefined();
  }, 60_000);

  it('a Python server behind the listener runs only what the policy allowed and the audit log shows', async () => {
    const policy = join(dir, 'python-policy.json');
    writeFileSync(policy, JSON.stringify({ version: '1', default: 'deny', hide: ['delete_everything'], tools: { list_nodes: {} } }));
    const log = join(dir, 'python-executed.jsonl');
    const { proc, audit, post } = await listening({ policy, command: ['python3', resolve(ROOT, 'fixtures/servers/readers/python_sdk_reader.py'), '--log', log] });
    const attempts = [
      // "Name" beside "name": pydantic's lax readers may take either.
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_nodes","Name":"execute_python_code","arguments":{"code":"1"}}}',
      '{"jsonrpc":"2.0","id":2,"method":"tools\\u002fcall","params":{"name":"execute_python_code","arguments":{"code":"2"}}}',
      '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_nodes","arguments":{},"name":"delete_everything"}}',
      // The same id twice in one batch: the second is refused while the first is in flight.
      '[{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_nodes","arguments":{}}},{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"4"}}}]',
      '{"jsonrpc":"2.0","id":5.0,"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"5"}}}',
    ];
    for (const body of attempts) await post(body);
    proc.child.kill('SIGTERM');
    await proc.exit();
    const executed = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { tool: string; id: unknown }) : [];
    const allowed = auditLines(audit).filter((line) => line.event === 'call' && line.outcome === 'allow');
    expect(executed.map((call) => `${String(call.id)} ${call.tool}`)).toEqual(allowed.map((line) => `${String(line.request_id)} ${String(line.tool)}`));
    expect(executed.every((call) => call.tool === 'list_nodes')).toBe(true);
    expect(executed.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('--listen: many clients at once spend one budget', () => {
  requireRedisInCi(false);
  for (const store of ['memory', 'redis'] as const) {
    it.runIf(store === 'memory' || anyRedis.ok)(`18 calls at once from 6 sessions of one grant: exactly the 2 the limit allows reach the server (--state ${store})`, async () => {
      const fixture = await startFixtureServer();
      cleanups.push(() => fixture.close());
      const redis = store === 'redis' ? await testRedisUrl() : undefined;
      if (redis) cleanups.push(() => redis.stop());
      const port = await freePort();
      const audit = join(dir, `audit-race-${store}.jsonl`);
      const state = redis ? ['--state', withPrefix(redis.url, uniquePrefix())] : [];
      const proc = proxy(['--audit', audit, ...state, '--listen', `127.0.0.1:${port}`, '--upstream', fixture.url.href], { POLICYLAYER_AUTH_TOKEN: TOKEN });
      await until(() => (proc.stderr.includes('listening on') ? true : undefined));
      const url = new URL(`http://127.0.0.1:${port}/mcp`);
      const clients = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const client = new Client({ name: 'race', version: '1' });
          await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
          cleanups.push(() => client.close().catch(() => {}));
          return client;
        }),
      );
      const results = await Promise.all(clients.flatMap((client) => [1, 2, 3].map(() => client.callTool({ name: 'echo', arguments: { message: 'x' } }))));
      expect(results.filter((result) => result.isError !== true)).toHaveLength(2);
      proc.child.kill('SIGTERM');
      await proc.exit();
      expect(fixture.calls.get('echo')).toBe(2);
      const calls = auditLines(audit).filter((line) => line.event === 'call');
      expect(calls.filter((line) => line.outcome === 'allow')).toHaveLength(2);
      expect(calls).toHaveLength(18);
    }, 60_000);
  }
});
