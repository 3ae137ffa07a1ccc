// The Python guard (`op: python`, the strict MCP-Slicer profile of `init --strict`):
// 1. decisions per second on 2 KiB scripts, in process (the engine as the CLI bundle builds it),
//    a different script every call (the headline: no cache answers), and the same script resent;
//    where one decision's CPU goes, 2 KiB and 10 KiB, next to tree-sitter's own parse (the floor);
// 2. the proxy's added median (p50) for one execute_python_code call of a 10 KiB script: the proxy
//    with the strict policy against the same proxy with the seed policy (no guard), sequential
//    calls to the MCP-Slicer simulator, interleaved; target under 1 ms;
// 3. the first-call cost after start-up: loading the parser (once per process, when a policy with a
//    python condition is loaded) in process, and whole processes: `explain` with and without the
//    guard, and a proxy's start to its first answered call;
// 4. `lint` of the strict policy next to bare node (lint never loads the parser): target ≤ 1.5×.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BIN, fmt, importFromSource, interleaved, median, ROOT } from './lib.mjs';
import { ENGINE_EXPORTS, Peer } from './python-guard-lib.mjs';

const STRICT = join(ROOT, 'fixtures/python-guard/mcp-slicer-strict.json');
const SEED = join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json');
const SIM = join(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');

function corpus(file) {
  return parseYaml(readFileSync(join(ROOT, 'fixtures/tests/python-guard', file), 'utf8'))
    .cases.map((c) => c.args?.code)
    .filter((code) => typeof code === 'string');
}

/**
 * Whether the strict guard allows a script (set by inProcess() once the engine is loaded). Two
 * benign scripts can be denied together: the analysis reads every binding of a name everywhere, so
 * one script's `for f in Path(d).glob(…)` makes another's `f.replace(…)` a possible Path.replace.
 */
let allowed = () => true;

/** Valid scripts of `size` characters: whole benign corpus scripts (varied, allowed together), topped up with assignments. */
function scripts(size, count) {
  const benign = corpus('slicer-benign.policytest.yaml');
  const out = [];
  for (let i = 0; out.length < count; i++) {
    let text = '';
    for (let k = i, skipped = 0; skipped < benign.length; k++) {
      const next = `${benign[k % benign.length]}\n`;
      if (text.length + next.length > size) break;
      if (!allowed(text + next)) {
        skipped++;
        continue;
      }
      text += next;
    }
    for (let n = 0; text.length < size; n++) text += `v${n} = ${n}\n`.slice(0, size - text.length).replace(/[^\n]*$/, (tail) => (tail.length && !tail.endsWith('\n') ? '#'.repeat(tail.length) : tail));
    out.push(text);
  }
  return out;
}

/** Every script distinct (a counter in a last comment), so neither the analysis cache nor the verdict cache ever answers. */
function distinct(scripts) {
  let serial = 0;
  return (i) => `${scripts[i % scripts.length]}# ${String(serial++).padStart(8, '0')}\n`;
}

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/** Median CPU ms per call of fn over `rounds` rounds of `n` calls (after one warm-up round). */
function cpuPerCall(fn, n, rounds = 7) {
  for (let i = 0; i < n; i++) fn(i);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = cpuMs();
    for (let i = 0; i < n; i++) fn(i);
    samples.push((cpuMs() - start) / n);
  }
  return median(samples);
}

function unlimited(file) {
  const policy = JSON.parse(readFileSync(file, 'utf8'));
  policy.tools.execute_python_code.limits[0].max = 1_000_000_000;
  return policy;
}

