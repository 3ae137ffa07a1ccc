import { Command } from 'commander';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.js';
import { UserError } from '../../src/errors.js';
import { openHttpUpstream } from '../../src/transport/open-upstream.js';
import { addRemoteOptions, RemoteOptionsShape, remoteFromOptions, type RemotePlan } from '../../src/transport/options.js';
import { expectTypeOf } from 'vitest';
import type { HttpUpstream } from '../../src/transport/http-upstream.js';
import type { Upstream } from '../../src/transport/upstream.js';
import type { ServerProcess } from '../../src/util/server-process.js';
import { freePort } from '../helpers/http-fixture-server.js';

const TOKEN = 'abcdefghijklmnop-token';

/** Parses like `policylayer proxy` will: commander, then the zod/mini schema, then the plan. */
function plan(argv: string[], env: NodeJS.ProcessEnv = {}): RemotePlan {
  const command = addRemoteOptions(new Command('proxy').exitOverride().argument('[command...]'));
  command.parse(argv, { from: 'user' });
  const options = parseOptions(z.object(RemoteOptionsShape), command.opts());
  return remoteFromOptions(options, command.processedArgs[0] as string[], env);
}

describe('proxy transport options', () => {
  it('stdio by default; --upstream with headers from the environment', () => {
    expect(plan(['--', 'npx', '-y', 'server'])).toEqual({ upstream: { kind: 'stdio', file: 'npx', args: ['-y', 'server'] }, listen: undefined });
    const remote = plan(['--upstream', 'https://mcp.example.com/mcp#x', '--header', 'Authorization: Bearer ${GH}', '--header', 'X-Team: a'], { GH: 'tok' });
    expect(remote.upstream).toEqual({ kind: 'http', url: new URL('https://mcp.example.com/mcp'), headers: { authorization: 'Bearer tok', 'x-team': 'a' }, transport: 'auto', oauth: undefined });
    expect(plan(['--upstream', 'https://h/mcp', '--oauth-scope', 'repo', '--no-browser', '--transport', 'sse']).upstream).toMatchObject({ transport: 'sse', oauth: { scope: 'repo', openBrowser: false } });
    expect(plan(['--upstream', 'http://127.0.0.1:3000/mcp', '--no-oauth']).upstream).toMatchObject({ oauth: undefined });
  });

  it('--header-env: a header from a variable, as it is; an Authorization header from it turns OAuth off too', () => {
    const remote = plan(['--upstream', 'https://h/mcp', '--header-env', 'Authorization=GH', '--header', 'X-Team: a', '--header-env', 'X-Raw=RAW'], { GH: 'Bearer tok', RAW: '${GH}' });
    expect(remote.upstream).toEqual({ kind: 'http', url: new URL('https://h/mcp'), headers: { authorization: 'Bearer tok', 'x-team': 'a', 'x-raw': '${GH}' }, transport: 'auto', oauth: undefined });
    expect(plan(['--upstream', 'https://h/mcp', '--header-env', 'X-Key=K'], { K: 'k' }).upstream).toMatchObject({ headers: { 'x-key': 'k' }, oauth: { scope: undefined, openBrowser: true } });
  });

  it('--listen with a token from the environment or the option', () => {
    expect(plan(['--listen', '127.0.0.1:8765', '--', 'srv'], { POLICYLAYER_AUTH_TOKEN: TOKEN }).listen).toEqual({ host: '127.0.0.1', port: 8765, auth: { token: TOKEN }, allowRemote: false, allowedOrigins: [], grantHeader: undefined });
    expect(plan(['--listen', '8765', '--no-auth', '--grant-from-header', 'X-Grant', '--allow-origin', 'http://localhost:6274', '--', 'srv']).listen).toMatchObject({ auth: 'none', grantHeader: 'X-Grant', allowedOrigins: ['http://localhost:6274'] });
    expect(plan(['--listen', '0.0.0.0:8765', '--auth-token', TOKEN, '--allow-remote', '--upstream', 'https://h/mcp']).listen).toMatchObject({ host: '0.0.0.0', allowRemote: true });
  });

  it('one line for each wrong combination', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /give the server to guard: a command after --, or --upstream <url>/],
      [['--upstream', 'https://h/mcp', '--', 'srv'], /either --upstream or a server command after --, not both/],
      [['--header', 'A: b', '--', 'srv'], /--header needs --upstream <url>/],
      [['--header-env', 'A=B', '--', 'srv'], /^--header-env needs --upstream <url>$/],
      [['--upstream', 'https://h/mcp', '--header-env', 'Authorization=MISSING'], /^--header-env Authorization uses MISSING, which is not set in the environment$/],
      [['--upstream', 'https://h/mcp', '--header-env', 'Authorization'], /^--header-env must look like "Name=VARIABLE"/],
      [['--upstream', 'https://h/mcp', '--header-env', 'Content-Type=T'], /^--header-env Content-Type: this header is set by the transport/],
      [['--upstream', 'https://h/mcp', '--header', 'X-A: 1', '--header-env', 'x-a=T'], /^--header-env x-a is given twice \(also as --header X-A\)$/],
      [['--no-oauth', '--', 'srv'], /--no-oauth needs --upstream/],
      [['--upstream', 'ftp://h/x'], /expected an http:\/\/ or https:\/\/ URL/],
      [['--upstream', 'not a url'], /is not a URL/],
      [['--upstream', 'https://user:pw@h/mcp'], /put credentials in a header \(--header-env Authorization=VAR, or --header with/],
      [['--upstream', 'http://mcp.example.com/mcp'], /plain http is unencrypted; use an https URL, or add --allow-http/],
      [['--upstream', 'https://h/mcp', '--header', 'Authorization: Bearer ${MISSING}'], /uses \$\{MISSING\}, which is not set/],
      [['--upstream', 'https://h/mcp', '--transport', 'websocket'], /--transport/],
      [['--listen', '127.0.0.1:1', '--', 'srv'], /--listen needs a token clients must send: set POLICYLAYER_AUTH_TOKEN/],
      [['--listen', '127.0.0.1:1', '--auth-token', 'short', '--', 'srv'], /at least 16 characters/],
      [['--listen', '127.0.0.1:1', '--auth-token', TOKEN, '--no-auth', '--', 'srv'], /not both/],
      [['--listen', '0.0.0.0:1', '--auth-token', TOKEN, '--', 'srv'], /--allow-remote/],
      [['--listen', '0.0.0.0:1', '--no-auth', '--allow-remote', '--', 'srv'], /--no-auth is for loopback addresses only/],
      [['--auth-token', TOKEN, '--', 'srv'], /--auth-token needs --listen/],
      [['--grant-from-header', 'X-G', '--', 'srv'], /--grant-from-header needs --listen/],
      [['--listen', '1', '--no-auth', '--grant-from-header', 'bad header', '--', 'srv'], /not a valid HTTP header name/],
      [['--listen', '1', '--no-auth', '--allow-origin', 'http://x/path', '--', 'srv'], /--allow-origin: expected scheme/],
    ];
    for (const [argv, message] of cases) expect(() => plan(argv), argv.join(' ')).toThrow(message);
  });

  it('opening an upstream that is down is a UserError (exit 2) with one line', async () => {
    const port = await freePort();
    const upstream = plan(['--upstream', `http://127.0.0.1:${port}/mcp`, '--no-oauth']).upstream;
    if (upstream.kind !== 'http') throw new Error('expected http');
    const attempt = openHttpUpstream(upstream, { env: {}, log: () => {} });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 2, message: `cannot reach http://127.0.0.1:${port}/mcp: connection refused (ECONNREFUSED)` });
  });

  it('the seam: ServerProcess and HttpUpstream are both an Upstream', () => {
    expectTypeOf<ServerProcess>().toMatchTypeOf<Upstream>();
    expectTypeOf<HttpUpstream>().toMatchTypeOf<Upstream>();
  });
});
