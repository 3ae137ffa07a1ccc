import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserCommand, openSystemBrowser } from '../../src/transport/oauth/browser.js';
import { LoopbackCallback } from '../../src/transport/oauth/loopback.js';
import { DiscoveryRefused, sameIssuer, StoredOAuthProvider } from '../../src/transport/oauth/provider.js';
import { OAuthStore, serverKey } from '../../src/transport/oauth/store.js';
import { configDir } from '../../src/util/config-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-oauth-parts-'));
  dirs.push(dir);
  return dir;
}

describe('config folder', () => {
  it('follows XDG, APPDATA and the override', () => {
    expect(configDir({}, 'linux', '/home/u')).toBe('/home/u/.config/policylayer');
    expect(configDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/u')).toBe('/x/cfg/policylayer');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/policylayer');
    expect(configDir({}, 'darwin', '/Users/u')).toBe('/Users/u/.config/policylayer');
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\policylayer');
    expect(configDir({ POLICYLAYER_CONFIG_DIR: '/elsewhere' }, 'win32', 'C:\\Users\\u')).toBe('/elsewhere');
  });
});

describe('token store', () => {
  it('names a folder per server URL, readable and collision-free', () => {
    expect(serverKey(new URL('https://mcp.example.com/mcp'))).toMatch(/^mcp\.example\.com-[0-9a-f]{16}$/);
    expect(serverKey(new URL('http://127.0.0.1:8080/mcp'))).toMatch(/^127\.0\.0\.1_8080-/);
    expect(serverKey(new URL('https://h/a'))).not.toBe(serverKey(new URL('https://h/b')));
    expect(serverKey(new URL('https://h/a?x=1#f'))).toBe(serverKey(new URL('https://h/a')));
  });

  it('writes 0600 files in a 0700 folder, atomically, even when the folder existed with other modes', () => {
    const store = new OAuthStore(join(tempDir(), 'server'));
    store.write('tokens', { access_token: 'a' });
    if (process.platform !== 'win32') {
      expect(statSync(store.dir).mode & 0o777).toBe(0o700);
      expect(statSync(store.path('tokens')).mode & 0o777).toBe(0o600);
    }
    store.write('tokens', { access_token: 'b' });
    expect(store.read('tokens')).toEqual({ access_token: 'b' });
    expect(readdirSync(store.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    writeFileSync(store.path('client'), '{not json');
    expect(store.read('client')).toBeUndefined();
  });

  it('lock: a second holder waits; a lock left by a dead process is taken over', async () => {
    const store = new OAuthStore(join(tempDir(), 'server'));
    const release = await store.lock(1000);
    await expect(store.lock(300)).rejects.toThrow(/another policylayer process holds/);
    release();
    (await store.lock(300))();
    writeFileSync(join(store.dir, 'lock'), '2147483646');
    const taken = await store.lock(300);
    taken();
  });
});

describe('provider checks the SDK leaves out', () => {
  const metadata = (issuer: string, methods?: string[]) => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    response_types_supported: ['code'],
    ...(methods ? { code_challenge_methods_supported: methods } : {}),
  });

  it('refuses metadata naming another issuer, or without PKCE S256', () => {
    const provider = new StoredOAuthProvider(new OAuthStore(join(tempDir(), 's')), { clientName: 't' });
    expect(() => provider.saveDiscoveryState({ authorizationServerUrl: 'https://as.example', authorizationServerMetadata: metadata('https://evil.example', ['S256']) })).toThrow(DiscoveryRefused);
    expect(() => provider.saveDiscoveryState({ authorizationServerUrl: 'https://as.example', authorizationServerMetadata: metadata('https://as.example') })).toThrow(/does not advertise PKCE with S256/);
    expect(() => provider.saveDiscoveryState({ authorizationServerUrl: 'https://as.example', authorizationServerMetadata: metadata('https://as.example', ['plain']) })).toThrow(/S256/);
    provider.saveDiscoveryState({ authorizationServerUrl: 'https://as.example/', authorizationServerMetadata: metadata('https://as.example', ['S256']) });
    expect(sameIssuer('https://as.example/tenant', 'https://as.example/tenant/')).toBe(true);
    expect(sameIssuer('https://as.example/a', 'https://as.example/b')).toBe(false);
  });

  it('registers as a native public client with its loopback redirect, and a fresh state per sign-in', () => {
    const provider = new StoredOAuthProvider(new OAuthStore(join(tempDir(), 's')), { clientName: 'policylayer', scope: 'repo' });
    provider.currentRedirectUrl = 'http://127.0.0.1:4567/callback';
    expect(provider.clientMetadata).toEqual({
      client_name: 'policylayer',
      redirect_uris: ['http://127.0.0.1:4567/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      scope: 'repo',
    });
    const first = provider.state();
    expect(provider.state()).not.toBe(first);
    provider.saveTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 60 });
    const tokens = provider.tokens()!;
    expect(tokens.expires_at! - tokens.obtained_at!).toBe(60_000);
  });
});

describe('loopback callback', () => {
  it('listens on the registered port when free, else on another', async () => {
    const first = await LoopbackCallback.listen();
    const second = await LoopbackCallback.listen(first.port);
    expect(second.port).not.toBe(first.port);
    expect(first.redirectUrl).toBe(`http://127.0.0.1:${first.port}/callback`);
    await first.close();
    await second.close();
  });

  it('passes on an error only with the right state and issuer', async () => {
    const callback = await LoopbackCallback.listen();
    const waiting = callback.waitForCode({ state: 's1', issuer: 'https://as.example', requireIssuer: true }, 5000);
    waiting.catch(() => {});
    const url = (query: string) => `${callback.redirectUrl}?${query}`;
    expect((await fetch(url('state=s2&error=access_denied'))).status).toBe(400);
    expect((await fetch(url('state=s1&error=access_denied&iss=https%3A%2F%2Fas.example'))).status).toBe(400);
    await expect(waiting).rejects.toThrow('the authorization server refused: access_denied');
    expect(callback.ignored).toBe(1);

    const noIss = callback.waitForCode({ state: 's3', issuer: 'https://as.example', requireIssuer: true }, 5000);
    noIss.catch(() => {});
    await fetch(url('state=s3&code=c'));
    await expect(noIss).rejects.toThrow(/did not say who it is/);
    await callback.close();
  });
});

describe('browser', () => {
  it('uses the platform opener without a shell, and reports false when there is none', async () => {
    const url = new URL('https://as.example/authorize?a=1&b=2');
    expect(browserCommand(url, 'darwin')).toEqual(['open', [url.href]]);
    expect(browserCommand(url, 'win32')).toEqual(['rundll32', ['url.dll,FileProtocolHandler', url.href]]);
    expect(browserCommand(url, 'linux')).toEqual(['xdg-open', [url.href]]);
    expect(await openSystemBrowser(new URL('file:///etc/passwd'))).toBe(false);
    expect(await openSystemBrowser(new URL('javascript:alert(1)'))).toBe(false);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await openSystemBrowser(url)).toBe(false);
    } finally {
      process.env.PATH = path;
    }
  });
});
