import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntrospectionError, catalogIdFor, displayCommand, introspectServer, listServerTools, summarize } from '../../src/catalog/introspect.js';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { ROOT } from '../helpers/cli.js';
import { launcherSource, pidFrom, stopsRunning } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

const node = process.execPath;
const SIM = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
const ODD = resolve(ROOT, 'fixtures/servers/odd-server/server.mjs');
const MODERN = resolve(ROOT, 'fixtures/servers/modern-server/server.mjs');
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...extra });

async function failure(promise: Promise<unknown>): Promise<IntrospectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntrospectionError);
  expect((error as Error).message).not.toContain('\n');
  return error as IntrospectionError;
}

describe('introspectServer against the MCP-Slicer simulator', () => {
  it('lists the three tools with their exact schemas and classes them as the built-in catalog does', async () => {
    const catalog = await introspectServer([node, SIM], { env: env() });
    expect(catalog).toMatchObject({ id: 'slicer-mcp', serverName: 'SlicerMCP', serverVersion: '1.4.1', source: 'live', launch: [node, SIM] });
    expect(catalog.tools.map((tool) => [tool.name, tool.category, tool.risk])).toEqual(mcpSlicer.tools.map((tool) => [tool.name, tool.category, tool.risk]));
    expect(catalog.tools.map((tool) => tool.inputSchema)).toEqual(mcpSlicer.tools.map((tool) => tool.inputSchema));
    for (const tool of catalog.tools) expect(tool.annotations).toBeUndefined();
    expect(catalog.tools[1]!.recommendation).toEqual({ action: 'limit', max: 10, window: 'minute' });
  });
});

describe('introspection stops what it started', () => {
  it.skipIf(process.platform === 'win32')('a server behind a launcher that dies on SIGTERM without passing it on is stopped too', async () => {
    const pidFile = join(tempDir('policylayer-introspect-'), 'server.pid');
    const listed = await listServerTools([node, '-e', launcherSource(false), SIM, pidFile], { env: env({ MCP_SLICER_SIM_IGNORE_EOF: '1' }) });
    expect(listed.tools).toHaveLength(3);
    expect(await stopsRunning(await pidFrom(pidFile))).toBe(true);
  });
});

