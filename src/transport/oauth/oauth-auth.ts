/**
 * OAuth for a remote MCP server, done by the proxy for a stdio client that cannot do it (MCP
 * authorization spec, 2025-06-18 onward). Built on the SDK's `auth()` (discovery, registration,
 * PKCE, code exchange, refresh); written here is the state machine around it that the SDK's
 * transports leave out, each for a reported failure of other proxies:
 *
 * - one recovery at a time for any number of concurrent 401s (the SDK's transport calls `auth()`
 *   per request: with refresh-token rotation, the second refresh fails and throws the tokens away);
 * - a 401 for a token that was already replaced is just retried;
 * - a cross-process lock, and tokens re-read under it, so two proxies for one server do not race;
 * - refresh ahead of expiry (the SDK refreshes only after a 401);
 * - the loopback listener is up before the browser opens (mcp-remote#248: a runtime 401 opened a
 *   browser with nobody listening), and the callback is checked (state, iss; see loopback.ts);
 * - the one line on stderr when a human must act, whether or not a browser could be opened.
 */
import { auth, extractWWWAuthenticateParams, refreshAuthorization, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthChallenge, Recovered, UpstreamAuth } from '../auth.js';
import { openSystemBrowser, type OpenBrowser } from './browser.js';
import { LoopbackCallback } from './loopback.js';
import { StoredOAuthProvider, type StoredTokens } from './provider.js';
import { OAuthStore } from './store.js';

export interface OAuthOptions {
  serverUrl: URL;
  /** The policylayer config folder (src/util/config-dir.ts); tokens go to `<dir>/oauth/<server>/`. */
  configDir: string;
  /** Scope to ask for when neither the server's challenge nor its metadata names one. */
  scope?: string;
  /** How a sign-in URL is opened; default: the system browser. False: never open one (print only). */
  openBrowser?: OpenBrowser | false;
  /** How long a sign-in may take before it fails (default 5 minutes). */
  signInTimeoutMs?: number;
  /** Refresh this long before expiry (default 60 s, at most half a token's lifetime). */
  refreshAheadMs?: number;
  /** For the authorization server exchanges; default: global fetch. */
  fetch?: typeof fetch;
  log: (message: string) => void;
  /** Aborted when the proxy stops: a sign-in waiting for the browser ends. */
  signal?: AbortSignal;
}

const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_REFRESH_AHEAD_MS = 60_000;

export class OAuthAuth implements UpstreamAuth {
  readonly store: OAuthStore;
  private readonly provider: StoredOAuthProvider;
  private tokens: StoredTokens | undefined;
  private recovering: Promise<Recovered> | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly closing = new AbortController();
  /** Ends waits for the browser and for the lock: the caller's signal, or close(). */
  private readonly signal: AbortSignal;

  constructor(private readonly options: OAuthOptions) {
    this.store = OAuthStore.forServer(options.configDir, options.serverUrl);
    this.provider = new StoredOAuthProvider(this.store, { clientName: 'policylayer', ...(options.scope ? { scope: options.scope } : {}) });
    this.tokens = this.provider.tokens();
    this.signal = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal;
  }

  close(): void {
    this.closing.abort();
  }

  async authorization(): Promise<string | undefined> {
    if (this.tokens?.refresh_token && this.expiresSoon(this.tokens)) await this.refreshAhead();
    return this.tokens ? `Bearer ${this.tokens.access_token}` : undefined;
  }

