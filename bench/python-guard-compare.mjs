// Before/after for the Python guard: this checkout against another built checkout of policylayer
// (e.g. main), measured interleaved in one run so that the machine's load hits both alike.
//
//   git -C <repo> archive <commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/ && (cd /tmp/base && node scripts/build.mjs)
//   npm run build && node bench/python-guard-compare.mjs /tmp/base [rounds]
//
// Per round and per checkout, in turn: a fresh process deciding 2 KiB and 10 KiB scripts in process
// (CPU time, a different script every call), the proxy's added p50 for a 10 KiB execute_python_code
// call (its strict proxy against its seed proxy, all four proxies kept running), and whole processes
// to the first decision (`explain`, and a proxy's start to its first answered call). Medians of the
// rounds. Not part of `npm run bench` (it needs the other checkout).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { bundleFromSource, fmt, median, ROOT } from './lib.mjs';
import { ENGINE_EXPORTS, Peer } from './python-guard-lib.mjs';

const OTHER = resolve(process.argv[2] ?? '');
const ROUNDS = Number(process.argv[3] ?? 5);
if (!process.argv[2]) {
  console.error('usage: node bench/python-guard-compare.mjs <built checkout to compare with> [rounds]');
  process.exit(2);
}

const checkouts = { before: OTHER, after: ROOT };
const policy = (root, name) => join(root, name === 'strict' ? 'fixtures/python-guard/mcp-slicer-strict.json' : 'fixtures/policies/valid/seed-execute-python-code.json');

let corpusCache;
/** Parsed once: parsing the YAML for every script put about 15 ms of client work before each proxy call, and the proxies' latency rose with it. */
function benign() {
  return (corpusCache ??= parseYaml(readFileSync(join(ROOT, 'fixtures/tests/python-guard/slicer-benign.policytest.yaml'), 'utf8'))
    .cases.map((c) => c.args?.code)
    .filter((code) => typeof code === 'string'));
}

/** Scripts of about `size` characters made of the benign corpus, each different (a serial number in a last comment). */
function script(size, serial) {
  const corpus = benign();
  let text = '';
  for (let k = serial; text.length < size - 40; k++) text += `${corpus[k % corpus.length]}\n`;
  return `${text}# ${String(serial).padStart(10, '0')}\n`;
}

// ── In process: a child process per checkout and round ───────────────────────────────────────

const CHILD = `
import { readFileSync } from 'node:fs';
const [bundle, strict, scriptsFile] = process.argv.slice(2);
const engine = await import(bundle);
const policy = JSON.parse(readFileSync(strict, 'utf8'));
policy.tools.execute_python_code.limits[0].max = 1e9;
const compiled = engine.compilePolicy(policy);
await engine.loadCodeAnalysis(compiled);
const scripts = JSON.parse(readFileSync(scriptsFile, 'utf8'));
const store = new engine.MemoryCounterStore();
let now = Date.UTC(2026, 10, 24);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = {};
const denied = {};
for (const [size, list] of Object.entries(scripts)) {
  const half = list.length / 2;
  for (let i = 0; i < half; i++) engine.decide(compiled, { tool: 'execute_python_code', args: { code: list[i] }, grant: 'g', session: 's' }, store, (now += 1));
  const start = cpu();
  for (let i = half; i < list.length; i++) {
    const d = engine.decide(compiled, { tool: 'execute_python_code', args: { code: list[i] }, grant: 'g', session: 's' }, store, (now += 1));
    // Two benign snippets can be denied together (one's loop variable makes another's call a
    // possible Path.replace), and checkouts differ in what they deny: a denied script was still read
    // whole (the verdict comes after the analysis), so it is timed like the others, and counted.
    if (d.outcome !== 'allow') denied[size] = (denied[size] ?? 0) + 1;
  }
  out[size] = (cpu() - start) / half;
}
out.denied = denied;
console.log(JSON.stringify(out));
`;

async function inProcess(dir) {
  const files = {};
  for (const [name, root] of Object.entries(checkouts)) {
    files[name] = await bundleFromSource(join(root, 'dist'), `bench-compare-${process.pid}`, {
      stdin: {
        contents: ENGINE_EXPORTS.join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
    });
  }
  const child = join(dir, 'child.mjs');
  writeFileSync(child, CHILD);
  const results = { before: { 2048: [], 10240: [] }, after: { 2048: [], 10240: [] } };
  let serial = 1_000_000;
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? ['after', 'before'] : ['before', 'after']) {
      const scripts = { 2048: Array.from({ length: 1200 }, () => script(2048, serial++)), 10240: Array.from({ length: 300 }, () => script(10240, serial++)) };
      const scriptsFile = join(dir, 'scripts.json');
      writeFileSync(scriptsFile, JSON.stringify(scripts));
      const run = spawnSync(process.execPath, [child, pathToFileURL(files[name]).href, policy(checkouts[name], 'strict'), scriptsFile], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
      const out = JSON.parse(run.stdout);
      for (const size of ['2048', '10240']) results[name][size].push(out[size]);
      for (const [size, count] of Object.entries(out.denied)) console.error(`round ${round + 1}, ${name}: ${count} of the ${size}-character scripts timed were denied (timed all the same)`);
    }
  }
  for (const file of Object.values(files)) rmSync(file, { force: true });
  return results;
}

