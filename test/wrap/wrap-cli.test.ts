import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, runCli } from '../helpers/cli.js';
import { SIM, useClientHome, writeFile as write } from '../helpers/client-home.js';

const client = useClientHome('pl-wrap-home-');

const CURSOR = `{
  // Cursor's servers
  "mcpServers": {
    "slicer": { "command": "${process.execPath}", "args": ["${SIM}"], "env": { "SLICER_URL": "http://localhost:2016" } },
    "docs": { "url": "https://example.com/mcp", "auth": { "CLIENT_ID": "abc" } }
  }
}
`;

const CODEX = `# Codex
[mcp_servers.slicer] # the simulator
command = "${process.execPath}"
args = ["${SIM}"]
`;

describe('policylayer wrap / unwrap', () => {
  it('lists servers of every client, with the reason a remote one cannot be wrapped', async () => {
    write(join(client.home, '.cursor/mcp.json'), CURSOR);
    write(join(client.home, '.codex/config.toml'), CODEX);
    write(join(client.project, '.vscode/mcp.json'), '{ "servers": { "mem": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }');
    const result = await runCli(['wrap', '--list'], { cwd: client.project, env: client.env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Cursor (user)  ~/.cursor/mcp.json');
    expect(result.stdout).toMatch(/docs\s+remote: not wrappable\s+https:\/\/example.com\/mcp  \(its sign-in is set up for the client \("auth"\); the proxy signs in by itself, so remove "auth" to wrap it\)/);
    expect(result.stdout).toMatch(/slicer\s+not wrapped/);
    expect(result.stdout).toContain('VS Code (project)  ~/project/.vscode/mcp.json');
    expect(result.stdout).toContain('Codex CLI (user)  ~/.codex/config.toml');
  });

  it('wraps with a diff, creates the policy from a live catalog, is idempotent, and unwraps byte for byte', async () => {
    const cursor = write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const codex = write(join(client.home, '.codex/config.toml'), CODEX);
    const dry = await runCli(['wrap', '--server', 'slicer', '--dry-run'], { cwd: client.project, env: client.env() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--- ~/.cursor/mcp.json');
    expect(dry.stdout).toContain('+++ ~/.codex/config.toml');
    expect(dry.stdout).toContain('Would create ~/.policylayer/policies/slicer.json');
    expect(dry.stdout).toContain('Dry run: nothing written.');
    expect(readFileSync(cursor, 'utf8')).toBe(CURSOR);
    expect(existsSync(join(client.home, '.policylayer'))).toBe(false);

    const wrapped = await runCli(['wrap', '--server', 'slicer'], { cwd: client.project, env: client.env() });
    expect(wrapped.stderr).toBe('');
    expect(wrapped.code).toBe(0);
    expect(wrapped.stdout).toContain('Created ~/.policylayer/policies/slicer.json (3 tools from');
    expect(wrapped.stdout).toContain('Wrapped 2 servers in 2 files.');
    const cursorText = readFileSync(cursor, 'utf8');
    expect(cursorText).toContain("// Cursor's servers");
    expect(cursorText).toContain('"proxy"');
    expect(readFileSync(codex, 'utf8')).toContain('[mcp_servers.slicer] # the simulator');
    expect(readdirSync(join(client.home, '.policylayer/backups'))).toHaveLength(2);
    const policy = JSON.parse(readFileSync(join(client.home, '.policylayer/policies/slicer.json'), 'utf8'));
    expect(policy.default).toBe('deny');

    const again = await runCli(['wrap', '--all'], { cwd: client.project, env: client.env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Wrapped 0 servers in 0 files (2 already wrapped as asked).');
    expect(readFileSync(cursor, 'utf8')).toBe(cursorText);

    const list = await runCli(['wrap', '--list'], { cwd: client.project, env: client.env() });
    expect(list.stdout).toMatch(/slicer\s+wrapped\s+/);

    const unwrapped = await runCli(['unwrap', '--all'], { cwd: client.project, env: client.env() });
    expect(unwrapped.code).toBe(0);
    expect(unwrapped.stdout).toContain('Unwrapped 2 servers');
    expect(readFileSync(cursor, 'utf8')).toBe(CURSOR);
    expect(readFileSync(codex, 'utf8')).toBe(CODEX);
  });

  it('refuses a malformed file with file:line:col and writes nothing', async () => {
    const cursor = write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const desktop = write(join(client.home, '.config/Claude/claude_desktop_config.json'), '{\n  "mcpServers": {\n    "a": { "command": "x" },\n  }\n}\n');
    const result = await runCli(['wrap', '--all'], { cwd: client.project, env: client.env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`policylayer: ${desktop}:3:28: trailing comma (the client reads this file as plain JSON) (fix the file, or leave this client out with --client)\n`);
    expect(readFileSync(cursor, 'utf8')).toBe(CURSOR);
    expect(existsSync(join(client.home, '.policylayer'))).toBe(false);
    const list = await runCli(['wrap', '--list'], { cwd: client.project, env: client.env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`Claude Desktop (user)  ~/.config/Claude/claude_desktop_config.json\n  cannot be read: ${desktop}:3:28: trailing comma`);
    expect(list.stdout).toMatch(/slicer\s+not wrapped/);
  });

  it('refuses a malformed url entry with file:line:col and writes nothing', async () => {
    const cursor = write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const vscode = write(join(client.project, '.vscode/mcp.json'), '{\n  "servers": {\n    "api": { "type": "http", "url": "https://h/mcp", "headers": "Bearer x" }\n  }\n}\n');
    const result = await runCli(['wrap', '--all'], { cwd: client.project, env: client.env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`policylayer: ${vscode}:3:65: server "api": expected "headers" to be an object of strings (fix the file, or leave this client out with --client)\n`);
    expect(readFileSync(cursor, 'utf8')).toBe(CURSOR);
    expect(existsSync(join(client.home, '.policylayer'))).toBe(false);
  });

  it('names an unknown server or client with a suggestion', async () => {
    write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const server = await runCli(['wrap', '--server', 'slicr'], { cwd: client.project, env: client.env() });
    expect(server.code).toBe(2);
    expect(server.stderr).toContain('no server "slicr" in the configurations found (did you mean "slicer"?)');
    const badClient = await runCli(['wrap', '--client', 'cursr', '--all'], { cwd: client.project, env: client.env() });
    expect(badClient.code).toBe(2);
    expect(badClient.stderr).toContain('unknown client "cursr" (did you mean "cursor"?)');
    const none = await runCli(['wrap'], { cwd: client.project, env: client.env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('choose the servers to wrap with --server NAME…, --all');
  });

  it('skips a server whose policy cannot be created, and wraps the rest', async () => {
    const cursor = write(join(client.home, '.cursor/mcp.json'), `{"mcpServers": {"slicer": {"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(SIM)}]}, "broken": {"command": "/no/such/server"}}}`);
    const result = await runCli(['wrap', '--all', '--timeout', '10s'], { cwd: client.project, env: client.env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('policylayer wrap: not wrapping broken in Cursor (user): cannot create its policy:');
    expect(result.stdout).toContain('Wrapped 1 server in 1 file.');
    const value = JSON.parse(readFileSync(cursor, 'utf8'));
    expect(value.mcpServers.broken).toEqual({ command: '/no/such/server' });
    expect(value.mcpServers.slicer.args[1]).toBe('proxy');
  });

  it('--policy: one existing policy for every chosen server, never created', async () => {
    const cursor = write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const missing = await runCli(['wrap', '--all', '--policy', 'shared.json'], { cwd: client.project, env: client.env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('policylayer: --policy shared.json: no such file; write it (policylayer init -o shared.json -- <server command>), or leave --policy out to get one policy per server\n');
    const policy = write(join(client.project, 'shared.json'), '{"version": "1", "default": "deny"}\n');
    const result = await runCli(['wrap', '--all', '--policy', 'shared.json'], { cwd: client.project, env: client.env() });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Created');
    const args = JSON.parse(readFileSync(cursor, 'utf8').replace(/^\s*\/\/.*$/m, '')).mcpServers.slicer.args;
    expect(args.slice(1, 4)).toEqual(['proxy', '--policy', policy]);
  });

  it('works from the built binary, where the TOML and JSONC parsers load from node_modules', async () => {
    write(join(client.home, '.codex/config.toml'), CODEX);
    write(join(client.home, '.cursor/mcp.json'), CURSOR);
    const result = await runBin(['wrap', '--server', 'slicer', '--dry-run'], { cwd: client.project, env: client.env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- ~/.codex/config.toml');
    expect(result.stdout).toContain(`+args = [${JSON.stringify(resolve(ROOT, 'bin/policylayer'))}, "proxy", "--policy"`);
    expect(result.stdout).toContain('+    "slicer": { "command": ');
  });
});
