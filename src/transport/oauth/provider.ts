/**
 * The MCP SDK's `OAuthClientProvider` for the proxy: the SDK's `auth()` runs discovery
 * (WWW-Authenticate, protected-resource metadata, authorization-server metadata), dynamic client
 * registration, PKCE, the authorization URL, the code exchange and refresh; this class keeps what
 * it produces in the per-server store and adds what the SDK leaves to us:
 *
 * - `state` per sign-in, checked by the loopback callback (the SDK never checks it);
 * - the PKCE verifier in memory, one per sign-in (the SDK has one slot; a file would be readable);
 * - the metadata's `issuer` must be the URL discovery used (2026-07-28; the SDK does not check);
 * - PKCE S256 must be advertised when metadata exists (2025-11-25: refuse otherwise);
 * - registration as a native loopback client (`application_type: native`, public, refresh);
 * - absolute expiry (`expires_at`) stored with tokens, for refreshing ahead of time.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthStore } from './store.js';

/** Tokens as stored: the token response, the SDK's issuer stamp, and when they were obtained. */
export type StoredTokens = OAuthTokens & { obtained_at?: number; expires_at?: number };

export class DiscoveryRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryRefused';
  }
}

export class StoredOAuthProvider implements OAuthClientProvider {
  /** Set for the length of one `auth()` call that may redirect: the loopback callback's URL. */
  currentRedirectUrl: string | undefined;
  /** The authorization URL of the sign-in `auth()` started, if it started one. */
  authorizationUrl: URL | undefined;
  private flowState: string | undefined;
  private verifier: string | undefined;

  constructor(
    private readonly store: OAuthStore,
    private readonly options: { clientName: string; scope?: string },
  ) {}

  get redirectUrl(): string | undefined {
    return this.currentRedirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const metadata: OAuthClientMetadata & { application_type: string } = {
      client_name: this.options.clientName,
      redirect_uris: this.currentRedirectUrl ? [this.currentRedirectUrl] : [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      // RFC 7591 / OIDC: a loopback redirect is a native app's; some servers refuse http redirects for "web".
      application_type: 'native',
      ...(this.options.scope ? { scope: this.options.scope } : {}),
    };
    return metadata;
  }

  state(): string {
    this.flowState = randomBytes(32).toString('base64url');
    return this.flowState;
  }

  /** The state of the sign-in in progress, for the callback to check. */
  get expectedState(): string | undefined {
    return this.flowState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.store.read<OAuthClientInformationMixed>('client');
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.store.write('client', information);
  }

  tokens(): StoredTokens | undefined {
    return this.store.read<StoredTokens>('tokens');
  }

  saveTokens(tokens: OAuthTokens): void {
    const now = Date.now();
    this.store.write('tokens', { ...tokens, obtained_at: now, ...(tokens.expires_in !== undefined ? { expires_at: now + tokens.expires_in * 1000 } : {}) });
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrl = authorizationUrl;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no sign-in is in progress');
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.store.remove('client');
    if (scope === 'all' || scope === 'tokens') this.store.remove('tokens');
    if (scope === 'all' || scope === 'discovery') this.store.remove('discovery');
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    const metadata = state.authorizationServerMetadata;
    if (metadata) {
      if (!sameIssuer(metadata.issuer, state.authorizationServerUrl)) {
        throw new DiscoveryRefused(`the authorization server at ${state.authorizationServerUrl} names itself ${metadata.issuer} in its metadata; refusing to sign in there`);
      }
      if (!metadata.code_challenge_methods_supported?.includes('S256')) {
        throw new DiscoveryRefused(`the authorization server ${metadata.issuer} does not advertise PKCE with S256, which MCP requires; refusing to sign in there`);
      }
    }
    this.store.write('discovery', state);
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.store.read<OAuthDiscoveryState>('discovery');
  }

  /** Ends a sign-in: forgets its state, verifier and URL. */
  endFlow(): void {
    this.flowState = undefined;
    this.verifier = undefined;
    this.authorizationUrl = undefined;
  }
}

/** RFC 8414 §3.3: the issuer in the metadata must be the one the metadata was fetched for (one trailing slash aside, as URL parsing adds it). */
export function sameIssuer(a: string, b: string): boolean {
  const normal = (value: string): string => {
    try {
      return new URL(value).href.replace(/\/$/, '');
    } catch {
      return value.replace(/\/$/, '');
    }
  };
  return normal(a) === normal(b);
}
