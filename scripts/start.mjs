// `npm start`: builds dist/ if it is missing or older than the sources, then runs the demo
// (fixtures/demo/run.mjs): the MCP-Slicer simulator behind `policylayer proxy`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['dist/cli.cjs', 'dist/fixtures/mcp-slicer-sim.mjs'].map((file) => join(root, file));

function newest(folder) {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = outputs.every((file) => existsSync(file)) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'fixtures/servers')));
if (built < sources) {
  process.stderr.write('building dist/ first (npm run build)…\n');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const demo = spawnSync(process.execPath, [join(root, 'fixtures/demo/run.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(demo.status ?? 1);
