import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeHeaders,
  expandHeaders,
  HeaderError,
  parseHeaderEnvOption,
  parseHeaderOption,
  parseHeaderOptions,
  variablesOf,
  type HeaderSpec,
  type HeaderTemplate,
} from '../../src/transport/headers.js';
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
    expect(variablesOf((headers[2] as HeaderTemplate).template)).toEqual(['A', 'B']);
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

  it('--header-env Name=VAR sends the variable\'s value as it is: nothing in it is expanded', () => {
    const headers = parseHeaderOptions(['X-Team: blue'], ['Authorization=GITHUB_TOKEN', ' X-Raw = raw_value ']);
    expect(headers).toEqual([
      { name: 'X-Team', template: 'blue' },
      { name: 'Authorization', variable: 'GITHUB_TOKEN' },
      { name: 'X-Raw', variable: 'raw_value' },
    ]);
    const env = { GITHUB_TOKEN: 'Bearer ${NOT_EXPANDED} $HOME "quoted" ünï', raw_value: '${GITHUB_TOKEN}' };
    expect(expandHeaders(headers, env)).toEqual({ 'x-team': 'blue', authorization: 'Bearer ${NOT_EXPANDED} $HOME "quoted" ünï', 'x-raw': '${GITHUB_TOKEN}' });
  });

  it('a header named __proto__ is sent like any other (found by the wrap round-trip property)', () => {
    const expanded = expandHeaders(parseHeaderOptions(['__proto__: a'], ['constructor=V']), { V: 'b' });
    expect(Object.entries(expanded)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
  });

  it('--header-env: the same checks as --header, one line each, naming the option', () => {
    expect(() => parseHeaderEnvOption('GITHUB_TOKEN')).toThrow(new HeaderError('--header-env must look like "Name=VARIABLE" (a header name, "=", then an environment variable\'s name)'));
    expect(() => parseHeaderEnvOption('=TOKEN')).toThrow(/must look like "Name=VARIABLE"/);
    expect(() => parseHeaderEnvOption('Bad Name=TOKEN')).toThrow(new HeaderError('--header-env: the text before "=" is not a valid HTTP header name'));
    expect(() => parseHeaderEnvOption('Mcp-Session-Id=S')).toThrow(new HeaderError('--header-env Mcp-Session-Id: this header is set by the transport and cannot be given'));
    expect(() => parseHeaderEnvOption('Host=H')).toThrow(/set by the transport/);
    expect(() => parseHeaderEnvOption('Authorization=')).toThrow(new HeaderError('--header-env Authorization: the text after "=" is not an environment variable\'s name (letters, digits and _); put the value in a variable and give its name'));
    expect(() => parseHeaderOptions([], ['X-A=A', 'x-a=B'])).toThrow(new HeaderError('--header-env x-a is given twice (also as X-A)'));
    expect(() => parseHeaderOptions(['Authorization: Bearer ${T}'], ['authorization=T'])).toThrow(new HeaderError('--header-env authorization is given twice (also as --header Authorization)'));
    expect(() => parseHeaderOptions(['X-A: 1', 'x-a: 2'])).toThrow(new HeaderError('--header x-a is given twice (also as X-A)'));
    expect(() => expandHeaders(parseHeaderOptions([], ['Authorization=MISSING_TOKEN']), {})).toThrow(new HeaderError('--header-env Authorization uses MISSING_TOKEN, which is not set in the environment'));
    expect(() => expandHeaders(parseHeaderOptions([], ['Authorization=EMPTY']), { EMPTY: '' })).toThrow(new HeaderError('--header-env Authorization uses EMPTY, which is not set in the environment'));
    expect(() => expandHeaders(parseHeaderOptions([], ['X-A=V']), { V: 'a\r\nX-Injected: 1' })).toThrow(new HeaderError('--header-env X-A: the value holds a line break or NUL character'));
    expect(() => expandHeaders(parseHeaderOptions([], ['X-A=V']), { V: 'a\0' })).toThrow(/NUL/);
  });

  it('--header-env never echoes what follows "=" unless it looks like a variable name in capitals (a token pasted there)', () => {
    const message = (fromEnv: string, env: NodeJS.ProcessEnv = {}): string => {
      try {
        expandHeaders(parseHeaderOptions([], [fromEnv]), env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message('Authorization=Bearer ghp_abc123')).not.toContain('ghp_abc123');
    expect(message('Authorization=ghp_abc123')).toBe('--header-env Authorization: the variable after "=" is not set in the environment (its name is not shown: with lower-case letters it may be a value given by mistake)');
    expect(message('Authorization=gh-token.v1')).not.toContain('gh-token');
    expect(message('Authorization=ghp_abc123', { ghp_abc123: 'set' })).toBe('accepted');
    // The documented boundary: a name in capitals is shown, so that a missing variable can be found.
    expect(message('Authorization=GH_TOKEN')).toContain('GH_TOKEN');
  });

  type Expand = (headers: readonly HeaderSpec[], env: NodeJS.ProcessEnv) => Record<string, string>;

  /**
   * Values must not appear in anything we print: descriptions, and every error message, for values
   * given right and given where they do not belong. Secrets hold a lower-case letter: a capitals-only
   * word after `--header-env Name=` is shown as the variable's name (the documented boundary).
   */
  const leaks = (describe: (headers: Record<string, string>) => string, expand: Expand = expandHeaders) =>
    fc.property(
      fc.oneof(
        fc.string({ minLength: 6, maxLength: 40 }).filter((secret) => /^[\x21-\x7e]+$/.test(secret) && !secret.includes('${') && /[a-z]/.test(secret)),
        // Tokens shaped like GitHub's and Slack's: valid variable names, the easy slip in `--header-env Name=…`.
        fc.stringMatching(/^(ghp|gho|xoxb|sk)_[a-z][A-Za-z0-9]{8,30}$/),
      ),
      fc.constantFrom('Authorization', 'X-Api-Key', 'Cookie'),
      fc.constantFrom('', 'Bearer ', 'token='),
      (secret, name, prefix) => {
        const printed: string[] = [];
        const env = { SECRET: secret, VALUE: `${prefix}${secret}`, BROKEN: `${secret}\r\nX-Injected: 1` };
        printed.push(describe(expand(parseHeaderOptions([`${name}: ${prefix}\${SECRET}`], ['X-From-Env=VALUE']), env)));
        const attempts: Array<[string[], string[]]> = [
          [[`${prefix}${secret}`], []],
          [[`${name} ${prefix}${secret}: x`], []],
          [[`${name}: ${prefix}\${SECRET}\${NOT_SET}`], []],
          [[], [`${name}=${prefix}${secret}`]],
          [[], [`${prefix}${secret}`]],
          [[], [`${name} ${prefix}${secret}=VALUE`]],
          [[], [`${name}=BROKEN`]],
          [[`${name}: \${SECRET}`], [`${name}=VALUE`]],
        ];
        for (const [headers, fromEnv] of attempts) {
          try {
            expand(parseHeaderOptions(headers, fromEnv), env);
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

  it('the property catches an error that names whatever follows --header-env\'s "="', () => {
    const naming: Expand = (headers, env) => {
      for (const header of headers) if ('variable' in header && !env[header.variable]) throw new HeaderError(`--header-env ${header.name} uses ${header.variable}, which is not set in the environment`);
      return expandHeaders(headers, env);
    };
    expect(() => fc.assert(leaks(describeHeaders, naming), { numRuns: 100 })).toThrow();
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