async function inProcess() {
  // Bundled into dist/ (next to the CLI bundle) so the parser's wasm files are found as the CLI finds them.
  const engine = await importFromSource(join(ROOT, 'dist'), `bench-python-guard-${process.pid}`, {
    stdin: {
      contents: [
        ...ENGINE_EXPORTS,
        // The parts of one decision, from the same bundle (one parser, one memory reader):
        "export { parsePythonWith, pythonTreeReader, useFastParser } from './src/python/parser.ts';",
        "export { fastParsePython } from './src/python/fast-parser.ts';",
        "export { withCPythonLineBreaks } from './src/python/line-breaks.ts';",
        "export { analyse } from './src/python/analyse.ts';",
        "export { compileGuard, evaluateGuard } from './src/python/guard.ts';",
        "export { STRICT_PYTHON_GUARD } from './src/catalog/python-guard-profile.ts';",
        "export { checkPython } from './src/python/index.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
  const policy = engine.compilePolicy(unlimited(STRICT));
  const t0 = performance.now();
  await engine.loadCodeAnalysis(policy);
  const loadMs = performance.now() - t0;
  const strictGuard = engine.compileGuard(engine.STRICT_PYTHON_GUARD);
  allowed = (code) => engine.checkPython(strictGuard, code) === undefined;
  const store = new engine.MemoryCounterStore();
  const call = (code, i) => ({ tool: 'execute_python_code', args: { code }, grant: `g${i % 50}`, session: 's' });
  const t1 = performance.now();
  const first = engine.decide(policy, call('import numpy as np\nx = np.zeros(3)\n', 0), store, Date.UTC(2026, 10, 24));
  const firstMs = performance.now() - t1;
  if (first.outcome !== 'allow') throw new Error(`the first call was ${first.outcome}: ${first.message}`);

  const twoKiB = distinct(scripts(2048, 200));
  const rounds = [];
  const cpuRounds = [];
  let now = Date.UTC(2026, 10, 24);
  const decideAllowed = (code, i) => {
    const decision = engine.decide(policy, call(code, i), store, (now += 1));
    if (decision.outcome !== 'allow') throw new Error(`a benign script was denied: ${decision.message}`);
  };
  for (let r = 0; r < 7; r++) {
    const total = 2000;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let i = 0; i < total; i++) decideAllowed(twoKiB(i), i);
    const used = process.cpuUsage(cpu);
    rounds.push(total / (Number(process.hrtime.bigint() - start) / 1e9));
    // CPU time too: on a shared machine the wall clock also counts the time spent waiting for a core.
    cpuRounds.push(total / ((used.user + used.system) / 1e6));
  }
  // The same script resent (an agent's retry, a replay): answered from the caches.
  const resent = twoKiB(0);
  const resentMs = cpuPerCall((i) => decideAllowed(resent, i), 2000);

  // Where one decision's CPU goes. tree-sitter's own parse, through web-tree-sitter alone, is the floor.
  // The same web-tree-sitter module the engine initialised (node resolves one copy).
  const { Parser, Language } = await import('web-tree-sitter');
  const require = createRequire(join(ROOT, 'package.json'));
  const bare = new Parser();
  bare.setLanguage(await Language.load(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'))));
  const guard = engine.compileGuard(engine.STRICT_PYTHON_GUARD);
  const breakdown = {};
  for (const size of [2048, 10240]) {
    const next = distinct(scripts(size, 50));
    // The text the guard parses: CR line breaks as CPython reads them (some corpus scripts have CRLF).
    const pool = Array.from({ length: 50 }, (_, i) => engine.withCPythonLineBreaks(next(i)));
    const n = Math.round((400 * 2048) / size);
    const parse = cpuPerCall((i) => bare.parse(pool[i % 50]).delete(), n);
    const parseAndRead = cpuPerCall((i) => engine.parsePythonWith(pool[i % 50], 'memory'), n);
    const parseAndCursor = cpuPerCall((i) => engine.parsePythonWith(pool[i % 50], 'cursor'), n);
    const trees = pool.map((code) => engine.parsePythonWith(code, 'memory'));
    const analysis = cpuPerCall((i) => engine.analyse(trees[i % 50], pool[i % 50]), n);
    const analyses = pool.map((code, i) => engine.analyse(trees[i], code));
    const verdict = cpuPerCall((i) => engine.evaluateGuard(guard, analyses[i % 50]), n);
    const decision = cpuPerCall((i) => decideAllowed(next(i), i), n);
    // The hand-written fast path (src/python/fast-parser.ts): its parse, how many of these scripts it
    // accepts (the rest go to tree-sitter), and decide() with it switched off, interleaved.
    const fast = cpuPerCall((i) => engine.fastParsePython(pool[i % 50]), n);
    const accepted = pool.filter((code) => engine.fastParsePython(code) !== undefined).length / pool.length;
    engine.useFastParser(false);
    const decisionTreeSitter = cpuPerCall((i) => decideAllowed(next(i), i), n);
    engine.useFastParser(true);
    breakdown[size] = { parse, read: parseAndRead - parse, cursor: parseAndCursor - parse, analysis, verdict, decision, fast, accepted, decisionTreeSitter, kib: size / 1024 };
  }
  rmSync(join(ROOT, 'dist', `bench-python-guard-${process.pid}.mjs`), { force: true });
  return {
    loadMs,
    firstMs,
    perSecond: median(rounds),
    perCpuSecond: median(cpuRounds),
    resentMs,
    breakdown,
    reader: engine.pythonTreeReader(),
  };
}

/** A worker thread's round trip for a 10 KiB script that does no work: what moving the analysis off the main thread would add to every call. */
async function workerRoundTrip(code) {
  const worker = new Worker('const { parentPort } = require("node:worker_threads"); parentPort.on("message", (m) => parentPort.postMessage(m.length));', { eval: true });
  const once = () =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      worker.once('message', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
      worker.postMessage(code);
    });
  for (let i = 0; i < 200; i++) await once();
  const samples = [];
  for (let i = 0; i < 1000; i++) samples.push(await once());
  await worker.terminate();
  return median(samples);
}

/** How many different scripts the proxy measurement sends in turn (each call a different one). */
const COMPOSITIONS = 20;

async function proxies(dir) {
  const strict = join(dir, 'strict.json');
  const seed = join(dir, 'seed.json');
  writeFileSync(strict, JSON.stringify(unlimited(STRICT)));
  writeFileSync(seed, JSON.stringify(unlimited(SEED)));
  // Distinct scripts (a counter in a final comment), so no call is answered from the guard's cache of
  // recent code; and 20 different ones in turn: the same 10 KiB of code costs 0.7 to 1.5 ms to decide
  // depending on what it holds, and one script alone measured the cheap end (docs/dev/python-parsers.md).
  const bases = scripts(10 * 1024 - 16, COMPOSITIONS);
  const smalls = scripts(2 * 1024 - 16, COMPOSITIONS);
  let serial = 0;
  const next = () => `${bases[serial % COMPOSITIONS]}# call ${String(serial++).padStart(8, '0')}\n`;
  const nextSmall = () => `${smalls[serial % COMPOSITIONS]}# call ${String(serial++).padStart(8, '0')}\n`;
  const code = next();

  // Start-up to first answered call, fresh processes, interleaved.
  const firstCall = { guard: [], plain: [] };
  for (let r = 0; r < 5; r++) {
    for (const [name, policy] of [['plain', seed], ['guard', strict]]) {
      const peer = new Peer([BIN, 'proxy', '--policy', policy, '--', process.execPath, SIM]);
      await peer.initialize();
      await peer.call(next());
      firstCall[name].push(performance.now() - peer.started);
      await peer.close();
    }
  }

  const peers = { plain: new Peer([BIN, 'proxy', '--policy', seed, '--', process.execPath, SIM]), guard: new Peer([BIN, 'proxy', '--policy', strict, '--', process.execPath, SIM]) };
  const latency = { plain: [], guard: [] };
  const latencySmall = { plain: [], guard: [] };
  try {
    for (const peer of Object.values(peers)) {
      await peer.initialize();
      for (let i = 0; i < 300; i++) await peer.call(next());
    }
    for (let round = 0; round < 10; round++) {
      const order = round % 2 ? ['guard', 'plain'] : ['plain', 'guard'];
      for (const name of order) for (let i = 0; i < 200; i++) latency[name].push(await peers[name].call(next()));
      // And 2 KiB scripts, the size of most agents' scripts, fewer calls.
      for (const name of order) for (let i = 0; i < 100; i++) latencySmall[name].push(await peers[name].call(nextSmall()));
    }
  } finally {
    await Promise.all(Object.values(peers).map((peer) => peer.close()));
  }
  return { code, latency, latencySmall, firstCall };
}

export async function run() {
  console.log(`load average at start: ${os.loadavg().map((n) => fmt(n, 1)).join(', ')} (${os.availableParallelism()} cores): on a shared machine, wall-clock figures include waiting for a core\n`);
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-guard-'));
  try {
    const local = await inProcess();
    console.log(`in process (the engine as bundled; strict MCP-Slicer profile, every script allowed so the whole code is read)`);
    console.log(`  load the parser (once per process)          ${fmt(local.loadMs)} ms`);
    console.log(`  first decision after loading                ${fmt(local.firstMs, 2)} ms`);
    console.log(`  decisions/s on 2 KiB scripts, a different one each call  ${fmt(local.perSecond, 0)} wall clock, ${fmt(local.perCpuSecond, 0)} per CPU second (medians of 7 rounds of 2,000)`);
    console.log(`  the same 2 KiB script resent (caches answer)  ${fmt(local.resentMs * 1000, 1)} µs CPU a decision`);
    console.log(`  tree copy: ${local.reader.kind === 'memory' ? 'read from WebAssembly memory' : `cursor walk (${local.reader.reason})`}`);
    console.log(`\nwhere one decision's CPU goes (ms a script, medians of 7 rounds; a different script each call)`);
    console.log(`  script   tree-sitter parse (floor)   read tree (cursor walk instead)   analysis   verdict   whole decide()`);
    for (const b of Object.values(local.breakdown)) {
      console.log(
        `  ${fmt(b.kib, 0).padStart(2)} KiB   ${fmt(b.parse, 3)} (${fmt(b.parse / b.kib, 3)}/KiB)         ${fmt(b.read, 3)} (${fmt(b.cursor, 3)})                     ${fmt(b.analysis, 3)}      ${fmt(b.verdict, 3)}     ${fmt(b.decision, 3)}`,
      );
    }
    console.log(`\nthe hand-written fast parser (builds tree-sitter's tree where it is sure, else declines to tree-sitter)`);
    console.log(`  script   fast parse (accepted)   tree-sitter parse + read   decide() fast path on   off`);
    for (const b of Object.values(local.breakdown)) {
      console.log(
        `  ${fmt(b.kib, 0).padStart(2)} KiB   ${fmt(b.fast, 3)} (${fmt(b.accepted * 100, 0)}%)            ${fmt(b.parse + b.read, 3)}                      ${fmt(b.decision, 3)}                   ${fmt(b.decisionTreeSitter, 3)}`,
      );
    }

    const { code, latency, latencySmall, firstCall } = await proxies(dir);
    const roundTrip = await workerRoundTrip(code);
    const [plain, guard] = [median(latency.plain), median(latency.guard)];
    console.log(`\nproxy, execute_python_code with a ${fmt(code.length / 1024, 1)} KiB script (${COMPOSITIONS} different scripts in turn, each call distinct), 10×200 sequential calls each, interleaved`);
    console.log(`  p50 without the guard (seed policy)         ${fmt(plain * 1000, 0)} µs`);
    console.log(`  p50 with the strict guard                   ${fmt(guard * 1000, 0)} µs`);
    console.log(`  added p50                                   ${fmt((guard - plain) * 1000, 0)} µs (target < 1,000 µs; tree-sitter's parse alone is ${fmt(local.breakdown[10240].parse * 1000, 0)} µs CPU)`);
    console.log(`  added p50 for a 2 KiB script (10×100 calls)  ${fmt((median(latencySmall.guard) - median(latencySmall.plain)) * 1000, 0)} µs`);
    console.log(`  a worker thread's round trip for the script, doing nothing: ${fmt(roundTrip * 1000, 0)} µs (what moving the guard off the main thread would add)`);
    console.log(`\nfirst call after start-up, whole process (median of 5 interleaved)`);
    console.log(`  proxy start → first answered call, seed      ${fmt(median(firstCall.plain), 0)} ms`);
    console.log(`  proxy start → first answered call, strict    ${fmt(median(firstCall.guard), 0)} ms (+${fmt(median(firstCall.guard) - median(firstCall.plain), 0)} ms: the parser loads once)`);
    const args = JSON.stringify({ code: 'import numpy as np\n' });
    const [bare, explainSeed, explainStrict, lintStrict] = interleaved(
      [
        ['-e', '0'],
        [BIN, 'explain', '--policy', SEED, '--tool', 'execute_python_code', '--args', args],
        [BIN, 'explain', '--policy', STRICT, '--tool', 'execute_python_code', '--args', args],
        [BIN, 'lint', STRICT],
      ],
      Number(process.env.BENCH_RUNS ?? 15),
    );
    console.log(`  explain, seed policy                         ${fmt(explainSeed, 0)} ms`);
    console.log(`  explain, strict policy                       ${fmt(explainStrict, 0)} ms (+${fmt(explainStrict - explainSeed, 0)} ms)`);
    console.log(`\nlint of the strict policy (never loads the parser): ${fmt(lintStrict, 0)} ms, ${fmt(lintStrict / bare, 2)}× bare node (${fmt(bare, 0)} ms; target ≤ 1.5)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
