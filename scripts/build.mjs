// Builds dist/ with esbuild. Three kinds of output, each for a reason:
// - dist/cli.cjs: the CLI as ONE CommonJS bundle. `policylayer lint` must start within 1.5x of bare
//   `node`; measured on Node 20, a CommonJS bundle starts ~15 ms faster than the same code as ES
//   module chunks (no ESM loader, no builtin facades). Heavy subsystems are imported lazily inside
//   command actions, so their code is only pre-parsed, and heavy packages (MCP SDK, Redis, SQLite,
//   ReDoS checker) stay external and load on demand. `yaml` is bundled: a policy, a lint config or a
//   test file in YAML loads it, and its 74 module files cost 22 ms to load from node_modules against
//   8 ms as part of one file (less again from the code cache).
// - dist/ui.mjs: the ink UI as an ES module, because ink's layout engine uses top-level await, which
//   require() cannot load. The CLI imports it by path only when a command draws a terminal UI.
// - dist/fixtures/*.mjs: fixture MCP servers that import src/ (the simulator reads the catalog).
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const external = [
  '@modelcontextprotocol/sdk',
  'better-sqlite3',
  'diff',
  'ink',
  'ink-testing-library',
  'ioredis',
  'jsonc-parser',
  'react',
  'react/jsx-runtime',
  'recheck',
  'toml-eslint-parser',
];

/**
 * Commander loads child_process (and with it net and dgram) only to run "executable" subcommands,
 * which policylayer does not use; a stub keeps that off every start.
 */
const stubChildProcessForCommander = {
  name: 'stub-child-process-for-commander',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'stub' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "module.exports = { spawn() { throw new Error('executable subcommands are not supported'); } };",
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  minify: true,
  keepNames: false,
  logLevel: 'warning',
  define: { __POLICYLAYER_BUNDLE__: 'true' },
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [stubChildProcessForCommander],
};

// Build into a fresh folder and swap it in, so a test that is running the old build never sees a half-written dist/.
const out = `dist.building-${process.pid}`;
rmSync(out, { recursive: true, force: true });

await build({ ...common, entryPoints: ['src/cli/entry.ts'], outfile: `${out}/cli.cjs`, format: 'cjs' });
// esbuild escapes non-ASCII characters in strings, templates and names (charset "ascii") but not in
// regular expression literals; escaped there too, the bundle is ASCII, which bin/run-bundle.cjs
// reads as Latin-1: a one-byte string without a UTF-8 decode (`\uXXXX` means the same character in a
// regular expression, with or without the u flag, and in a comment it is only text). Measured: lint
// starts 3-10 ms sooner (docs/dev/python-parsers.md). The source map's columns after an escaped
// character on its line are off by five per character (one line, the catalog's vocabulary).
{
  const text = readFileSync(`${out}/cli.cjs`, 'utf8');
  writeFileSync(`${out}/cli.cjs`, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
// A build id as the bundle's last line: bin/run-bundle.cjs keys the code cache on it (npm changes file times on install).
appendFileSync(`${out}/cli.cjs`, `//# policylayer-build ${randomBytes(8).toString('hex')}\n`);

const esmBanner = {
  js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);",
};
const esmEntries = {
  ui: 'src/ui/index.tsx',
  'fixtures/mcp-slicer-sim': 'fixtures/servers/mcp-slicer-sim/server.ts',
};
for (const [name, file] of Object.entries(esmEntries)) {
  if (!existsSync(file)) continue;
  await build({ ...common, entryPoints: { [name]: file }, outdir: out, outExtension: { '.js': '.mjs' }, format: 'esm', banner: esmBanner });
}

// Every import() in the CLI bundle must go through importModule (src/util/import-module.ts): under
// the code cache a bare import() fails at run time, in whichever command happens to reach it.
const bundleText = readFileSync(`${out}/cli.cjs`, 'utf8');
const bareImports = bundleText.match(/(?<![\w$.])import\(/g)?.length ?? 0;
if (bareImports !== 1) {
  console.error(`build: dist/cli.cjs has ${bareImports} import() calls; use importModule() from src/util/import-module.ts for packages and files`);
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });

// V8's code cache for the CLI bundle (see bin/run-bundle.cjs), made from its final path by running
// one lint (output discarded): the cache remembers the script's name, which stack traces show.
const cached = spawnSync(process.execPath, ['scripts/code-cache.cjs', 'dist/cli.cjs', 'lint', '--format', 'json', 'fixtures/policies/valid/seed-execute-python-code.json'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (cached.status !== 0 || !existsSync('dist/cli.cjs.cache')) console.warn('build: no code cache for dist/cli.cjs (the CLI works, but starts slower)');
