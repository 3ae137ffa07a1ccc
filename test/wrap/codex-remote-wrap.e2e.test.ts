/**
 * A Codex CLI remote entry through wrap, as Codex meets it: a config.toml whose url entry reaches a
 * real Streamable HTTP server (the SDK's, on loopback) that refuses any request without its three
 * headers (bearer token from bearer_token_env_var, a static http_headers value, an
 * env_http_headers value). wrap --dry-run writes nothing; wrap creates the policy from the live
 * tools and rewrites the entry (golden); the entry started the way Codex starts a stdio server
 * (command, args, and only Codex's default variables, the names in env_vars and env:
 * codex-rs/rmcp-client/src/utils.rs) reaches the server through the proxy with every header;
 * without env_vars it would not; doctor shows it wrapped; wrap again changes nothing; unwrap gives
 * back the bytes.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { useClientHome, writeFile } from '../helpers/client-home.js';
import { expectGolden } from '../helpers/golden.js';
import { startFixtureServer, type FixtureServer } from '../helpers/http-fixture-server.js';
import { loadTomlBackend } from '../../src/wrap/toml-config.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const client = useClientHome('pl-codex-remote-');
const TOKEN = 'tok-codex-9f3a';
const ORG = 'org-77';
let server: FixtureServer;

/** What Codex passes to a stdio server on Unix besides env and env_vars (DEFAULT_ENV_VARS in codex-rs/rmcp-client/src/utils.rs). */
const CODEX_DEFAULT_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', '__CF_USER_TEXT_ENCODING', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'TZ'];

/** The environment Codex starts a stdio entry with (create_env_for_mcp_server): its defaults and env_vars from its own environment, then env. */
function codexStdioEnv(codexEnv: Record<string, string | undefined>, entry: { env_vars?: string[]; env?: Record<string, string> }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...CODEX_DEFAULT_ENV, ...(entry.env_vars ?? [])]) if (codexEnv[name] !== undefined) env[name] = codexEnv[name]!;
  return { ...env, ...entry.env };
}