describe('introspectServer against real servers from npm', () => {
  it('classes server-filesystem’s tools', async () => {
    const catalog = await introspectServer([node, resolve(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), ROOT], { env: env() });
    const byName = Object.fromEntries(catalog.tools.map((tool) => [tool.name, tool.category]));
    expect(byName).toMatchObject({
      read_text_file: 'Read',
      list_directory: 'Read',
      directory_tree: 'Read',
      search_files: 'Read',
      write_file: 'Write',
      edit_file: 'Write',
      move_file: 'Write',
      create_directory: 'Write',
    });
    expect(catalog.tools.length).toBeGreaterThanOrEqual(10);
  });

  it('classes server-everything’s tools, and reports where its annotations disagree', async () => {
    const catalog = await introspectServer([node, resolve(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')], { env: env() });
    const tool = (name: string) => catalog.tools.find((t) => t.name === name)!;
    expect(tool('echo').category).toBe('Read');
    expect(tool('get-sum').category).toBe('Read');
    expect(tool('toggle-simulated-logging').category).toBe('Write');
    // Named "trigger" (Execute) but annotated read-only: the higher risk wins, and it says so.
    expect(tool('trigger-long-running-operation')).toMatchObject({ category: 'Execute', conflicts: [expect.stringContaining('readOnlyHint: true')] });
  });
});

describe('listServerTools: pagination', () => {
  it('follows nextCursor through every page, in order', async () => {
    const listed = await listServerTools([node, ODD], { env: env({ ODD_TOOLS: '23', ODD_PAGE_SIZE: '4' }) });
    expect(listed.tools.map((tool) => tool.name)).toEqual(['read_notes', 'write_note', ...Array.from({ length: 23 }, (_, i) => `tool_${i}`)]);
    expect(listed.serverInfo).toEqual({ name: 'odd-server', version: 'run-1' });
    expect(listed.instructions).toBe('A fixture server for edge cases. Not for real use.');
  });

  it('gives up on a server that repeats its cursor', async () => {
    const error = await failure(listServerTools([node, ODD], { env: env({ ODD_MODE: 'repeat-cursor', ODD_PAGE_SIZE: '2' }) }));
    expect(error.message).toBe(`server \`${displayCommand([node, ODD])}\` repeated the pagination cursor "0"; giving up`);
  });
});

describe('listServerTools: protocol eras', () => {
  it('lists a server that speaks only 2026-07-28 (refuses initialize with -32022): server/discover, then tools/list with _meta', async () => {
    const listed = await listServerTools([node, MODERN], { env: env({ MODERN_SERVER_LEGACY: 'reject' }) });
    expect(listed.serverInfo).toEqual({ name: 'modern-server', version: '1.0.0' });
    expect(listed.tools.map((tool) => tool.name)).toEqual(['run', 'read_notes']);
    expect(listed.tools[0]!.inputSchema).toMatchObject({ type: 'object', properties: { code: { type: 'string' } }, required: ['code'] });
  });

  it('lists the same server through the 2025 handshake when it serves both eras', async () => {
    const listed = await listServerTools([node, MODERN], { env: env() });
    expect(listed.tools.map((tool) => tool.name)).toEqual(['run', 'read_notes']);
  });

  it('reports -32022 as a failed handshake when no 2026-07-28 revision is offered', async () => {
    const refuses = `process.stdin.on('data', (d) => { const m = JSON.parse(String(d).split('\\n')[0]); process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2024-01-01'], requested: m.params.protocolVersion } } }) + '\\n'); });`;
    const error = await failure(listServerTools([node, '-e', refuses], { env: env() }));
    expect(error.message).toMatch(/failed the MCP handshake: MCP error -32022: Unsupported protocol version/);
  });
});

describe('listServerTools: servers that fail', () => {
  it('names a command that does not exist', async () => {
    const error = await failure(listServerTools(['policylayer-no-such-server-xyz'], { env: env() }));
    expect(error.message).toBe('cannot start server: command not found: policylayer-no-such-server-xyz');
  });

  it('reports a server that exits during the handshake, with its last stderr line', async () => {
    const error = await failure(listServerTools([node, '-e', 'console.error("starting"); console.error("fatal: cannot open the store"); process.exit(4)'], { env: env() }));
    expect(error.message).toMatch(/exited before completing the MCP handshake; its last output: fatal: cannot open the store$/);
  });

  it('names the setting a server that dies at start says it is missing, in one line', async () => {
    const script = 'console.error("Error: STRIPE_SECRET_KEY environment variable is required"); console.error("    at main (file:///srv/index.js:3:9)"); process.exit(1)';
    const error = await failure(listServerTools([node, '-e', script], { env: env() }));
    expect(error.message).toMatch(/exited before completing the MCP handshake: it needs STRIPE_SECRET_KEY; its output: Error: STRIPE_SECRET_KEY environment variable is required$/);
    expect(error.message).not.toContain('\n');
  });

  it('reports a server that crashes while listing its tools', async () => {
    const error = await failure(listServerTools([node, ODD], { env: env({ ODD_MODE: 'crash-on-list' }) }));
    expect(error.message).toMatch(/exited while listing its tools; its last output: odd-server: fatal: cannot open tool registry$/);
  });

  it.each([
    ['hang', 'never answers initialize'],
    ['hang-on-list', 'never answers tools/list'],
  ])('times out on a server that %s (%s) and stops it', async (mode) => {
    const pidFile = join(tempDir('pl-odd-'), 'pid');
    const started = Date.now();
    const error = await failure(listServerTools([node, ODD], { env: env({ ODD_MODE: mode, ODD_PID_FILE: pidFile }), timeoutMs: 800 }));
    expect(error.message).toMatch(/did not list its tools within 0\.8 s \(raise --timeout if it is slow to start\)$/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('rejects an invalid tools/list result, naming the problem', async () => {
    const error = await failure(listServerTools([node, ODD], { env: env({ ODD_MODE: 'invalid-tools' }) }));
    expect(error.message).toMatch(/sent an invalid tools\/list result: tools\.0\.name: /);
  });

  it('says so when the server offers no tools', async () => {
    const error = await failure(listServerTools([node, ODD], { env: env({ ODD_MODE: 'no-tools' }) }));
    expect(error.message).toMatch(/does not offer tools \(tools\/list: method not found\)$/);
  });

  it('refuses an empty command', async () => {
    const error = await failure(listServerTools([]));
    expect(error.message).toBe('no server command given after "--"');
  });
});

describe('helpers', () => {
  it('catalogIdFor makes a kebab-case id', () => {
    expect(catalogIdFor('SlicerMCP')).toBe('slicer-mcp');
    expect(catalogIdFor('@cyanheads/git-mcp-server')).toBe('cyanheads-git-mcp-server');
    expect(catalogIdFor('!!!')).toBe('server');
  });

  it('summarize keeps the first sentence, at most about 160 characters', () => {
    expect(summarize('  Reads the notes.\n  Then more.')).toBe('Reads the notes.');
    expect(summarize(undefined)).toBe('');
    expect(summarize('x'.repeat(300))).toHaveLength(160);
  });

  it('displayCommand quotes what a shell would need quoted', () => {
    expect(displayCommand(['node', 'server.js', '--root', '/tmp/my data', "it's"])).toBe(`node server.js --root '/tmp/my data' 'it'\\''s'`);
  });
});
