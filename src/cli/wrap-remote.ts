/**
 * The tools a remote server lists now, for the policy wrap creates before it puts the proxy in
 * front of the server (and for `doctor --start`). It connects the way the wrapped proxy will: the
 * proxy's own HTTP upstream (Streamable HTTP, HTTP+SSE when the server offers only that, the same
 * checks of the URL and headers), with the entry's headers, and with the OAuth tokens policylayer
 * keeps for this server (src/transport/oauth/), the ones the wrapped proxy will use.
 *
 * A server that asks for a sign-in is not guessed at: without `--sign-in` wrap never opens a
 * browser; it uses tokens already stored (refreshed ahead of expiry when it can) and otherwise
 * reports SignInNeeded, and the entry is skipped with what to do.
 */
import type { ListedServer, ListedTool } from '../catalog/listing.js';
import { UserError } from '../errors.js';
import type { UpstreamAuth } from '../transport/auth.js';
import type { Upstream } from '../transport/upstream.js';
import { importModule } from '../util/import-module.js';
import type { ServerProcess } from '../util/server-process.js';
import { VERSION } from '../version.js';
import type { Io } from '../output/io.js';
import { homeOf } from './wrap-context.js';

export interface RemoteTarget {
  /** The client's variables already expanded. */
  url: string;
  headers: Array<{ name: string; value: string }>;
  transport: 'auto' | 'sse';
}

/** The server wants a sign-in (HTTP 401) and no stored token is accepted. */
export class SignInNeeded extends UserError {}

const MAX_PAGES = 1_000;

export async function listRemoteTools(io: Io, target: RemoteTarget, options: { timeoutMs: number; signIn?: boolean | undefined }): Promise<ListedServer> {
  const { remoteFromOptions } = await import('../transport/options.js');
  const plan = remoteFromOptions(
    {
      upstream: target.url,
      header: target.headers.map(({ name, value }) => `${name}: ${value}`),
      transport: target.transport,
      allowHttp: true,
      oauth: true,
      browser: true,
      auth: true,
    },
    [],
    io.env,
  ).upstream;
  if (plan.kind !== 'http') throw new UserError(`${target.url}: not a remote server`);
  const log: string[] = [];
  let refused = false;
  let auth: UpstreamAuth | undefined;
  if (plan.oauth) {
    const { OAuthAuth } = await import('../transport/oauth/oauth-auth.js');
    const { configDir } = await import('../util/config-dir.js');
    const oauth = new OAuthAuth({ serverUrl: plan.url, configDir: configDir(io.env, process.platform, homeOf(io)), log: (line) => io.stderr.write(`policylayer wrap: ${line}\n`) });
    auth = options.signIn
      ? oauth
      : {
          authorization: () => oauth.authorization(),
          recover: async () => {
            refused = true;
            return { ok: false, reason: 'no stored sign-in' };
          },
          close: () => oauth.close(),
        };
  }
  const { HttpUpstream, UpstreamUnavailable } = await import('../transport/http-upstream.js');
  let upstream: Upstream;
  try {
    upstream = await HttpUpstream.connect({ url: plan.url, headers: plan.headers, transport: plan.transport, log: (line) => log.push(line), ...(auth ? { auth } : {}) });
  } catch (error) {
    if (!(error instanceof UpstreamUnavailable)) throw error;
    if (refused) throw new SignInNeeded(`${plan.url.href} needs a sign-in (HTTP 401)`);
    throw new UserError(error.message);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UserError(`${plan.url.href} did not list its tools within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    });
    return await Promise.race([listOver(upstream, target.url, options.timeoutMs), deadline]);
  } catch (error) {
    if (refused) throw new SignInNeeded(`${plan.url.href} needs a sign-in (HTTP 401)`);
    if (error instanceof UserError) throw error;
    throw new UserError(`${plan.url.href} failed to list its tools: ${(error as Error).message}${log.length > 0 ? ` (${log[log.length - 1]})` : ''}`);
  } finally {
    clearTimeout(timer);
    upstream.stdin.end();
    await upstream.stop(1_000);
  }
}

/** The SDK client over the upstream's newline-delimited JSON: `initialize`, then every page of `tools/list`. */
async function listOver(upstream: Upstream, url: string, timeoutMs: number): Promise<ListedServer> {
  const [{ Client }, framing, { childTransport }, { listToolsResultSchema }] = await Promise.all([
    importModule<typeof import('@modelcontextprotocol/sdk/client/index.js')>('@modelcontextprotocol/sdk/client/index.js'),
    importModule<typeof import('@modelcontextprotocol/sdk/shared/stdio.js')>('@modelcontextprotocol/sdk/shared/stdio.js'),
    import('../catalog/child-transport.js'),
    import('../catalog/listing.js'),
  ]);
  // childTransport reads only what an Upstream shares with a child process: stdin, stdout, exited, hasExited.
  const transport = childTransport(upstream as unknown as ServerProcess, framing);
  const client = new Client({ name: 'policylayer', version: VERSION }, { capabilities: {} });
  await client.connect(transport, { timeout: timeoutMs });
  const tools: ListedTool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new UserError(`${url} returned more than ${MAX_PAGES} pages of tools; giving up`);
    const result = await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, listToolsResultSchema, { timeout: timeoutMs });
    tools.push(...(result.tools as ListedTool[]));
    cursor = result.nextCursor;
    if (cursor === undefined) break;
    if (cursors.has(cursor)) throw new UserError(`${url} repeated the pagination cursor ${JSON.stringify(cursor)}; giving up`);
    cursors.add(cursor);
  }
  const info = client.getServerVersion();
  const instructions = client.getInstructions();
  return {
    command: [url],
    serverInfo: { name: info?.name ?? new URL(url).host, ...(info?.version ? { version: info.version } : {}), ...(info?.title ? { title: info.title } : {}) },
    ...(instructions ? { instructions } : {}),
    tools,
  };
}
