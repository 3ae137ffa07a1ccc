/**
 * Live introspection: start a stdio MCP server (as the proxy starts it), list every tool with the
 * SDK client (following pagination), and stop it and whatever it started. Failures become one-line
 * `IntrospectionError`s: a command that does not exist, a server that exits or closes the
 * connection, one that hangs past the timeout, or one that sends something that is not a tool
 * list. The SDK is loaded on first use (it is heavy).
 */
import * as z from 'zod/mini';
import { UserError } from '../errors.js';
import { shellWords } from '../util/shell-words.js';
import { VERSION } from '../version.js';
import { catalogFromListing, listToolsResultSchema, type ListedServer, type ListedTool } from './listing.js';
import type { ServerCatalog } from './types.js';
import { importModule } from '../util/import-module.js';
import { ServerProcess } from '../util/server-process.js';
import { childTransport } from './child-transport.js';
import { startupFailure } from './startup-failure.js';
import { FIRST_MODERN_VERSION, ownRequestMeta, SERVER_INFO_META } from '../util/mcp-era.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export const DEFAULT_INTROSPECTION_TIMEOUT_MS = 30_000;
/** A server that keeps handing out cursors is broken or hostile; stop after this many pages. */
const MAX_PAGES = 1_000;
/** Kept from the server's stderr to explain a failure. */
const STDERR_TAIL_BYTES = 4_096;
const STOP_GRACE_MS = 2_000;

export class IntrospectionError extends UserError {}

export { catalogFromListing, catalogIdFor, summarize, type ListedServer, type ListedTool } from './listing.js';

export interface IntrospectOptions {
  /** Everything (start, initialize, all pages) must finish within this time. */
  timeoutMs?: number;
  /** The server's environment; policylayer passes the user's own environment through. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** The command for messages, quoted as a shell would need it. */
export const displayCommand = shellWords;

function lastLine(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const line = lines[lines.length - 1];
  return line === undefined ? undefined : line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function isZodError(error: unknown): error is z.core.$ZodError {
  return error instanceof Error && (error.name === '$ZodError' || error.name === 'ZodError') && Array.isArray((error as { issues?: unknown }).issues);
}

function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`;
}

/**
 * Starts the server, lists all its tools and stops it. The 2025 handshake first (`initialize`);
 * a server that answers it with -32022 (unsupported protocol version) and offers 2026-07-28 or
 * later is started again and listed in that era: `server/discover`, then `tools/list`, each
 * request with its own `_meta` (no handshake there).
 */
export async function listServerTools(command: readonly string[], options: IntrospectOptions = {}): Promise<ListedServer> {
  try {
    return await withServer(command, options, legacyListing);
  } catch (error) {
    if (!(error instanceof ModernEraOnly)) throw error;
    const version = error.version;
    return withServer(command, options, (session) => modernListing(session, version));
  }
}

/** The server refused the 2025 handshake and offers this 2026-07-28-or-later revision instead. */
class ModernEraOnly extends Error {
  constructor(readonly version: string) {
    super(`the server speaks only protocol ${version}`);
  }
}

interface ServerSession {
  command: readonly string[];
  shown: string;
  timeoutMs: number;
  transport: Transport;
  Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client;
  signal: AbortSignal;
  exited: () => boolean;
  withStderr(message: string): string;
}

/** Starts the server, runs `list` within the timeout, and stops the server (and what it started) whatever happens. */
async function withServer(command: readonly string[], options: IntrospectOptions, list: (session: ServerSession) => Promise<ListedServer>): Promise<ListedServer> {
  const [file, ...args] = command;
  if (file === undefined || file === '') throw new IntrospectionError('no server command given after "--"');
  const shown = displayCommand(command);
  const timeoutMs = options.timeoutMs ?? DEFAULT_INTROSPECTION_TIMEOUT_MS;

  const [{ Client }, framing] = await Promise.all([
    importModule<typeof import('@modelcontextprotocol/sdk/client/index.js')>('@modelcontextprotocol/sdk/client/index.js'),
    importModule<typeof import('@modelcontextprotocol/sdk/shared/stdio.js')>('@modelcontextprotocol/sdk/shared/stdio.js'),
  ]);

  let server: ServerProcess;
  try {
    server = await ServerProcess.start(file, args, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd(), stderr: 'pipe' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IntrospectionError(`cannot start server: command not found: ${file}`);
    if (code === 'EACCES') throw new IntrospectionError(`cannot start server: permission denied: ${file}`);
    throw new IntrospectionError((error as Error).message);
  }
  let stderrTail = '';
  server.stderr?.on('data', (chunk: Buffer | string) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
  });
  const withStderr = (message: string): string => {
    const failure = startupFailure(stderrTail);
    if (failure) return `${message}: ${failure.needs}; its output: ${failure.line}`;
    const line = lastLine(stderrTail);
    return line ? `${message}; its last output: ${line}` : message;
  };

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new IntrospectionError(withStderr(`server \`${shown}\` did not list its tools within ${formatSeconds(timeoutMs)} (raise --timeout if it is slow to start)`)));
    }, timeoutMs);
  });
  const abort = new AbortController();
  const session: ServerSession = {
    command,
    shown,
    timeoutMs,
    transport: childTransport(server, framing),
    Client,
    signal: abort.signal,
    exited: () => server.hasExited,
    withStderr,
  };
  try {
    return await Promise.race([list(session), deadline]);
  } finally {
    clearTimeout(timer);
    abort.abort();
    await stop(server);
  }
}

