/**
 * A real OAuth authorization server for sign-in tests: the MCP SDK's `mcpAuthRouter` (metadata,
 * dynamic registration, /authorize, /token with PKCE checks, /revoke) on 127.0.0.1, over a
 * provider written for tests. The SDK's demo provider cannot refresh and issues one-hour tokens;
 * this one issues short-lived tokens, rotates refresh tokens (reusing an old one fails, as public
 * clients' must), approves every sign-in at once (the "user" always says yes), counts what
 * happened, and can revoke everything. The protected MCP server is the fixture server, which
 * checks tokens here and serves its protected-resource metadata (RFC 9728).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { startFixtureServer, type FixtureOptions, type FixtureServer } from './http-fixture-server.js';

interface Grant {
  clientId: string;
  scopes: string[];
  resource: string | undefined;
}

export class TestAuthProvider implements OAuthServerProvider {
  accessTtlSeconds = 3600;
  /** Put `iss` on the redirect: the real issuer ('match'), a wrong one, or none (undefined). */
  issParameter: 'match' | string | undefined;
  issuer = '';
  readonly counts = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0, refreshFailures: 0 };
  readonly resources: Array<string | undefined> = [];
  private readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly codes = new Map<string, { grant: Grant; challenge: string }>();
  private readonly access = new Map<string, Grant & { expiresAt: number }>();
  private readonly refresh = new Map<string, Grant>();

  readonly clientsStore: OAuthRegisteredClientsStore = {
    getClient: async (id) => this.clients.get(id),
    registerClient: async (client) => {
      this.counts.registrations++;
      const full = client as OAuthClientInformationFull;
      this.clients.set(full.client_id, full);
      return full;
    },
  };

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Parameters<OAuthServerProvider['authorize']>[2]): Promise<void> {
    this.counts.authorizations++;
    const code = randomUUID();
    this.resources.push(params.resource?.href);
    this.codes.set(code, { grant: { clientId: client.client_id, scopes: params.scopes ?? [], resource: params.resource?.href }, challenge: params.codeChallenge });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    if (this.issParameter !== undefined) target.searchParams.set('iss', this.issParameter === 'match' ? this.issuer : this.issParameter);
    res.redirect(302, target.href);
  }

  async challengeForAuthorizationCode(_client: OAuthClientInformationFull, code: string): Promise<string> {
    const found = this.codes.get(code);
    if (!found) throw new InvalidGrantError('unknown code');
    return found.challenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<OAuthTokens> {
    const found = this.codes.get(code);
    if (!found || found.grant.clientId !== client.client_id) throw new InvalidGrantError('unknown code');
    this.codes.delete(code);
    this.counts.codeExchanges++;
    return this.issue(found.grant);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    const grant = this.refresh.get(refreshToken);
    if (!grant || grant.clientId !== client.client_id) {
      this.counts.refreshFailures++;
      throw new InvalidGrantError('refresh token unknown, used already, or revoked');
    }
    // Rotation: the old refresh token is spent.
    this.refresh.delete(refreshToken);
    this.counts.refreshes++;
    return this.issue(grant);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const grant = this.access.get(token);
    if (!grant || grant.expiresAt < Date.now()) throw new InvalidTokenError('invalid or expired token');
    return { token, clientId: grant.clientId, scopes: grant.scopes, expiresAt: Math.floor(grant.expiresAt / 1000), ...(grant.resource ? { resource: new URL(grant.resource) } : {}) };
  }

  revokeAccessTokens(): void {
    this.access.clear();
  }

  revokeRefreshTokens(): void {
    this.refresh.clear();
  }

  private issue(grant: Grant): OAuthTokens {
    const access = `at-${randomUUID()}`;
    const refresh = `rt-${randomUUID()}`;
    this.access.set(access, { ...grant, expiresAt: Date.now() + this.accessTtlSeconds * 1000 });
    this.refresh.set(refresh, grant);
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTtlSeconds, refresh_token: refresh, scope: grant.scopes.join(' ') };
  }
}

export interface AuthServer {
  issuer: URL;
  provider: TestAuthProvider;
  close(): Promise<void>;
}

export async function startAuthServer(): Promise<AuthServer> {
  const provider = new TestAuthProvider();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  provider.issuer = issuer.href;
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: issuer,
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      authorizationOptions: { rateLimit: false },
      tokenOptions: { rateLimit: false },
      clientRegistrationOptions: { rateLimit: false },
      revocationOptions: { rateLimit: false },
    }),
  );
  server.on('request', app);
  return {
    issuer,
    provider,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The fixture MCP server as an OAuth-protected resource: each request needs a token the
 * authorization server issued (401 with `resource_metadata` otherwise); tools named in
 * `requiredScopes` answer 403 `insufficient_scope` without that scope.
 */
export async function startProtectedServer(auth: AuthServer, options: FixtureOptions & { scopesSupported?: string[] } = {}): Promise<FixtureServer & { prm: URL; unauthorized: () => number }> {
  let port = 0;
  let unauthorized = 0;
  const prmPath = '/.well-known/oauth-protected-resource/mcp';
  const fixture = await startFixtureServer({
    ...options,
    intercept: (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== prmPath) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ resource: `http://127.0.0.1:${port}/mcp`, authorization_servers: [auth.issuer.href.replace(/\/$/, '')], scopes_supported: options.scopesSupported ?? ['mcp:tools'] }),
      );
      return true;
    },
    authorize: async (req: IncomingMessage) => {
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
      const challenge = `Bearer error="invalid_token", resource_metadata="http://127.0.0.1:${port}${prmPath}"`;
      try {
        if (!token) throw new Error('missing');
        await auth.provider.verifyAccessToken(token);
        return undefined;
      } catch {
        unauthorized++;
        return { status: 401, headers: { 'www-authenticate': challenge } };
      }
    },
  });
  port = Number(fixture.url.port);
  return Object.assign(fixture, { prm: new URL(`http://127.0.0.1:${port}${prmPath}`), unauthorized: () => unauthorized });
}

/**
 * The user's browser, without a screen: follows the authorization URL with a real HTTP client
 * (the server approves at once and redirects) and delivers the redirect to the loopback callback.
 * `before` lets a test send something else to the callback first (a forged state).
 */
export function headlessBrowser(options: { before?: (callback: URL) => Promise<void> } = {}): { open: (url: URL) => Promise<boolean>; opened: URL[]; callbackStatuses: number[] } {
  const opened: URL[] = [];
  const callbackStatuses: number[] = [];
  return {
    opened,
    callbackStatuses,
    open: async (url: URL) => {
      opened.push(url);
      void (async () => {
        const authorize = await fetch(url, { redirect: 'manual' });
        const location = authorize.headers.get('location');
        if (!location) throw new Error(`the authorization server answered ${authorize.status} without a redirect: ${await authorize.text()}`);
        const callback = new URL(location);
        await options.before?.(callback);
        const answer = await fetch(callback);
        callbackStatuses.push(answer.status);
        await answer.text();
      })().catch((error: Error) => callbackStatuses.push(-1) && console.error(error));
      return true;
    },
  };
}
