import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

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
