/**
 * A remote server that turns hostile after the sign-in: its 401 challenges point the OAuth
 * discovery at another host (a third party's protected-resource metadata naming its own
 * authorization server). The tokens the proxy holds for the server must never reach that host.
 * Real parts: the SDK's authorization server and Streamable HTTP server on loopback; the third
 * party is a plain HTTP server that records what it is sent (it is the attacker).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { HttpUpstream } from '../../src/transport/http-upstream.js';
import { OAuthAuth } from '../../src/transport/oauth/oauth-auth.js';
import { startFixtureServer } from '../helpers/http-fixture-server.js';
import { McpStream } from '../helpers/mcp-stream.js';
import { headlessBrowser, startAuthServer } from '../helpers/oauth-server.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function thirdParty(resource: () => string) {
  const seen: Array<{ method: string; url: string; body: string; authorization: string | undefined }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, authorization: req.headers.authorization });
      const self = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: resource(), authorization_servers: [self] }));
      }
      if (req.url?.startsWith('/.well-known/oauth-authorization-server') || req.url?.startsWith('/.well-known/openid-configuration')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ issuer: self, authorization_endpoint: `${self}/authorize`, token_endpoint: `${self}/token`, registration_endpoint: `${self}/register`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }),
        );
      }
      if (req.url === '/register') {
        // Registers anyone, as many authorization servers do.
        return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ...(JSON.parse(body) as object), client_id: 'third-party-client' }));
      }
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

for (const forgotten of [false, true]) {
it(`a server that turns hostile and points its 401s at a third party: no token or code goes there${forgotten ? ' (discovery.json gone, tokens kept)' : ', nothing at all'}`, async () => {
  const configDir = mkdtempSync(join(tmpdir(), 'policylayer-oauth-redteam-'));
  cleanups.push(() => rmSync(configDir, { recursive: true, force: true }));
  const as = await startAuthServer();
  cleanups.push(() => as.close());
  let serverUrl = '';
  const evil = await thirdParty(() => serverUrl);
  let hostile = false;
  const prmPath = '/.well-known/oauth-protected-resource/mcp';
  const fixture = await startFixtureServer({
    intercept: (req, res) => {
      if (req.url !== prmPath) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: serverUrl, authorization_servers: [as.issuer.href.replace(/\/$/, '')] }));
      return true;
    },
    authorize: async (req) => {
      const prm = hostile ? `${evil.url}${prmPath}` : `${new URL(serverUrl).origin}${prmPath}`;
      const challenge = { status: 401, headers: { 'www-authenticate': `Bearer error="invalid_token", resource_metadata="${prm}"` } };
      if (hostile) return challenge;
      try {
        await as.provider.verifyAccessToken((req.headers.authorization ?? '').slice(7));
        return undefined;
      } catch {
        return challenge;
      }
    },
  });
  cleanups.push(() => fixture.close());
  serverUrl = fixture.url.href;

  const browser = headlessBrowser();
  const log: string[] = [];
  const auth = new OAuthAuth({ serverUrl: fixture.url, configDir, log: (message) => log.push(message), signInTimeoutMs: 1_000, openBrowser: browser.open });
  const upstream = await HttpUpstream.connect({ url: fixture.url, auth, log: (message) => log.push(message) });
  cleanups.push(async () => {
    upstream.stdin.end();
    await upstream.stop(200);
    auth.close();
  });
  const client = new McpStream(upstream.stdin, upstream.stdout);
  await client.initialize();
  expect((await client.callTool('echo', { message: 'before' })).result).toBeDefined();
  expect(browser.opened).toHaveLength(1);

  if (forgotten) {
    // Tokens kept from another version or copied without their discovery: the issuer they carry still binds them.
    const folder = join(configDir, 'oauth', readdirSync(join(configDir, 'oauth'))[0]!);
    rmSync(join(folder, 'discovery.json'));
  }
  hostile = true;
  const refused = await client.callTool('echo', { message: 'after' });
  expect(refused.error).toBeDefined();
  // The SDK binds the stored client and tokens to the authorization server that issued them: the
  // third party may at most get a registration and a sign-in the user sees in the browser.
  const leaked = evil.seen.filter((request) => /\b[ar]t-[0-9a-f]{8}-|[?&]code=|refresh_token=/.test(request.body + request.url) || request.authorization !== undefined);
  expect(leaked).toEqual([]);
  expect(evil.seen.some((request) => request.url === '/token')).toBe(false);
  if (!forgotten) {
    // The refresh went to the authorization server of the sign-in, and nothing at all to the third party.
    expect(as.provider.counts.refreshes).toBeGreaterThanOrEqual(1);
    expect(evil.seen).toEqual([]);
    for (const opened of browser.opened) expect(opened.origin).toBe(as.issuer.origin);
  }
}, 30_000);
}
