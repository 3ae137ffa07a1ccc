/**
 * Sign-in for a remote server, end to end over loopback HTTP: the SDK's authorization server
 * (mcpAuthRouter), the fixture MCP server as a protected resource, and a headless browser that
 * follows the real redirects. Nothing in the flow's HTTP exchanges is mocked.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpUpstream, UpstreamUnavailable } from '../../src/transport/http-upstream.js';
import { OAuthAuth, type OAuthOptions } from '../../src/transport/oauth/oauth-auth.js';
import { McpStream, type Message } from '../helpers/mcp-stream.js';
import { headlessBrowser, startAuthServer, startProtectedServer, type AuthServer } from '../helpers/oauth-server.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let configDir: string;
let as: AuthServer;
beforeEach(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'policylayer-oauth-'));
  as = await startAuthServer();
  cleanups.push(() => as.close(), () => rmSync(configDir, { recursive: true, force: true }));
});

async function protectedServer(options: Parameters<typeof startProtectedServer>[1] = {}) {
  const server = await startProtectedServer(as, options);
  cleanups.push(() => server.close());
  return server;
}

function oauth(url: URL, log: string[], options: Partial<OAuthOptions> = {}): OAuthAuth {
  return new OAuthAuth({ serverUrl: url, configDir, log: (message) => log.push(message), signInTimeoutMs: 10_000, ...options });
}

async function connect(url: URL, auth: OAuthAuth, log: string[]) {
  const upstream = await HttpUpstream.connect({ url, auth, log: (message) => log.push(message) });
  cleanups.push(async () => {
    upstream.stdin.end();
    await upstream.stop(200);
  });
  const client = new McpStream(upstream.stdin, upstream.stdout);
  return { upstream, client };
}

const text = (result: Message): string => (result.result as { content: Array<{ text: string }> }).content[0]!.text;

describe('OAuth sign-in', () => {
  it('signs in at start: discovery from WWW-Authenticate, registration, PKCE through the browser, tokens stored 0600', async () => {
    const server = await protectedServer();
    const browser = headlessBrowser();
    const log: string[] = [];
    const { client } = await connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log);
    expect(as.provider.counts).toMatchObject({ registrations: 1, authorizations: 1, codeExchanges: 1 });
    // The one line a human reads, then the outcome.
    expect(log).toEqual([expect.stringMatching(new RegExp(`^sign-in needed for 127\\.0\\.0\\.1:${server.url.port}: opened your browser at ${as.issuer.href}authorize\\?\\S+ \\(waiting up to 10 s\\)$`)), `signed in to 127.0.0.1:${server.url.port}`]);
    const authorizeUrl = browser.opened[0]!;
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorizeUrl.searchParams.get('resource')).toBe(server.url.href);
    expect(authorizeUrl.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(browser.callbackStatuses).toEqual([200]);

    await client.initialize();
    expect(text(await client.callTool('echo', { message: 'authorized' }))).toBe('authorized');

    const store = join(configDir, 'oauth');
    const [folder] = (await import('node:fs')).readdirSync(store);
    for (const file of ['client.json', 'tokens.json', 'discovery.json']) {
      if (process.platform !== 'win32') expect(statSync(join(store, folder!, file)).mode & 0o777).toBe(0o600);
    }
    if (process.platform !== 'win32') expect(statSync(join(store, folder!)).mode & 0o777).toBe(0o700);
    const tokens = JSON.parse(readFileSync(join(store, folder!, 'tokens.json'), 'utf8')) as { access_token: string; expires_at: number; issuer: string };
    expect(tokens.issuer).toBe(as.issuer.href.replace(/\/$/, ''));
    expect(tokens.expires_at).toBeGreaterThan(Date.now());
    // Nothing secret in the log.
    expect(log.join('\n')).not.toContain(tokens.access_token);
  });

  it('uses the stored tokens next time: no browser, no registration', async () => {
    const server = await protectedServer();
    const log: string[] = [];
    const first = await connect(server.url, oauth(server.url, log, { openBrowser: headlessBrowser().open }), log);
    first.upstream.stdin.end();
    await first.upstream.stop(100);
    const browser = headlessBrowser();
    const { client } = await connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log);
    await client.initialize();
    expect(text(await client.callTool('echo', { message: 'again' }))).toBe('again');
    expect(browser.opened).toEqual([]);
    expect(as.provider.counts).toMatchObject({ registrations: 1, authorizations: 1 });
  });

  it('refreshes ahead of expiry, so the server never refuses a call', async () => {
    as.provider.accessTtlSeconds = 2;
    const server = await protectedServer();
    const log: string[] = [];
    const { client } = await connect(server.url, oauth(server.url, log, { openBrowser: headlessBrowser().open }), log);
    await client.initialize();
    const refused = server.unauthorized();
    for (let i = 0; i < 6; i++) {
      expect(text(await client.callTool('echo', { message: `t${i}` }))).toBe(`t${i}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(as.provider.counts.refreshes).toBeGreaterThanOrEqual(2);
    expect(server.unauthorized()).toBe(refused);
  });

  it('401 mid-session with calls in flight: one refresh (rotation survives), each call retried once and answered', async () => {
    const server = await protectedServer();
    const log: string[] = [];
    const { client } = await connect(server.url, oauth(server.url, log, { openBrowser: headlessBrowser().open }), log);
    await client.initialize();
    await client.request('tools/list');
    as.provider.revokeAccessTokens();
    const refusedBefore = server.unauthorized();
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => client.callTool('echo', { message: `m${i}` })));
    expect(answers.map(text)).toEqual(Array.from({ length: 16 }, (_, i) => `m${i}`));
    // All 16 were refused with the old token at once (the GET stream may add one more).
    expect(server.unauthorized() - refusedBefore).toBeGreaterThanOrEqual(16);
    expect(as.provider.counts).toMatchObject({ refreshes: 1, refreshFailures: 0, authorizations: 1 });
  });

  it('signs in again through the browser mid-session when the refresh token is gone too', async () => {
    const server = await protectedServer();
    const browser = headlessBrowser();
    const log: string[] = [];
    const { client } = await connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log);
    await client.initialize();
    as.provider.revokeAccessTokens();
    as.provider.revokeRefreshTokens();
    expect(text(await client.callTool('echo', { message: 'after sign-in' }))).toBe('after sign-in');
    expect(browser.opened.length).toBe(2);
    expect(as.provider.counts).toMatchObject({ authorizations: 2, refreshFailures: 1 });
    expect(log.filter((line) => line.startsWith('sign-in needed')).length).toBe(2);
  });

  it('ignores a callback that does not carry the sign-in state, and completes with the real one', async () => {
    const server = await protectedServer();
    const forged: number[] = [];
    const browser = headlessBrowser({
      before: async (callback) => {
        const fake = new URL(callback);
        fake.searchParams.set('state', 'forged');
        fake.searchParams.set('code', 'attacker-code');
        forged.push((await fetch(fake)).status);
      },
    });
    const log: string[] = [];
    await connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log);
    expect(forged).toEqual([400]);
    expect(browser.callbackStatuses).toEqual([200]);
    expect(as.provider.counts.codeExchanges).toBe(1);
  });

  it('refuses an answer from another issuer (RFC 9207 iss), and says why at start', async () => {
    as.provider.issParameter = 'https://evil.example/';
    const server = await protectedServer();
    const log: string[] = [];
    const attempt = connect(server.url, oauth(server.url, log, { openBrowser: headlessBrowser().open }), log);
    await expect(attempt).rejects.toBeInstanceOf(UpstreamUnavailable);
    await expect(attempt).rejects.toThrow(/requires authorization \(HTTP 401\): sign-in to .* failed: the answer came from https:\/\/evil\.example\/, not from http:\/\/127\.0\.0\.1:\d+\/ \(a mix-up attack/);
    expect(as.provider.counts.codeExchanges).toBe(0);
  });

  it('accepts a matching iss', async () => {
    as.provider.issParameter = 'match';
    const server = await protectedServer();
    const log: string[] = [];
    await connect(server.url, oauth(server.url, log, { openBrowser: headlessBrowser().open }), log);
    expect(as.provider.counts.codeExchanges).toBe(1);
  });

  it('without a browser: prints the URL to open, and gives up after the time limit with one line', async () => {
    const server = await protectedServer();
    const log: string[] = [];
    const attempt = connect(server.url, oauth(server.url, log, { openBrowser: false, signInTimeoutMs: 300 }), log);
    await expect(attempt).rejects.toThrow(/requires authorization \(HTTP 401\): sign-in to 127\.0\.0\.1:\d+ failed: sign-in did not complete within 0 s/);
    expect(log[0]).toMatch(/^sign-in needed for 127\.0\.0\.1:\d+: open http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+ \(waiting up to 0 s\)$/);
  });

  it('stopping the proxy ends a sign-in that waits for the browser, and answers the call that waited for it', async () => {
    const server = await protectedServer();
    const log: string[] = [];
    let opened = 0;
    const browser = headlessBrowser();
    // The first sign-in completes; the second one (mid-session) never does: nobody opens the URL.
    const open = async (url: URL): Promise<boolean> => (opened++ === 0 ? browser.open(url) : false);
    const { upstream, client } = await connect(server.url, oauth(server.url, log, { openBrowser: open, signInTimeoutMs: 120_000 }), log);
    await client.initialize();
    as.provider.revokeAccessTokens();
    as.provider.revokeRefreshTokens();
    const call = client.callTool('echo', { message: 'never' });
    for (let waited = 0; !log.some((line) => line.includes('(waiting up to 120 s)') && line.includes(': open ')); waited += 20) {
      if (waited > 10_000) throw new Error(`no sign-in line: ${log.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = Date.now();
    upstream.stdin.end();
    await upstream.stop(100);
    expect((await call).error).toMatchObject({ code: -32603 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log.join('\n')).toContain('sign-in was abandoned (the proxy is stopping)');
  });

  it('two proxies for one server share the sign-in: the second waits for the lock and uses the tokens', async () => {
    const server = await protectedServer();
    const log: string[] = [];
    const browser = headlessBrowser();
    const [a, b] = await Promise.all([connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log), connect(server.url, oauth(server.url, log, { openBrowser: browser.open }), log)]);
    expect(browser.opened.length).toBe(1);
    for (const { client } of [a, b]) {
      await client.initialize();
      expect(text(await client.callTool('echo', { message: 'shared' }))).toBe('shared');
    }
  });
});
