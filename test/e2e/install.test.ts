/**
 * Installing like a CLI: `npm pack`, then `npm install -g` of the tarball into a temporary prefix,
 * then the `policylayer` on that prefix's PATH. Offline-first from npm's cache and without install
 * scripts, so it takes seconds. better-sqlite3 (for --state file:) is an optional peer that the
 * install leaves out: its absence, and then a copy installed next to policylayer but not built,
 * must each read as one clear line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { SQLITE_MISSING } from '../helpers/requirements.js';

/** The version `npm run setup:file-state` installs. */
const BETTER_SQLITE3 = JSON.parse(readFileSync(join(ROOT, 'optional/file-state/package.json'), 'utf8')).dependencies['better-sqlite3'] as string;

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let prefix: string;

function policylayer(args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const bin = join(prefix, 'bin');
  const result = spawnSync('policylayer', args, { cwd, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pl-install-'));
  prefix = join(dir, 'prefix');
  // dist/ is built by `npm test` (and by `npm pack` itself through "prepare" elsewhere); skip the rebuild here.
  execFileSync(NPM, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
  execFileSync(NPM, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: dir, stdio: 'pipe' });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm install -g of the packed tarball', () => {
  it('puts policylayer on PATH: --version, and a lint with findings', () => {
    const version = policylayer(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: ROOT, encoding: 'utf8' })));
    writeFileSync(join(dir, 'policylayer.json'), '{"version": "1", "default": "deny", "tools": {"x": {"limit": []}}}\n');
    const lint = policylayer(['lint', '--format', 'json']);
    expect(lint.status).toBe(1);
    expect(JSON.parse(lint.stdout).files[0].findings[0].ruleId).toBe('unknown-key');
  });

  it("starts from the build's code cache although npm gave the files new times", () => {
    const installed = join(prefix, 'lib/node_modules/policylayer');
    const script = `
      const { runBundle } = require(${JSON.stringify(join(installed, 'bin/run-bundle.cjs'))});
      const bundle = ${JSON.stringify(join(installed, 'dist/cli.cjs'))};
      process.argv = [process.argv[0], bundle, '--version'];
      const script = runBundle(bundle, bundle + '.cache');
      process.on('exit', () => process.stderr.write('cachedDataRejected=' + script.cachedDataRejected + '\\n'));
    `;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('cachedDataRejected=false');
  });

  it('installs only what runs: no dev dependencies, and wrap finds its parsers', () => {
    const installed = readdirSync(join(prefix, 'lib/node_modules/policylayer/node_modules'));
    for (const dev of ['esbuild', 'vitest', 'typescript', 'fast-check', 'ink-testing-library']) expect(installed).not.toContain(dev);
    expect(readdirSync(join(prefix, 'lib/node_modules/policylayer/node_modules/@modelcontextprotocol'))).toEqual(['sdk']);
    mkdirSync(join(dir, '.codex'));
    writeFileSync(join(dir, '.codex/config.toml'), '[mcp_servers.x]\ncommand = "x"\n');
    const list = policylayer(['wrap', '--list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/Codex CLI \(user\)\s+~\/\.codex\/config\.toml\n\s+x\s+not wrapped/);
  });

  it('--state file: says in one line that better-sqlite3 is missing, then finds a global one (here not built)', () => {
    writeFileSync(join(dir, 'p.json'), '{"version": "1", "default": "allow"}\n');
    // explain only reads a state file: an existing one gets as far as loading better-sqlite3.
    const state = `file:${join(dir, 's.sqlite')}`;
    writeFileSync(join(dir, 's.sqlite'), '');
    const explain = () => policylayer(['explain', '--policy', 'p.json', '--tool', 't', '--state', state]);
    expect(explain()).toMatchObject({ status: 2, stderr: `policylayer: ${state}: ${SQLITE_MISSING}\n` });
    // What the line tells a global user to do, without the build (minutes here): the module resolves.
    execFileSync(NPM, ['install', '--global', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', `better-sqlite3@${BETTER_SQLITE3}`], { cwd: dir, stdio: 'pipe' });
    expect(explain()).toMatchObject({
      status: 2,
      stderr: `policylayer: ${state}: counters in a file need better-sqlite3's native module, which was not built here (npm rebuild better-sqlite3, or use --state memory or redis://)\n`,
    });
  }, 120_000);
});
