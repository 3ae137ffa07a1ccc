// Classifier accuracy, end to end: the built binary introspects each real server of the labelled set
// (`policylayer catalog --format json -- node <server>`) and its classes are compared with the hand
// labels in fixtures/catalog/labelled-tools.json. Prints category accuracy (target: 90% or better),
// accuracy per server, a confusion table, every miss, and the median time of one live introspection.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BIN, ROOT, fmt, median } from './lib.mjs';

const CATEGORIES = ['Read', 'Write', 'Execute', 'Destructive', 'Financial'];

function serverCommand(server) {
  const dir = resolve(ROOT, 'node_modules', server.package);
  const json = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
  const bins = typeof json.bin === 'string' ? { main: json.bin } : json.bin;
  const entry = server.bin ? bins[server.bin] : Object.values(bins)[0];
  return [process.execPath, resolve(dirname(resolve(dir, 'package.json')), entry), ...server.args];
}

function catalogOf(server) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, 'catalog', '--format', 'json', '--timeout', '60s', '--', ...serverCommand(server)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...server.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`catalog of ${server.id} failed: ${result.stderr.trim()}`);
  return { catalog: JSON.parse(result.stdout), ms };
}

function pad(text, width) {
  return String(text).padEnd(width);
}

export async function run() {
  const { servers } = JSON.parse(readFileSync(resolve(ROOT, 'fixtures/catalog/servers.json'), 'utf8'));
  const { tools: labelled } = JSON.parse(readFileSync(resolve(ROOT, 'fixtures/catalog/labelled-tools.json'), 'utf8'));
  const confusion = Object.fromEntries(CATEGORIES.map((label) => [label, Object.fromEntries(CATEGORIES.map((got) => [got, 0]))]));
  const misses = [];
  const perServer = [];
  const times = [];
  let correct = 0;
  let total = 0;
  let missesWithConflicts = 0;

  for (const server of servers) {
    const { catalog, ms } = catalogOf(server);
    times.push(ms);
    const classes = new Map(catalog.tools.map((tool) => [tool.name, tool]));
    let serverCorrect = 0;
    const serverTools = labelled.filter((tool) => tool.server === server.id);
    for (const tool of serverTools) {
      const got = classes.get(tool.name);
      if (!got) throw new Error(`${server.id}/${tool.name} is labelled but the server no longer lists it`);
      confusion[tool.label][got.category]++;
      total++;
      if (got.category === tool.label) {
        correct++;
        serverCorrect++;
      } else {
        if ((got.conflicts ?? []).length > 0) missesWithConflicts++;
        misses.push(`${server.id}/${tool.name}: labelled ${tool.label}, classified ${got.category} (confidence ${got.confidence})${(got.conflicts ?? []).length > 0 ? ' [conflicting evidence, higher risk kept]' : ''}`);
      }
    }
    perServer.push([server.id, serverCorrect, serverTools.length]);
  }

  const accuracy = (100 * correct) / total;
  console.log(`Category accuracy: ${fmt(accuracy)}% (${correct}/${total} tools from ${servers.length} npm servers; target ≥ 90%: ${accuracy >= 90 ? 'met' : 'NOT met'})`);
  console.log(`Misses on tools whose evidence conflicted (the higher risk is kept by design): ${missesWithConflicts} of ${total - correct}`);
  console.log(`One live introspection (start, initialize, list, stop), median over ${times.length} servers: ${fmt(median(times), 0)} ms\n`);

  console.log('Per server:');
  for (const [id, ok, n] of perServer) console.log(`  ${pad(id, 20)} ${pad(`${ok}/${n}`, 7)} ${fmt((100 * ok) / n)}%`);

  console.log('\nConfusion (rows: hand label, columns: classifier):');
  const width = 12;
  console.log(`  ${pad('', width)}${CATEGORIES.map((c) => pad(c, width)).join('')}  recall`);
  for (const label of CATEGORIES) {
    const row = confusion[label];
    const n = CATEGORIES.reduce((sum, got) => sum + row[got], 0);
    console.log(`  ${pad(label, width)}${CATEGORIES.map((got) => pad(row[got], width)).join('')}  ${n ? fmt((100 * row[label]) / n) : '-'}%`);
  }
  const precision = CATEGORIES.map((got) => {
    const n = CATEGORIES.reduce((sum, label) => sum + confusion[label][got], 0);
    return pad(n ? `${fmt((100 * confusion[got][got]) / n)}%` : '-', width);
  });
  console.log(`  ${pad('precision', width)}${precision.join('')}`);

  console.log('\nMisses:');
  for (const miss of misses) console.log(`  ${miss}`);
}
