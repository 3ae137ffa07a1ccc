/**
 * Refreshes the classifier's corpus from the real servers: installs them into corpus/ on demand
 * (`npm ci --prefix corpus`; they are not part of the project's own `npm ci`), starts each one
 * listed in fixtures/catalog/servers.json, and saves its tools/list answer as
 * fixtures/catalog/tools-list/<id>@<version>.json. Labels in fixtures/catalog/labels.json are kept;
 * a new tool gets `"label": null`, which the tests refuse until a person labels it by hand, and a
 * label whose tool is gone is dropped and reported.
 *
 *   npx tsx scripts/update-labelled-tools.ts            refresh every server (installs corpus/ if missing)
 *   npx tsx scripts/update-labelled-tools.ts neon twilio    only these servers
 *   npx tsx scripts/update-labelled-tools.ts --check    change nothing; exit 1 if a server now lists something else
 *   npx tsx scripts/update-labelled-tools.ts --install  reinstall corpus/ first
 *
 * The redis server needs a Redis; CORPUS_REDIS_URL overrides its URL (default redis://127.0.0.1:6379/15).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { listServerTools } from '../src/catalog/introspect.js';
import { CORPUS_DIR, LABELS_FILE, ROOT, TOOLS_LIST_DIR, fixtureFiles, loadLabels, loadServers, type CorpusServer, type Label } from '../fixtures/catalog/corpus.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((arg) => !arg.startsWith('--'));

if (args.includes('--install') || !existsSync(resolve(CORPUS_DIR, 'node_modules'))) {
  process.stderr.write('installing the corpus servers into corpus/ (npm ci --prefix corpus)…\n');
  const result = spawnSync('npm', ['ci', '--prefix', CORPUS_DIR, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function serverCommand(server: CorpusServer): { command: string[]; version: string } {
  const file = resolve(CORPUS_DIR, 'node_modules', server.package, 'package.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { version: string; bin?: string | Record<string, string> };
  const bins = typeof json.bin === 'string' ? { main: json.bin } : (json.bin ?? {});
  const entry = server.entry ?? (server.bin ? bins[server.bin] : Object.values(bins)[0]);
  if (!entry) throw new Error(`${server.package} has no bin ${server.bin ?? ''}`);
  const fromRoot = (value: string) => (value.startsWith('fixtures/') ? resolve(ROOT, value) : value);
  const serverArgs = server.args.map((arg) => (server.id === 'redis' && arg.startsWith('redis://') ? (process.env.CORPUS_REDIS_URL ?? arg) : fromRoot(arg)));
  return { command: [process.execPath, resolve(dirname(file), entry), ...serverArgs], version: json.version };
}

const servers = loadServers().filter((server) => only.length === 0 || only.includes(server.id));
const fixtures = fixtureFiles();
const labelFile = loadLabels();
let labels: Label[] = labelFile.labels;
let changed = 0;
let failed = 0;

for (const server of servers) {
  const { command, version } = serverCommand(server);
  const env = Object.fromEntries(Object.entries(server.env).map(([key, value]) => [key, value.startsWith('fixtures/') ? resolve(ROOT, value) : value]));
  let listed;
  try {
    listed = await listServerTools(command, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd: ROOT, timeoutMs: 60_000 });
  } catch (error) {
    process.stderr.write(`${server.id}: ${(error as Error).message}\n`);
    failed++;
    continue;
  }
  const answer = { tools: listed.tools };
  const old = fixtures.get(server.id);
  const previous = old ? (JSON.parse(readFileSync(old.file, 'utf8')) as typeof answer) : undefined;
  const same = old?.version === version && isDeepStrictEqual(previous, answer);
  const names = new Set(listed.tools.map((tool) => tool.name));
  const added = listed.tools.filter((tool) => !labels.some((label) => label.server === server.id && label.tool === tool.name)).map((tool) => tool.name);
  const removed = labels.filter((label) => label.server === server.id && !names.has(label.tool)).map((label) => label.tool);
  process.stderr.write(`${server.id} (${server.package}@${version}): ${listed.tools.length} tools${same ? ', unchanged' : ''}${added.length ? `; new: ${added.join(', ')}` : ''}${removed.length ? `; gone: ${removed.join(', ')}` : ''}\n`);
  if (same) continue;
  changed++;
  if (check) continue;
  if (old) rmSync(old.file);
  writeFileSync(resolve(TOOLS_LIST_DIR, `${server.id}@${version}.json`), `${JSON.stringify(answer, null, 2)}\n`);
  labels = labels.filter((label) => label.server !== server.id || names.has(label.tool));
  const at = labels.findLastIndex((label) => label.server === server.id) + 1 || labels.length;
  labels.splice(at, 0, ...added.map((tool): Label => ({ server: server.id, tool, label: null, why: '' })));
}

if (check) {
  process.stderr.write(changed === 0 ? 'every saved answer matches its server\n' : `${changed} server(s) now list something else; run without --check\n`);
  process.exit(changed === 0 && failed === 0 ? 0 : 1);
}
const lines = labels.map((label, i) => `    ${JSON.stringify(label)}${i < labels.length - 1 ? ',' : ''}`);
writeFileSync(
  LABELS_FILE,
  `{\n  "$comment": ${JSON.stringify(labelFile.$comment)},\n  "rubric": ${JSON.stringify(labelFile.rubric, null, 4).replace(/\n/g, '\n  ')},\n  "labels": [\n${lines.join('\n')}\n  ]\n}\n`,
);
const unlabelled = labels.filter((label) => label.label === null).length;
process.stderr.write(`${changed} fixture(s) written${failed > 0 ? `; ${failed} server(s) failed to start` : ''}${unlabelled > 0 ? `; ${unlabelled} tool(s) need a hand label in ${LABELS_FILE}` : ''}\n`);
process.exit(failed > 0 || unlabelled > 0 ? 1 : 0);
