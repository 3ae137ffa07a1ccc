/**
 * What a client does with a wrapped entry: start `command` with `args` (and the entry's env) and
 * speak MCP to it. The real SDK client against a real server from npm, through the entry wrap wrote.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { useClientHome, writeFile } from '../helpers/client-home.js';

const MEMORY = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const client = useClientHome('pl-wrapped-entry-');

describe('a wrapped entry, started as a client starts it', () => {
  it('runs the server behind the proxy with the policy wrap created, and audits the calls', async () => {
    const memoryFile = join(client.home, 'memory.jsonl');
    const config = writeFile(
      join(client.home, '.config/Claude/claude_desktop_config.json'),
      JSON.stringify({ mcpServers: { memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: memoryFile } } } }, null, 2),
    );
    const wrapped = await runCli(['wrap', '--server', 'memory'], { cwd: client.home, env: client.env() });
    expect(wrapped.stderr).toBe('');
    expect(wrapped.code).toBe(0);
    const entry = JSON.parse(readFileSync(config, 'utf8')).mcpServers.memory;
    expect(entry.env).toEqual({ MEMORY_FILE_PATH: memoryFile });
    const policy = JSON.parse(readFileSync(join(client.home, '.policylayer/policies/memory.json'), 'utf8'));

    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: process.env.PATH ?? '', ...entry.env }, stderr: 'pipe' });
    const mcp = new Client({ name: 'wrap-e2e', version: '1' });
    await mcp.connect(transport);
    try {
      const tools = (await mcp.listTools()).tools.map((tool) => tool.name);
      // Hidden tools (the Destructive ones) are gone from the list; the rest are there.
      for (const hidden of policy.hide ?? []) expect(tools).not.toContain(hidden);
      expect(tools).toContain('read_graph');
      const read = await mcp.callTool({ name: 'read_graph', arguments: {} });
      expect(read.isError).toBeFalsy();
      const hidden = (policy.hide ?? [])[0] as string | undefined;
      if (hidden) {
        const denied = await mcp.callTool({ name: hidden, arguments: {} });
        expect(denied.isError).toBe(true);
        expect(JSON.stringify(denied.content)).toContain('[POLICY DENIED]');
      }
    } finally {
      await mcp.close();
    }
    const audit = readFileSync(join(client.home, '.policylayer/audit/memory.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(audit.filter((line) => line.event === 'call').map((line) => [line.tool, line.outcome])[0]).toEqual(['read_graph', 'allow']);

    const doctor = await runCli(['doctor', '--format', 'json'], { cwd: client.home, env: client.env() });
    const server = JSON.parse(doctor.stdout).servers.find((s: { name: string }) => s.name === 'memory');
    expect(server).toMatchObject({ wrapped: true, policy: { exists: true, errors: 0 }, audit: { exists: true, last: { tool: policy.hide?.length ? policy.hide[0] : 'read_graph' } } });
  });
});
