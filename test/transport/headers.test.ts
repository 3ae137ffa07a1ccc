import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { describeHeaders, expandHeaders, HeaderError, parseHeaderOption, parseHeaderOptions, variablesOf } from '../../src/transport/headers.js';
import { HttpUpstream } from '../../src/transport/http-upstream.js';
import { startFixtureServer } from '../helpers/http-fixture-server.js';
import { McpStream } from '../helpers/mcp-stream.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('--header', () => {
  it('parses "Name: value" and expands ${VAR} from the environment', () => {
    const headers = parseHeaderOptions(['Authorization: Bearer ${GITHUB_TOKEN}', 'X-Team:  blue ', 'X-Mixed: a-${A}-${B}-$C-${A}']);
    expect(headers).toEqual([
      { name: 'Authorization', template: 'Bearer ${GITHUB_TOKEN}' },
      { name: 'X-Team', template: 'blue' },
      { name: 'X-Mixed', template: 'a-${A}-${B}-$C-${A}' },
    ]);
    expect(variablesOf(headers[2]!.template)).toEqual(['A', 'B']);
    expect(expandHeaders(headers, { GITHUB_TOKEN: 'ghp_123', A: '1', B: '2' })).toEqual({ authorization: 'Bearer ghp_123', 'x-team': 'blue', 'x-mixed': 'a-1-2-$C-1' });
  });

  it('refuses what would break the protocol or send a half-empty credential', () => {
    expect(() => parseHeaderOption('Mcp-Session-Id: abc')).toThrow('--header Mcp-Session-Id: this header is set by the transport and cannot be given');
    expect(() => parseHeaderOption('content-type: text/plain')).toThrow(/set by the transport/);
    expect(() => parseHeaderOptions(['X-A: 1', 'x-a: 2'])).toThrow('--header x-a is given twice (also as X-A)');
    expect(() => expandHeaders(parseHeaderOptions(['Authorization: Bearer ${MISSING_TOKEN}']), {})).toThrow('--header Authorization uses ${MISSING_TOKEN}, which is not set in the environment');
    expect(() => expandHeaders(parseHeaderOptions(['Authorization: Bearer ${EMPTY}']), { EMPTY: '' })).toThrow(/EMPTY/);
    expect(() => expandHeaders(parseHeaderOptions(['X-A: ${V}']), { V: 'a\r\nX-Injected: 1' })).toThrow('--header X-A: the value holds a line break or NUL character (after expanding variables)');
  });

  it('never echoes what the user typed when it is malformed (it may be a bare token)', () => {
    expect(() => parseHeaderOption('Bearer ghp_secret')).toThrow(new HeaderError('--header must look like "Name: value" (a name, then a colon)'));
    expect(() => parseHeaderOption('Authorization Bearer ghp_secret: x')).toThrow(new HeaderError('--header: the text before the colon is not a valid HTTP header name'));
  });

  /** Values must not appear in anything we print: descriptions, and every error message. */
  const leaks = (describe: (headers: Record<string, string>) => string) =>
    fc.property(
      fc.string({ minLength: 6, maxLength: 40 }).filter((secret) => /^[\x21-\x7e]+$/.test(secret) && !secret.includes('${')),
      fc.constantFrom('Authorization', 'X-Api-Key', 'Cookie'),
      fc.constantFrom('', 'Bearer ', 'token='),
      (secret, name, prefix) => {
        const printed: string[] = [];
        const env = { SECRET: secret };
        printed.push(describe(expandHeaders(parseHeaderOptions([`${name}: ${prefix}\${SECRET}`]), env)));
        for (const bad of [`${prefix}${secret}`, `${name} ${prefix}${secret}: x`, `${name}: ${prefix}\${SECRET}\${NOT_SET}`]) {
          try {
            expandHeaders(parseHeaderOptions([bad]), env);
          } catch (error) {
            printed.push((error as Error).message);
          }
        }
        return printed.every((text) => !text.includes(secret));
      },
    );

  it('property: no description or error message ever holds a header value', () => {
    fc.assert(leaks(describeHeaders), { numRuns: 300 });
  });

  it('the property catches a description that prints values', () => {
    const broken = (headers: Record<string, string>): string => Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join(', ');
    expect(() => fc.assert(leaks(broken), { numRuns: 50 })).toThrow();
  });

  it('sends the expanded headers on every request, and logs no value', async () => {
    const server = await startFixtureServer();
    cleanups.push(() => server.close());
    const log: string[] = [];
    const headers = expandHeaders(parseHeaderOptions(['Authorization: Bearer ${T}', 'X-Team: blue']), { T: 'sekret-token-value' });
    const upstream = await HttpUpstream.connect({ url: server.url, headers, log: (message) => log.push(message) });
    cleanups.push(async () => {
      upstream.stdin.end();
      await upstream.stop(200);
    });
    const client = new McpStream(upstream.stdin, upstream.stdout);
    await client.initialize();
    await client.callTool('echo', { message: 'x' });
    server.expireSessions();
    await client.callTool('echo', { message: 'y' });
    expect(server.requests.length).toBeGreaterThan(4);
    for (const request of server.requests) expect(request.headers).toMatchObject({ authorization: 'Bearer sekret-token-value', 'x-team': 'blue' });
    expect(log.join('\n')).not.toContain('sekret');
  });
});
