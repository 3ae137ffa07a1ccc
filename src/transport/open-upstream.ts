/**
 * From a plan (options.ts) to a connected remote upstream: OAuth when the plan wants it (tokens in
 * the user's config folder), and the one-line failure the CLI prints with exit code 2.
 */
import { UserError } from '../errors.js';
import { configDir } from '../util/config-dir.js';
import { HttpUpstream, UpstreamUnavailable } from './http-upstream.js';
import { OAuthAuth } from './oauth/oauth-auth.js';
import type { UpstreamPlan } from './options.js';

export interface OpenOptions {
  env: NodeJS.ProcessEnv;
  /** Log lines without prefix or newline (the proxy prefixes them). */
  log: (message: string) => void;
  /** Aborted when the proxy stops (ends a sign-in that waits for the browser). */
  signal?: AbortSignal;
}

export async function openHttpUpstream(plan: Extract<UpstreamPlan, { kind: 'http' }>, options: OpenOptions): Promise<HttpUpstream> {
  const auth = plan.oauth
    ? new OAuthAuth({
        serverUrl: plan.url,
        configDir: configDir(options.env),
        ...(plan.oauth.scope ? { scope: plan.oauth.scope } : {}),
        ...(plan.oauth.openBrowser ? {} : { openBrowser: false as const }),
        log: options.log,
        ...(options.signal ? { signal: options.signal } : {}),
      })
    : undefined;
  try {
    return await HttpUpstream.connect({ url: plan.url, headers: plan.headers, transport: plan.transport, log: options.log, ...(auth ? { auth } : {}) });
  } catch (error) {
    if (error instanceof UpstreamUnavailable) throw new UserError(error.message);
    throw error;
  }
}