// ── Proxies ──────────────────────────────────────────────────────────────────────────────────

/** A proxy of one checkout (`before-…`, `after-…`) with a policy, in front of that checkout's MCP-Slicer simulator. */
function peerFor(key, policyFile) {
  const root = checkouts[key.split('-')[0]];
  return new Peer([join(root, 'bin/policylayer'), 'proxy', '--policy', policyFile, '--', process.execPath, join(root, 'dist/fixtures/mcp-slicer-sim.mjs')]);
}

async function proxies(dir) {
  const files = {};
  for (const [name, root] of Object.entries(checkouts)) {
    for (const kind of ['seed', 'strict']) {
      const p = JSON.parse(readFileSync(policy(root, kind), 'utf8'));
      p.tools.execute_python_code.limits[0].max = 1e9;
      writeFileSync((files[`${name}-${kind}`] = join(dir, `${name}-${kind}.json`)), JSON.stringify(p));
    }
  }
  let serial = 0;
  const firstCall = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of round % 2 ? Object.keys(files).reverse() : Object.keys(files)) {
      const peer = peerFor(key, files[key]);
      await peer.initialize();
      await peer.call(script(10240, serial++));
      (firstCall[key] ??= []).push(performance.now() - peer.started);
      await peer.close();
    }
  }
  const peers = Object.fromEntries(Object.entries(files).map(([key, file]) => [key, peerFor(key, file)]));
  const latency = {};
  try {
    for (const peer of Object.values(peers)) {
      await peer.initialize();
      for (let i = 0; i < 150; i++) await peer.call(script(10240, serial++));
    }
    for (let round = 0; round < 2 * ROUNDS; round++) {
      const keys = Object.keys(peers);
      for (const key of round % 2 ? keys.reverse() : keys) for (let i = 0; i < 100; i++) (latency[key] ??= []).push(await peers[key].call(script(10240, serial++)));
    }
  } finally {
    await Promise.all(Object.values(peers).map((peer) => peer.close()));
  }
  return { firstCall, latency };
}

function explainRuns() {
  const args = JSON.stringify({ code: 'import numpy as np\nx = np.zeros(3)\n' });
  const samples = {};
  for (let round = 0; round < 3 * ROUNDS; round++) {
    for (const [name, root] of Object.entries(checkouts)) {
      for (const kind of ['seed', 'strict']) {
        const start = process.hrtime.bigint();
        spawnSync(process.execPath, [join(root, 'bin/policylayer'), 'explain', '--policy', policy(root, kind), '--tool', 'execute_python_code', '--args', args], { stdio: 'ignore' });
        (samples[`${name}-${kind}`] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), 'policylayer-guard-compare-'));
try {
  console.log(`before: ${OTHER}\nafter:  ${ROOT}\nload average at start: ${os.loadavg().map((n) => fmt(n, 1)).join(', ')}; ${ROUNDS} rounds, interleaved\n`);
  const local = await inProcess(dir);
  console.log('in process, CPU per decide() (strict profile, a different script every call), median of rounds');
  for (const size of ['2048', '10240']) {
    const [b, a] = [median(local.before[size]), median(local.after[size])];
    console.log(`  ${size / 1024} KiB: before ${fmt(b, 3)} ms (${fmt(1000 / b, 0)}/CPU s), after ${fmt(a, 3)} ms (${fmt(1000 / a, 0)}/CPU s), ${fmt(b / a, 2)}× faster   [rounds: ${local.before[size].map((x) => fmt(x, 2)).join(' ')} | ${local.after[size].map((x) => fmt(x, 2)).join(' ')}]`);
  }
  const { firstCall, latency } = await proxies(dir);
  console.log('\nproxy, execute_python_code with a 10 KiB script (a different one each call), p50');
  for (const name of ['before', 'after']) {
    const [seed, strict] = [median(latency[`${name}-seed`]), median(latency[`${name}-strict`])];
    console.log(`  ${name.padEnd(6)}: seed ${fmt(seed * 1000, 0)} µs, strict ${fmt(strict * 1000, 0)} µs, added ${fmt((strict - seed) * 1000, 0)} µs`);
  }
  const explain = explainRuns();
  console.log('\nfirst call after start-up (whole processes, medians)');
  for (const name of ['before', 'after']) {
    const proxyAdded = median(firstCall[`${name}-strict`]) - median(firstCall[`${name}-seed`]);
    const explainAdded = median(explain[`${name}-strict`]) - median(explain[`${name}-seed`]);
    console.log(
      `  ${name.padEnd(6)}: proxy start → first answered 10 KiB call: seed ${fmt(median(firstCall[`${name}-seed`]), 0)} ms, strict ${fmt(median(firstCall[`${name}-strict`]), 0)} ms (+${fmt(proxyAdded, 0)}); explain: seed ${fmt(median(explain[`${name}-seed`]), 0)} ms, strict ${fmt(median(explain[`${name}-strict`]), 0)} ms (+${fmt(explainAdded, 0)})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
