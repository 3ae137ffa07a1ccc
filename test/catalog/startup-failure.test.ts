import { describe, expect, it } from 'vitest';
import { startupFailure } from '../../src/catalog/startup-failure.js';

/** Last output of real npm MCP servers that exited before listing their tools (the corpus, started without settings). */
describe('startupFailure', () => {
  it.each([
    ['Please provide a personal access token (PAT) with the --access-token flag or set the SUPABASE_ACCESS_TOKEN environment variable', 'SUPABASE_ACCESS_TOKEN (or --access-token)'],
    ['Missing required credentials. Provide --email and --api-key or set UPSTASH_EMAIL and UPSTASH_API_KEY environment variables.', 'UPSTASH_EMAIL and UPSTASH_API_KEY (or --email and --api-key)'],
    ['Error: HubSpot access token is required. Set PRIVATE_APP_ACCESS_TOKEN in your environment variables and retry.', 'PRIVATE_APP_ACCESS_TOKEN'],
    ['Error: STRIPE_SECRET_KEY environment variable is not set', 'STRIPE_SECRET_KEY'],
    ['Error: --api-key is required\n    at main (file:///x/index.js:1:1)', '--api-key'],
  ])('%s → needs %s', (output, needs) => {
    expect(startupFailure(`starting…\n${output}\n`)?.needs).toBe(`it needs ${needs}`);
  });

  it('quotes the line that said so, even when a stack trace follows it', () => {
    const output = 'Fatal: GITLAB_PERSONAL_ACCESS_TOKEN is required\n    at main (file:///x/index.js:10:3)\n    at file:///x/index.js:20:1\n';
    expect(startupFailure(output)).toEqual({ needs: 'it needs GITLAB_PERSONAL_ACCESS_TOKEN', line: 'Fatal: GITLAB_PERSONAL_ACCESS_TOKEN is required' });
  });

  it('names a backend it could not reach when no setting is named', () => {
    expect(startupFailure('  [cause]: Error: getaddrinfo ENOTFOUND api.upstash.com\n')?.needs).toBe('it could not reach api.upstash.com');
    expect(startupFailure('Error: connect ECONNREFUSED 127.0.0.1:5432\n')?.needs).toBe('it could not reach 127.0.0.1:5432');
  });

  it('says nothing when the output names no setting', () => {
    expect(startupFailure('Invalid number of arguments\n')).toBeUndefined();
    expect(startupFailure('panic: no podman implementation available\n')).toBeUndefined();
    expect(startupFailure('Error: Cannot find module x (MODULE_NOT_FOUND) is missing')).toBeUndefined();
    expect(startupFailure('')).toBeUndefined();
  });
});
