/**
 * The redirect target of a sign-in (RFC 8252 §7.3): an HTTP server on 127.0.0.1 (an IP literal,
 * not `localhost`, which a browser may resolve to ::1) that waits for the authorization server
 * to send the browser back with a code.
 *
 * The SDK does not check the callback; this does, in the order RFC 9207 asks: `state` first (a
 * callback without our state is not ours: answered 400 and ignored, the real one may still come),
 * then `iss` (a different issuer is a mix-up attack: the sign-in fails, and its error fields are
 * not believed), then `error`, then the code.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const CALLBACK_PATH = '/callback';
const LOOPBACK_BASE = 'http://127.0.0.1';

export interface CallbackExpectations {
  state: string;
  /** The authorization server's issuer (from its metadata), when known. */
  issuer: string | undefined;
  /** The server advertises `authorization_response_iss_parameter_supported`: `iss` must be present. */
  requireIssuer: boolean;
}

export class SignInFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInFailed';
  }
}

export class LoopbackCallback {
  private waiter: { expect: CallbackExpectations; resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  /** Callbacks refused because their state was not ours (for logs and tests). */
  ignored = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', LOOPBACK_BASE);
      if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      const outcome = this.judge(url.searchParams);
      res.writeHead(outcome.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(outcome.title, outcome.detail));
    });
  }

  /** Listens on `preferredPort` when it is free (a registered redirect URI keeps working), else on any port. */
  static async listen(preferredPort?: number): Promise<LoopbackCallback> {
    const server = createServer();
    const bind = (port: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.once('error', onError);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', onError);
          resolve((server.address() as { port: number }).port);
        });
      });
    let port: number;
    try {
      port = await bind(preferredPort ?? 0);
    } catch (error) {
      if (!preferredPort) throw error;
      port = await bind(0);
    }
    return new LoopbackCallback(server, port);
  }

  get redirectUrl(): string {
    const url = new URL(CALLBACK_PATH, LOOPBACK_BASE);
    url.port = String(this.port);
    return url.href;
  }

  /** Resolves with the authorization code of the callback that matches; rejects on failure, timeout or abort. */
  waitForCode(expect: CallbackExpectations, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new SignInFailed(`sign-in did not complete within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      const onAbort = (): void => finish(new SignInFailed('sign-in was abandoned (the proxy is stopping)'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (outcome: Error | string): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        if (typeof outcome === 'string') resolve(outcome);
        else reject(outcome);
      };
      this.waiter = { expect, resolve: (code) => finish(code), reject: (error) => finish(error) };
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private judge(params: URLSearchParams): { status: number; title: string; detail: string } {
    const waiter = this.waiter;
    const state = params.get('state');
    if (!waiter || state === null || !sameSecret(state, waiter.expect.state)) {
      this.ignored++;
      return { status: 400, title: 'Not a sign-in policylayer is waiting for', detail: 'This link does not belong to a sign-in in progress. Start again from the program that asked you to sign in.' };
    }
    const iss = params.get('iss');
    const { issuer, requireIssuer } = waiter.expect;
    if ((iss !== null && issuer !== undefined && iss !== issuer) || (iss === null && requireIssuer)) {
      waiter.reject(new SignInFailed(iss === null ? `the authorization server did not say who it is (no iss parameter), though it advertises it` : `the answer came from ${iss}, not from ${issuer} (a mix-up attack, or a misconfigured server)`));
      return { status: 400, title: 'Sign-in refused', detail: 'The answer did not come from the authorization server the sign-in started with.' };
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      waiter.reject(new SignInFailed(`the authorization server refused: ${error}${description ? ` (${description})` : ''}`));
      return { status: 400, title: 'Sign-in failed', detail: `The authorization server answered: ${error}.` };
    }
    const code = params.get('code');
    if (!code) {
      waiter.reject(new SignInFailed('the authorization server sent the browser back without a code'));
      return { status: 400, title: 'Sign-in failed', detail: 'No authorization code came back.' };
    }
    waiter.resolve(code);
    return { status: 200, title: 'Signed in', detail: 'policylayer has the authorization. You can close this tab.' };
  }
}

/** Constant-time comparison, so the state cannot be guessed a character at a time. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function page(title: string, detail: string): string {
  const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><body style="font-family:system-ui;margin:3em"><h1>${escape(title)}</h1><p>${escape(detail)}</p></body>\n`;
}
