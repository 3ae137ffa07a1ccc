import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogText } from '../../src/catalog/catalog-file.js';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { ROOT, runBin, runCli } from '../helpers/cli.js';
import { expectGolden } from '../helpers/golden.js';
import { tempDir } from '../helpers/temp.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');
const SIM = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
const ODD = resolve(ROOT, 'fixtures/servers/odd-server/server.mjs');
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('policylayer catalog', () => {
  it('lists the built-in servers', async () => {
    const result = await runCli(['catalog']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SERVER\s+NAME\s+TOOLS\s+LAUNCH\s+SUMMARY\nmcp-slicer\s+MCP-Slicer\s+3\s+uvx mcp-slicer\s+Drives 3D Slicer/);
    expect(JSON.parse((await runCli(['catalog', '--format', 'json'])).stdout)).toEqual([
      { id: 'mcp-slicer', name: 'MCP-Slicer', serverName: 'SlicerMCP', summary: mcpSlicer.summary, launch: ['uvx', 'mcp-slicer'], homepage: mcpSlicer.homepage, tools: 3 },
    ]);
  });

  it('shows MCP-Slicer as a table, and that it declares no annotations', async () => {
    const result = await runCli(['catalog', 'mcp-slicer']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expectGolden(GOLDEN, 'catalog-mcp-slicer.txt', result.stdout);
    expect(result.stdout).toContain('Annotations: the server declares none for any tool (MCP defaults apply');
  });

  it('colours risk on a terminal, and not with NO_COLOR', async () => {
    const coloured = await runCli(['catalog', 'mcp-slicer'], { isTTY: true });
    expect(coloured.stdout).toContain('\u001b[31mHigh'); // red
    expect(coloured.stdout).toContain('\u001b[32mLow'); // green
    const plain = await runCli(['catalog', 'mcp-slicer'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('prints the catalog JSON that lint --catalog reads', async () => {
    const result = await runCli(['catalog', 'mcp-slicer', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(mcpSlicer);
    expect(parseCatalogText('slicer.json', result.stdout)).toEqual(mcpSlicer);
  });

  it('classifies a live server after --, with evidence on request', async () => {
    const result = await runCli(['catalog', '--evidence', '--', process.execPath, SIM], { env });
    expect(result.code).toBe(0);
    // The name once: no derived id after it ("SlicerMCP  (slicer-mcp)" said nothing new).
    expect(result.stdout.split('\n').slice(0, 2)).toEqual(['SlicerMCP', `SlicerMCP 1.4.1, introspected live from: ${process.execPath} ${SIM}`]);
    expect(result.stdout).toMatch(/execute_python_code\s+Execute\s+High\s+0\.\d\d\s+code\*\s+limit 10\/minute per grant/);
    expect(result.stdout).toContain('- parameter "code" (string) → Execute');
    expect(result.stdout).toContain(`Recommended policy: policylayer init -- ${process.execPath} ${SIM}`);
  });

  it('shows conflicting evidence', async () => {
    const result = await runCli(['catalog', '--', process.execPath, resolve(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/conflict: the server marks it read-only \(readOnlyHint: true\), but its name has verb "trigger"/);
    expect(result.stdout).toMatch(/\d+ tools? needs? review \(weak or conflicting evidence\): .*trigger-long-running-operation/);
    expect(result.stdout).toMatch(/trigger-long-running-operation\s+Execute\?\s+High/);
  });

  it('reads back a saved catalog file', async () => {
    const dir = tempDir('pl-catalog-');
    const saved = await runCli(['catalog', '--format', 'json', '--', process.execPath, ODD], { env });
    writeFileSync(join(dir, 'odd.catalog.json'), saved.stdout);
    const result = await runCli(['catalog', 'odd.catalog.json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^odd-server\nA fixture server for edge cases\./);
    expect(result.stdout).toMatch(/write_note\s+Write\s+Medium/);
    const broken = await runCli(['catalog', 'missing.catalog.json'], { cwd: dir });
    expect(broken).toMatchObject({ code: 2, stderr: 'policylayer: missing.catalog.json: no such catalog file\n' });
  });

  it('classifies a saved tools/list answer: the result, the JSON-RPC response, or its pages in order', async () => {
    const dir = tempDir('pl-tools-list-');
    const tools = [
      { name: 'list_orders', description: 'List orders.', inputSchema: { type: 'object', properties: {} } },
      { name: 'TwilioApiV2010--CreateIncomingPhoneNumber', description: 'Twilio - Api: This is the public Twilio REST API. Purchase a phone-number for the account.', inputSchema: { type: 'object', properties: {} } },
    ];
    writeFileSync(join(dir, 'shop.json'), JSON.stringify({ tools }));
    writeFileSync(join(dir, 'rpc.json'), JSON.stringify({ jsonrpc: '2.0', id: 2, result: { tools } }));
    writeFileSync(join(dir, 'pages.json'), JSON.stringify([{ jsonrpc: '2.0', id: 2, result: { tools: tools.slice(0, 1), nextCursor: 'p2' } }, { jsonrpc: '2.0', id: 3, result: { tools: tools.slice(1) } }]));
    for (const file of ['shop.json', 'rpc.json', 'pages.json']) {
      const result = await runCli(['catalog', '--format', 'json', file], { cwd: dir });
      expect(result.code, file).toBe(0);
      const catalog = JSON.parse(result.stdout) as { source: string; tools: Array<{ name: string; category: string }> };
      expect(catalog.source).toBe('tools-list');
      expect(catalog.tools.map((tool) => `${tool.name}:${tool.category}`)).toEqual(['list_orders:Read', 'TwilioApiV2010--CreateIncomingPhoneNumber:Financial']);
    }
    const table = await runCli(['catalog', 'shop.json'], { cwd: dir });
    expect(table.stdout).toMatch(/^shop\nclassified from a saved tools\/list answer/);
    const init = await runCli(['init', '-o', '-', 'rpc.json'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('"list_orders": {}');

    writeFileSync(join(dir, 'partial.json'), JSON.stringify({ tools, nextCursor: 'more' }));
    writeFileSync(join(dir, 'error.json'), JSON.stringify({ jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'Method not found' } }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ tools: [{ description: 'no name' }] }));
    expect(await runCli(['catalog', 'partial.json'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: partial.json: holds only part of the tools: its last page has nextCursor "more"; save every page (a JSON array of the answers, in order)\n' });
    expect(await runCli(['catalog', 'error.json'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'policylayer: error.json: holds a JSON-RPC error, not a tools/list answer: Method not found (code -32601)\n' });
    expect((await runCli(['catalog', 'bad.json'], { cwd: dir })).stderr).toMatch(/^policylayer: bad\.json: not a valid tools\/list answer: tools\[0\]\.name /);
  });

  it.each([
    [['catalog', 'mcp-slicr'], 'policylayer: no built-in catalog "mcp-slicr" (did you mean "mcp-slicer"?); built-in: mcp-slicer; for any other server give its command after --\n'],
    [['catalog', 'a', 'b'], 'policylayer: catalog takes one server, got 2 (a b); put a server command after --\n'],
    [['catalog', '--'], 'policylayer: no server command after "--"; usage: policylayer catalog [<server> | -- <command> [args…]]\n'],
    [['catalog', 'mcp-slicer', '--format', 'yaml'], 'policylayer: --format: expected one of table, json, not "yaml"\n'],
    [['catalog', '--timeout', 'soon', '--', 'x'], 'policylayer: --timeout: expected a duration such as 30s, 1500ms or 2m (at most 1 hour), got "soon"\n'],
    [['catalog', 'mcp-slicer', '--', 'node', 'x.js'], 'policylayer: give a built-in server or a command after --, not both ("mcp-slicer" and "node x.js")\n'],
  ])('%j is a usage error (exit 2, one line)', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(message);
  });
});

describe('policylayer catalog through the built binary', () => {
  it('exits 0 with the table, and 2 with one line for a server that crashes, hangs or does not exist', async () => {
    const ok = await runBin(['catalog', 'mcp-slicer']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('execute_python_code  Execute   High');

    const missing = await runBin(['catalog', '--', 'policylayer-no-such-server-xyz']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'policylayer: cannot start server: command not found: policylayer-no-such-server-xyz\n' });

    const crash = await runBin(['catalog', '--', process.execPath, ODD], { env: { ODD_MODE: 'crash-on-list' } });
    expect(crash.code).toBe(2);
    expect(crash.stderr).toMatch(/^policylayer: server `.*` exited while listing its tools; its last output: odd-server: fatal: cannot open tool registry\n$/);

    const hang = await runBin(['catalog', '--timeout', '1s', '--', process.execPath, ODD], { env: { ODD_MODE: 'hang' }, timeoutMs: 10_000 });
    expect(hang.signal).toBeNull();
    expect(hang.code).toBe(2);
    expect(hang.stderr).toMatch(/did not list its tools within 1 s/);

    const json = await runBin(['catalog', '--format', 'json', '--', process.execPath, ODD], { env: { ODD_TOOLS: '5', ODD_PAGE_SIZE: '2' } });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { tools: Array<{ name: string; category: string }>; summary: string };
    expect(parsed.tools.map((tool) => `${tool.name}:${tool.category}`)).toEqual([
      'read_notes:Read',
      'write_note:Write',
      'tool_0:Read',
      'tool_1:Read',
      'tool_2:Read',
      'tool_3:Read',
      'tool_4:Read',
    ]);
    expect(parsed.summary).toBe('A fixture server for edge cases.');
  });
});
