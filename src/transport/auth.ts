/**
 * How an HTTP upstream gets its credentials. Static headers (`--header 'Authorization: …'`) need
 * none of this; OAuth (src/transport/oauth/) implements it. The transport asks for the header
 * before each request and reports a 401 or a 403 `insufficient_scope`; everything else (refresh
 * ahead of expiry, one refresh for many concurrent 401s, the browser) is the implementation's.
 */
export interface AuthChallenge {
  status: 401 | 403;
  /** The response's WWW-Authenticate header, if any. */
  wwwAuthenticate: string | undefined;
}

export interface UpstreamAuth {
  /** The `Authorization` value to send now (`Bearer …`), or undefined when there is none yet. */
  authorization(): Promise<string | undefined>;
  /**
   * A request sent with `sent` (the value `authorization()` gave, or undefined) was refused. Resolves
   * once newer credentials are ready (refreshed, or after the user signed in; the transport then
   * retries once), or with the one-line reason none can be had.
   */
  recover(challenge: AuthChallenge, sent: string | undefined): Promise<Recovered>;
  /** The upstream is closing: a sign-in waiting for the browser ends now. */
  close?(): void;
}

export type Recovered = { ok: true } | { ok: false; reason: string };
