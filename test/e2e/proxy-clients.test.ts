/**
 * Real MCP clients through the BUILT binary: the SDK's Client over its own stdio transport, and
 * @modelcontextprotocol/inspector-cli. They validate every message against the MCP schemas, so a
 * malformed denial or a mangled frame fails here.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { SIM } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const policy = join(dir, 'slicer.json');
writeFileSync(
  policy,
  JSON.stringify({
    version: '1',
    default: 'deny',
    hide: ['capture_screenshot'],
    tools: { list_nodes: {}, execute_python_code: { limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }] } },
  }),
);

const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
});

async function connect(args: string[]): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'proxy', ...args], stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
  const client = new Client({ name: 'policylayer-e2e', version: '1' });
  clients.push(client);
  await client.connect(transport);
  return client;
}

describe('the SDK Client through `policylayer proxy` (built binary)', () => {
  it('lists the visible tools, gets allowed results and readable denials, and the audit log verifies', async () => {
    const audit = join(dir, 'sdk-audit.jsonl');
    const client = await connect(['--policy', policy, '--audit', audit, '--', process.execPath, SIM]);
    expect(client.getServerVersion()?.name).toBe('SlicerMCP');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_nodes', 'execute_python_code']);

    const allowed = await client.callTool({ name: 'execute_python_code', arguments: { code: '__execResult = 6*7' } });
    expect(allowed.isError).toBeUndefined();
    expect(JSON.parse((allowed.content as Array<{ text: string }>)[0]!.text)).toEqual({ success: true, message: 42 });

    const hidden = await client.callTool({ name: 'capture_screenshot', arguments: {} });
    expect(hidden).toEqual({
      content: [{ type: 'text', text: '[POLICY DENIED] Tool "capture_screenshot" is hidden by policy' }],
      isError: true,
      _meta: { 'policylayer/decision': { rule: '(hidden)', outcome: 'deny', retry_after_ms: null } },
    });
    await client.close();

    const verify = spawn(process.execPath, [BIN, 'audit', 'verify', audit]);
    let out = '';
    verify.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await new Promise((done) => verify.on('close', done))).toBe(0);
    expect(out).toMatch(/intact: 6 lines, 1 run, sealed/);
    const events = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string; tool?: string; outcome?: string });
    expect(events.map((entry) => [entry.event, entry.tool, entry.outcome].filter(Boolean).join(' '))).toEqual([
      'start',
      'call execute_python_code allow',
      'result execute_python_code',
      'call capture_screenshot deny',
      'stop',
      'seal',
    ]);
  });
});

describe('@modelcontextprotocol/inspector-cli through `policylayer proxy` (built binary)', () => {
  // inspector-cli 1.0.3 finds its own package.json relative to the working folder (modelcontextprotocol/inspector#834):
  // it works when ../package.json exists, so it runs from test/ (whose parent is the project root).
  const inspector = resolve(ROOT, 'node_modules/@modelcontextprotocol/inspector-cli/build/index.js');
  function inspect(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      // Its own options go before the first "--" (with the command); the command's arguments after it.
      const child = spawn(process.execPath, [inspector, process.execPath, ...args, '--', BIN, 'proxy', '--policy', policy, '--', process.execPath, SIM], { cwd: resolve(ROOT, 'test') });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });
  }

  it('lists tools without the hidden one', async () => {
    const result = await inspect(['--method', 'tools/list']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name)).toEqual(['list_nodes', 'execute_python_code']);
  });

  it('calls an allowed tool and gets the denial result for a denied one', async () => {
    const allowed = await inspect(['--method', 'tools/call', '--tool-name', 'list_nodes', '--tool-arg', 'filter_type=ids']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('vtkMRMLScalarVolumeNode1');
    const denied = await inspect(['--method', 'tools/call', '--tool-name', 'capture_screenshot']);
    expect(denied.code, denied.stderr).toBe(0); // inspector-cli 1.0.3 exits 0 for isError results
    expect(JSON.parse(denied.stdout)).toMatchObject({ isError: true, content: [{ text: '[POLICY DENIED] Tool "capture_screenshot" is hidden by policy' }] });
  });
});