/** The 2025 era: the SDK client's `initialize`, then every page of `tools/list`. */
async function legacyListing(session: ServerSession): Promise<ListedServer> {
  const { shown, timeoutMs, withStderr } = session;
  let exited = false;
  const client = new session.Client({ name: 'policylayer', version: VERSION }, { capabilities: {} });
  client.onclose = () => {
    exited = true;
  };
  try {
    await client.connect(session.transport, { signal: session.signal, timeout: timeoutMs });
  } catch (error) {
    const modern = modernVersionOffered(error);
    if (modern) throw new ModernEraOnly(modern);
    if (exited || /closed/i.test((error as Error).message)) {
      throw new IntrospectionError(withStderr(`server \`${shown}\` exited before completing the MCP handshake`));
    }
    throw new IntrospectionError(withStderr(`server \`${shown}\` failed the MCP handshake: ${(error as Error).message}`));
  }
  const info = client.getServerVersion();
  const tools = await allPages(session, (cursor) =>
    client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, listToolsResultSchema, { signal: session.signal, timeout: timeoutMs }),
  () => exited);
  const instructions = client.getInstructions();
  return listedServer(session.command, info, instructions, tools);
}

/** The 2026-07-28 era: no handshake; `server/discover` for the server's name, then `tools/list`, each request with its `_meta`. */
async function modernListing(session: ServerSession, version: string): Promise<ListedServer> {
  const meta = ownRequestMeta(version, { name: 'policylayer', version: VERSION });
  const requests = new RawRequests(session.transport, session.signal);
  await session.transport.start();
  let discovered: Record<string, unknown>;
  try {
    discovered = await requests.request('server/discover', { _meta: meta });
  } catch (error) {
    if (session.exited()) throw new IntrospectionError(session.withStderr(`server \`${session.shown}\` exited before answering server/discover`));
    throw new IntrospectionError(session.withStderr(`server \`${session.shown}\` failed server/discover (protocol ${version}): ${(error as Error).message}`));
  }
  const resultMeta = discovered._meta as Record<string, unknown> | undefined;
  const info = resultMeta?.[SERVER_INFO_META] as { name?: unknown; version?: unknown; title?: unknown } | undefined;
  const serverInfo = typeof info?.name === 'string' ? { ...info, name: info.name } : undefined;
  const tools = await allPages(
    session,
    async (cursor) => listToolsResultSchema.parse(await requests.request('tools/list', { ...(cursor === undefined ? {} : { cursor }), _meta: meta })),
    session.exited,
  );
  const instructions = typeof discovered.instructions === 'string' ? discovered.instructions : undefined;
  return listedServer(session.command, serverInfo, instructions, tools);
}

