import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/catalog/classify.js';
import { ROOT, runBin } from '../helpers/cli.js';

const RUN_BUNDLE = join(ROOT, 'bin/run-bundle.cjs');
const BUNDLE = join(ROOT, 'dist/cli.cjs');

/** Runs the built CLI through bin/run-bundle.cjs with `cache`, and reports whether V8 took the cache. */
function runWithCache(cache: string, args: string[]) {
  const script = `
    const { runBundle } = require(${JSON.stringify(RUN_BUNDLE)});
    process.argv = [process.argv[0], ${JSON.stringify(BUNDLE)}, ...${JSON.stringify(args)}];
    const script = runBundle(${JSON.stringify(BUNDLE)}, ${JSON.stringify(cache)});
    process.on('exit', () => process.stderr.write('cachedDataRejected=' + script.cachedDataRejected + '\\n'));
  `;
  return spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
}

describe('the launcher and its code cache', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('uses the cache the build made for this bundle', () => {
    const result = runWithCache(`${BUNDLE}.cache`, ['--version']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('cachedDataRejected=false');
  });

  it('ignores a cache made for another bundle and still runs', () => {
    dir = mkdtempSync(join(tmpdir(), 'policylayer-cache-'));
    const stale = join(dir, 'cli.cjs.cache');
    copyFileSync(`${BUNDLE}.cache`, stale);
    // Same cache data, header of another bundle: it must not even be offered to V8.
    writeFileSync(stale, Buffer.concat([Buffer.from('policylayer-code-cache 1 1'.padEnd(64)), Buffer.alloc(16)]));
    const result = runWithCache(stale, ['lint', 'fixtures/policies/valid/seed-execute-python-code.json']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no problems');
    expect(result.stderr).toContain('cachedDataRejected=undefined');
  });

  it('lends import() to the bundle: a command that imports a package at run time works from the cache', () => {
    // init against a live server imports the MCP SDK client at run time.
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/policylayer'), 'init', '-o', '-', '--', process.execPath, join(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stderr).not.toMatch(/dynamic import|ExperimentalWarning/);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).default).toBe('deny');
  });
});

/** Answers initialize and tools/list with the tools in $TOOLS: a live server for `catalog --`. */
const WORDS_SERVER = `
const tools = JSON.parse(process.env.TOOLS);
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.id === undefined) continue;
    const result = m.method === 'initialize'
      ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'words', version: '1.0.0' } }
      : m.method === 'tools/list' ? { tools } : {};
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
  }
});`;

describe('the bundle is ASCII', () => {
  it('so the launcher reads it as a one-byte string, without decoding', () => {
    expect(isAscii(readFileSync(BUNDLE))).toBe(true);
  });

  it('and the regular expressions the build escaped still mean what the source says: the built catalog classes as the source does', async () => {
    // Descriptions that only the non-ASCII words of the classifier's expressions decide.
    const schema = { type: 'object', properties: { sql: { type: 'string' } } };
    const tools = [
      { name: 'run_query', description: '执行只读 SQL 查询', inputSchema: schema },
      { name: 'run_query_tw', description: '執行唯讀查詢，唯读', inputSchema: schema },
      { name: 'run_query_ja', description: 'SQL を読み取り専用で実行します', inputSchema: schema },
      { name: 'run_query_es', description: 'Ejecuta una consulta de sólo lectura', inputSchema: schema },
      { name: 'run_query_de', description: 'Führt eine schreibgeschützt Abfrage aus', inputSchema: schema },
      { name: 'run_query_not', description: '执行非只读 SQL', inputSchema: schema },
      { name: 'evaluate', description: 'Python コードを実行', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
      { name: 'process', description: '执行 the steps', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    ];
    const result = await runBin(['catalog', '--format', 'json', '--', process.execPath, '-e', WORDS_SERVER], { env: { TOOLS: JSON.stringify(tools) }, timeoutMs: 20_000 });
    expect(result.code, result.stderr).toBe(0);
    const built = (JSON.parse(result.stdout) as { tools: Array<{ name: string; category: string; reason: string }> }).tools;
    const fromSource = tools.map((tool) => {
      const classified = classifyTool(tool);
      return { name: tool.name, category: classified.category, reason: classified.reason };
    });
    expect(built.map(({ name, category, reason }) => ({ name, category, reason }))).toEqual(fromSource);
    // Not vacuous: the words decide (a read-only query is Read, not Execute by its verb).
    expect(built.find((tool) => tool.name === 'run_query')?.category).toBe('Read');
  });
});