  recover(challenge: AuthChallenge, sent: string | undefined): Promise<Recovered> {
    if (sent !== undefined && this.tokens && `Bearer ${this.tokens.access_token}` !== sent) return Promise.resolve({ ok: true });
    this.recovering ??= this.recoverOnce(challenge, sent).finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async recoverOnce(challenge: AuthChallenge, sent: string | undefined): Promise<Recovered> {
    const timeout = (this.options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS) + 60_000;
    let release: () => void;
    try {
      release = await this.store.lock(timeout, this.signal);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    try {
      // Another proxy may have refreshed or signed in while we waited for the lock.
      const onDisk = this.provider.tokens();
      if (onDisk && `Bearer ${onDisk.access_token}` !== sent && !this.expired(onDisk)) {
        this.tokens = onDisk;
        return { ok: true };
      }
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': challenge.wwwAuthenticate ?? '' } }));
      let wanted = scope;
      if (challenge.status === 403) {
        // Step-up: ask for what we had plus what the server wants; a refresh cannot widen scope.
        wanted = unionScopes(onDisk?.scope, scope);
        this.provider.invalidateCredentials('tokens');
      }
      return await this.runAuth(resourceMetadataUrl, wanted);
    } finally {
      release();
    }
  }

  /** `auth()`: refresh when it can, else a sign-in through the browser and the loopback callback. */
  private async runAuth(resourceMetadataUrl: URL | undefined, scope: string | undefined): Promise<Recovered> {
    const { serverUrl, log } = this.options;
    const registeredPort = portOf((this.provider.clientInformation() as { redirect_uris?: string[] } | undefined)?.redirect_uris?.[0]);
    let callback: LoopbackCallback;
    try {
      callback = await LoopbackCallback.listen(registeredPort);
    } catch (error) {
      return { ok: false, reason: `cannot listen for the sign-in callback on 127.0.0.1: ${(error as Error).message}` };
    }
    // The server knows the client by its redirect URI: a new port means registering again.
    if (registeredPort !== undefined && callback.port !== registeredPort) this.provider.invalidateCredentials('client');
    this.provider.currentRedirectUrl = callback.redirectUrl;
    const fetchFn = this.options.fetch;
    try {
      const first = await auth(this.provider, { serverUrl, resourceMetadataUrl, scope, ...(fetchFn ? { fetchFn } : {}) });
      if (first === 'AUTHORIZED') {
        this.tokens = this.provider.tokens();
        return { ok: true };
      }
      const url = this.provider.authorizationUrl!;
      const opened = this.options.openBrowser === false ? false : await (this.options.openBrowser ?? openSystemBrowser)(url);
      const timeoutMs = this.options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
      log(`sign-in needed for ${serverUrl.host}: ${opened ? 'opened your browser at' : 'open'} ${url.href} (waiting up to ${Math.round(timeoutMs / 1000)} s)`);
      const metadata = this.provider.discoveryState()?.authorizationServerMetadata;
      const code = await callback.waitForCode(
        { state: this.provider.expectedState!, issuer: metadata?.issuer, requireIssuer: (metadata as { authorization_response_iss_parameter_supported?: boolean } | undefined)?.authorization_response_iss_parameter_supported === true },
        timeoutMs,
        this.signal,
      );
      const exchanged = await auth(this.provider, { serverUrl, resourceMetadataUrl, scope, authorizationCode: code, ...(fetchFn ? { fetchFn } : {}) });
      if (exchanged !== 'AUTHORIZED') return { ok: false, reason: 'the authorization server did not issue tokens' };
      this.tokens = this.provider.tokens();
      log(`signed in to ${serverUrl.host}`);
      return { ok: true };
    } catch (error) {
      const reason = `sign-in to ${serverUrl.host} failed: ${(error as Error).message}`;
      log(reason);
      return { ok: false, reason };
    } finally {
      this.provider.endFlow();
      this.provider.currentRedirectUrl = undefined;
      await callback.close();
    }
  }

  /** Refreshes before the token expires; a failure keeps the current token (a 401 will follow and recover). */
  private refreshAhead(): Promise<void> {
    this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const discovery: OAuthDiscoveryState | undefined = this.provider.discoveryState();
    const client = this.provider.clientInformation();
    if (!discovery || !client) return;
    let release: () => void;
    try {
      release = await this.store.lock(30_000, this.signal);
    } catch {
      return;
    }
    try {
      const onDisk = this.provider.tokens();
      if (onDisk && !this.expiresSoon(onDisk)) {
        this.tokens = onDisk;
        return;
      }
      const current = onDisk ?? this.tokens;
      if (!current?.refresh_token) return;
      const fresh = await refreshAuthorization(discovery.authorizationServerUrl, {
        metadata: discovery.authorizationServerMetadata,
        clientInformation: client,
        refreshToken: current.refresh_token,
        // As auth() does: the protected-resource metadata's resource, verbatim.
        resource: discovery.resourceMetadata?.resource ? new URL(discovery.resourceMetadata.resource) : undefined,
        ...(this.options.fetch ? { fetchFn: this.options.fetch } : {}),
      });
      this.provider.saveTokens({ ...fresh, issuer: String(discovery.authorizationServerUrl) });
      this.tokens = this.provider.tokens();
    } catch (error) {
      this.options.log(`could not refresh the token for ${this.options.serverUrl.host} ahead of expiry (${(error as Error).message}); will sign in again if the server refuses it`);
    } finally {
      release();
    }
  }

  private expiresSoon(tokens: StoredTokens): boolean {
    if (tokens.expires_at === undefined) return false;
    const lifetime = tokens.expires_at - (tokens.obtained_at ?? tokens.expires_at);
    const ahead = Math.min(this.options.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS, lifetime / 2);
    return Date.now() >= tokens.expires_at - ahead;
  }

  private expired(tokens: StoredTokens): boolean {
    return tokens.expires_at !== undefined && Date.now() >= tokens.expires_at;
  }
}

function portOf(uri: string | undefined): number | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    return url.hostname === '127.0.0.1' && url.port ? Number(url.port) : undefined;
  } catch {
    return undefined;
  }
}

function unionScopes(...scopes: Array<string | undefined>): string | undefined {
  const all = new Set(scopes.flatMap((scope) => (scope ? scope.split(/\s+/).filter(Boolean) : [])));
  return all.size > 0 ? [...all].join(' ') : undefined;
}