/** Every page of tools/list, in order; a repeated cursor, too many pages or a bad result end it with a clear error. */
async function allPages(session: ServerSession, page: (cursor: string | undefined) => Promise<z.infer<typeof listToolsResultSchema>>, exited: () => boolean): Promise<ListedTool[]> {
  const { shown, withStderr } = session;
  const tools: ListedTool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let count = 0; ; count++) {
    if (count >= MAX_PAGES) throw new IntrospectionError(`server \`${shown}\` returned more than ${MAX_PAGES} pages of tools; giving up`);
    let result: z.infer<typeof listToolsResultSchema>;
    try {
      result = await page(cursor);
    } catch (error) {
      // By name, not `instanceof z.core.$ZodError`: a runtime reference to z.core pulls all of zod's
      // core and locales (~400 KB) into dist/cli.cjs, which every command parses at startup.
      if (isZodError(error)) throw new IntrospectionError(`server \`${shown}\` sent an invalid tools/list result: ${firstIssue(error)}`);
      const rpcCode = (error as { code?: unknown }).code;
      if (rpcCode === -32601) throw new IntrospectionError(`server \`${shown}\` does not offer tools (tools/list: method not found)`);
      if (exited()) throw new IntrospectionError(withStderr(`server \`${shown}\` exited while listing its tools`));
      throw new IntrospectionError(withStderr(`server \`${shown}\` failed to list its tools: ${(error as Error).message}`));
    }
    tools.push(...(result.tools as ListedTool[]));
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
    if (cursors.has(cursor)) throw new IntrospectionError(`server \`${shown}\` repeated the pagination cursor ${JSON.stringify(cursor)}; giving up`);
    cursors.add(cursor);
  }
}

function listedServer(
  command: readonly string[],
  info: { name: string; version?: unknown; title?: unknown } | undefined,
  instructions: string | undefined,
  tools: ListedTool[],
): ListedServer {
  return {
    command: [...command],
    serverInfo: {
      name: info?.name ?? command[0]!,
      ...(typeof info?.version === 'string' && info.version !== '' ? { version: info.version } : {}),
      ...(typeof info?.title === 'string' ? { title: info.title } : {}),
    },
    ...(instructions ? { instructions } : {}),
    tools,
  };
}

/** The 2026-07-28-or-later revision a -32022 (unsupported protocol version) error offers, if any. */
function modernVersionOffered(error: unknown): string | undefined {
  if ((error as { code?: unknown }).code !== -32022) return undefined;
  const supported = ((error as { data?: { supported?: unknown } }).data ?? {}).supported;
  if (!Array.isArray(supported)) return undefined;
  const modern = supported.filter((version): version is string => typeof version === 'string' && version >= FIRST_MODERN_VERSION).sort();
  return modern[modern.length - 1];
}

/** Requests over an SDK transport without the SDK's Protocol (which insists on the 2025 handshake). */
class RawRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly transport: Transport,
    signal: AbortSignal,
  ) {
    transport.onmessage = (message) => {
      const answer = message as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
      const entry = typeof answer.id === 'number' ? this.waiting.get(answer.id) : undefined;
      if (!entry) return;
      this.waiting.delete(answer.id as number);
      if (answer.error) entry.reject(Object.assign(new Error(`MCP error ${String(answer.error.code)}: ${String(answer.error.message)}`), { code: answer.error.code }));
      else if (answer.result !== null && typeof answer.result === 'object') entry.resolve(answer.result as Record<string, unknown>);
      else entry.reject(new Error('the answer has no result object'));
    };
    const fail = (reason: string): void => {
      for (const entry of this.waiting.values()) entry.reject(new Error(reason));
      this.waiting.clear();
    };
    transport.onclose = () => fail('connection closed');
    signal.addEventListener('abort', () => fail('aborted'), { once: true });
  }

  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.transport.send({ jsonrpc: '2.0', id, method, params }).catch(reject);
    });
  }
}

/**
 * Ends the server and whatever it started: its listing is done, so SIGTERM at once (a server still
 * starting or hanging gets no two seconds of grace), SIGKILL after 2 s, and the same for anything
 * left in its process group (a launcher's child, behind `npx`, `uvx` or `sh -c`).
 */
async function stop(server: ServerProcess): Promise<void> {
  server.stdin.end();
  await server.terminate(STOP_GRACE_MS);
  await server.reapGroup(STOP_GRACE_MS);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Starts a server, lists its tools and classifies them. */
export async function introspectServer(command: readonly string[], options: IntrospectOptions = {}): Promise<ServerCatalog> {
  return catalogFromListing(await listServerTools(command, options));
}

