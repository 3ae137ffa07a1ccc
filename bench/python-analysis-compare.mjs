// The Python analysis alone, against the analysis it was tuned from (test/python/reference/
// analysis-main/, the copy the differential test checks it against), interleaved in one process so
// that the machine's load hits both alike:
//
//   node bench/python-analysis-compare.mjs [rounds]
//
// On the bench's scripts (whole benign corpus scripts topped up to 2 KiB and 10 KiB, 50 distinct of
// each): CPU ms per analysis of an already copied tree (the bench's "analysis" column), and on a
// tree parsed just before (parse + copy + analysis, less parse + copy: what the analysis adds to a
// decision, with the tree fresh in cache). Medians of `rounds` (5) interleaved rounds. Not part of
// `npm run bench` (it bundles test code).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { importFromSource, median, ROOT } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 5);
const name = `bench-python-analysis-${process.pid}`;
// Bundled into dist/, next to the CLI bundle, so the parser's wasm files are found as the CLI finds them.
const m = await importFromSource(join(ROOT, 'dist'), name, {
  stdin: {
    contents: [
      "export { loadPythonParser, parsePythonWith } from './src/python/parser.ts';",
      "export { analyse } from './src/python/analyse.ts';",
      "export { analyse as referenceAnalyse } from './test/python/reference/analysis-main/analyse.ts';",
    ].join('\n'),
    resolveDir: ROOT,
    loader: 'ts',
  },
});
rmSync(join(ROOT, 'dist', `${name}.mjs`), { force: true });
await m.loadPythonParser();

const benign = parseYaml(readFileSync(join(ROOT, 'fixtures/tests/python-guard/slicer-benign.policytest.yaml'), 'utf8'))
  .cases.map((c) => c.args?.code)
  .filter((code) => typeof code === 'string');

/** As bench/python-guard.bench.mjs builds them: whole corpus scripts, topped up with assignments; distinct. */
function scripts(size, count) {
  const out = [];
  for (let i = 0; out.length < count; i++) {
    let text = '';
    for (let k = i; ; k++) {
      const next = `${benign[k % benign.length]}\n`;
      if (text.length + next.length > size) break;
      text += next;
    }
    for (let n = 0; text.length < size; n++) text += `v${n} = ${n}\n`;
    out.push(`${text}# ${String(i).padStart(8, '0')}\n`);
  }
  return out;
}

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

function cpuPerCall(fn, n, times = 3) {
  for (let i = 0; i < n; i++) fn(i);
  const samples = [];
  for (let r = 0; r < times; r++) {
    const start = cpuMs();
    for (let i = 0; i < n; i++) fn(i);
    samples.push((cpuMs() - start) / n);
  }
  return median(samples);
}

console.log(`python analysis, tuned against the reference (CPU ms an analysis, medians of ${rounds} interleaved rounds)`);
console.log('  script   copied trees: reference   tuned   ratio   fresh trees: reference   tuned   ratio');
for (const size of [2048, 10240]) {
  const pool = scripts(size, 50);
  const trees = pool.map((code) => m.parsePythonWith(code, 'memory'));
  const n = Math.round((400 * 2048) / size);
  const cold = { reference: [], tuned: [] };
  const fresh = { parse: [], reference: [], tuned: [] };
  for (let r = 0; r < rounds; r++) {
    cold.reference.push(cpuPerCall((i) => m.referenceAnalyse(trees[i % 50], pool[i % 50]), n));
    cold.tuned.push(cpuPerCall((i) => m.analyse(trees[i % 50], pool[i % 50]), n));
    fresh.parse.push(cpuPerCall((i) => m.parsePythonWith(pool[i % 50], 'memory'), n));
    fresh.reference.push(cpuPerCall((i) => m.referenceAnalyse(m.parsePythonWith(pool[i % 50], 'memory'), pool[i % 50]), n));
    fresh.tuned.push(cpuPerCall((i) => m.analyse(m.parsePythonWith(pool[i % 50], 'memory'), pool[i % 50]), n));
  }
  const parse = median(fresh.parse);
  const [cr, ct, fr, ft] = [median(cold.reference), median(cold.tuned), median(fresh.reference) - parse, median(fresh.tuned) - parse];
  const f = (x) => x.toFixed(3).padStart(7);
  console.log(`  ${String(size / 1024).padStart(2)} KiB   ${f(cr)}               ${f(ct)}  ${(ct / cr).toFixed(2).padStart(5)}   ${f(fr)}              ${f(ft)}  ${(ft / fr).toFixed(2).padStart(5)}`);
}