beforeAll(async () => {
  server = await startFixtureServer({
    authorize: (req) =>
      req.headers.authorization === `Bearer ${TOKEN}` && req.headers['x-team'] === 'blue' && req.headers['x-org'] === ORG ? undefined : { status: 403 },
  });
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('a wrapped Codex remote entry, started as Codex starts it', () => {
  it('reaches the server through the proxy with every header, from only the variables Codex passes on; dry run, doctor, idempotence and a byte-for-byte unwrap', async () => {
    const toml = `# Codex CLI
model = "gpt-5-codex"

[mcp_servers.remote]
url = "${server.url.href}"
bearer_token_env_var = "REMOTE_TOKEN" # from the shell
http_headers = { "X-Team" = "blue" }
env_http_headers = { "X-Org" = "REMOTE_ORG" }
startup_timeout_sec = 20
`;
    const config = writeFile(join(client.home, '.codex/config.toml'), toml);
    // The shell Codex runs in: the token and org are there, and a variable Codex does not pass on.
    const shell = { ...client.env(), REMOTE_TOKEN: TOKEN, REMOTE_ORG: ORG, UNRELATED: 'not-for-servers' };

    const dry = await runCli(['wrap', '--client', 'codex', '--server', 'remote', '--dry-run'], { cwd: client.project, env: shell });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+env_vars = ["REMOTE_TOKEN", "REMOTE_ORG"]');
    expect(readFileSync(config, 'utf8')).toBe(toml);
    expect(existsSync(join(client.home, '.policylayer/policies/remote.json'))).toBe(false);

    const wrapped = await runCli(['wrap', '--client', 'codex', '--server', 'remote'], { cwd: client.project, env: shell });
    expect(wrapped.stderr).toBe('');
    expect(wrapped.code).toBe(0);
    expect(wrapped.stdout).toMatch(/Created ~\/\.policylayer\/policies\/remote\.json \(\d+ tools from /);
    const after = readFileSync(config, 'utf8');
    const normalized = after.replaceAll(process.execPath, '<node>').replaceAll(BIN, '<bin>').replaceAll(client.home, '<home>').replaceAll(server.url.href, '<url>');
    expectGolden(GOLDEN, 'codex-remote-wrapped.toml', normalized);
    expect(after).not.toContain(TOKEN);
    expect(after).not.toContain(ORG);

    const backend = await loadTomlBackend();
    const entry = (backend.parse({ client: 'codex', scope: 'user', path: config, format: 'toml', shape: { kind: 'servers-at', key: 'mcp_servers' } }, after).value as {
      mcp_servers: { remote: { command: string; args: string[]; env_vars: string[]; env: Record<string, string> } };
    }).mcp_servers.remote;

    const start = async (env: Record<string, string>) => {
      let stderr = '';
      // The SDK adds HOME, LOGNAME, PATH, SHELL, TERM and USER from this process when missing: names Codex passes on too.
      const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env, cwd: client.project, stderr: 'pipe' });
      transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const mcp = new Client({ name: 'codex-like', version: '1' });
      return { mcp, connect: () => mcp.connect(transport), stderr: () => stderr };
    };

    const before = server.requests.length;
    const run = await start(codexStdioEnv(shell, entry));
    expect(Object.keys(codexStdioEnv(shell, entry))).not.toContain('UNRELATED');
    await run.connect();
    try {
      expect((await run.mcp.listTools()).tools.map((tool) => tool.name)).toContain('echo');
      const echo = await run.mcp.callTool({ name: 'echo', arguments: { message: 'from codex' } });
      expect(echo.isError).toBeFalsy();
      expect(JSON.stringify(echo.content)).toContain('from codex');
    } finally {
      await run.mcp.close();
    }
    const through = server.requests.slice(before);
    expect(through.length).toBeGreaterThan(0);
    for (const request of through) expect([request.headers.authorization, request.headers['x-team'], request.headers['x-org']]).toEqual([`Bearer ${TOKEN}`, 'blue', ORG]);
    expect(run.stderr()).not.toContain(TOKEN);
    const audit = readFileSync(join(client.home, '.policylayer/audit/remote.jsonl'), 'utf8');
    expect(audit).toContain('"tool":"echo"');
    expect(audit).not.toContain(TOKEN);

    // Without env_vars Codex would not pass the token on: the proxy says which variable is missing, and nothing reaches the server.
    const bare = await start(codexStdioEnv(shell, { env: entry.env }));
    const quiet = server.requests.length;
    await expect(bare.connect()).rejects.toThrow();
    expect(bare.stderr()).toContain('REMOTE_TOKEN');
    expect(server.requests.length).toBe(quiet);

    const doctor = await runCli(['doctor', '--format', 'json'], { cwd: client.project, env: shell });
    const report = JSON.parse(doctor.stdout) as { servers: Array<{ name: string }>; problems: Array<{ server: string }> };
    expect(report.servers.find((s) => s.name === 'remote')).toMatchObject({ wrapped: true, transport: 'remote', target: server.url.href, policy: { exists: true, errors: 0 }, proxy: { binExists: true } });
    expect(report.problems.filter((p) => p.server === 'remote')).toEqual([]);
    expect(doctor.stdout).not.toContain(TOKEN);

    const again = await runCli(['wrap', '--client', 'codex', '--all'], { cwd: client.project, env: shell });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(1 already wrapped as asked)');
    expect(readFileSync(config, 'utf8')).toBe(after);

    const unwrapped = await runCli(['unwrap', '--all'], { cwd: client.project, env: shell });
    expect(unwrapped.stderr).toBe('');
    expect(unwrapped.stdout).not.toContain('not byte for byte');
    expect(unwrapped.code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(toml);
  }, 60_000);

  it('lists an entry Codex would not load, or whose sign-in is its own, as not wrappable, and writes nothing', async () => {
    const toml = `[mcp_servers.slack]
url = "https://mcp.slack.com/mcp"
oauth = { client_id = "abc" }

[mcp_servers.mixed]
url = "${server.url.href}"
env = { A = "1" }
`;
    const config = writeFile(join(client.home, '.codex/config.toml'), toml);
    const list = await runCli(['wrap', '--list', '--client', 'codex'], { cwd: client.project, env: client.env() });
    expect(list.stdout).toContain('its sign-in is set up for Codex ("oauth")');
    expect(list.stdout).toContain('Codex does not accept "env" next to "url"');
    const all = await runCli(['wrap', '--client', 'codex', '--all'], { cwd: client.project, env: client.env() });
    expect(readFileSync(config, 'utf8')).toBe(toml);
    expect(all.stdout + all.stderr).not.toContain('Wrapped');
  }, 30_000);
});
