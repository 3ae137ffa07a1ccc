// The Python guard (`op: python`, the strict MCP-Slicer profile of `init --strict`):
// 1. decisions per second on 2 KiB scripts, in process (the engine as the CLI bundle builds it);
// 2. the proxy's added median (p50) for one execute_python_code call of a 10 KiB script: the proxy
//    with the strict policy against the same proxy with the seed policy (no guard), sequential
//    calls to the MCP-Slicer simulator, interleaved; target under 1 ms;
// 3. the first-call cost after start-up: loading the parser (once per process, when a policy with a
//    python condition is loaded) in process, and whole processes: `explain` with and without the
//    guard, and a proxy's start to its first answered call;
// 4. `lint` of the strict policy next to bare node (lint never loads the parser): target ≤ 1.5×.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BIN, fmt, importFromSource, interleaved, median, ROOT } from './lib.mjs';

const STRICT = join(ROOT, 'fixtures/python-guard/mcp-slicer-strict.json');
const SEED = join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json');
const SIM = join(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');

function corpus(file) {
  return parseYaml(readFileSync(join(ROOT, 'fixtures/tests/python-guard', file), 'utf8'))
    .cases.map((c) => c.args?.code)
    .filter((code) => typeof code === 'string');
}

/** Valid scripts of `size` characters: whole benign corpus scripts (varied, all allowed), topped up with assignments. */
function scripts(size, count) {
  const benign = corpus('slicer-benign.policytest.yaml');
  const out = [];
  for (let i = 0; out.length < count; i++) {
    let text = '';
    for (let k = i; ; k++) {
      const next = `${benign[k % benign.length]}\n`;
      if (text.length + next.length > size) break;
      text += next;
    }
    for (let n = 0; text.length < size; n++) text += `v${n} = ${n}\n`.slice(0, size - text.length).replace(/[^\n]*$/, (tail) => (tail.length && !tail.endsWith('\n') ? '#'.repeat(tail.length) : tail));
    out.push(text);
  }
  return out;
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
        "export { compilePolicy } from './src/engine/compile.ts';",
        "export { decide } from './src/engine/decide.ts';",
        "export { loadCodeAnalysis } from './src/engine/code-analysis.ts';",
        "export { MemoryCounterStore } from './src/engine/memory-store.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
  const policy = engine.compilePolicy(unlimited(STRICT));
  const t0 = performance.now();
  await engine.loadCodeAnalysis(policy);
  const loadMs = performance.now() - t0;
  const store = new engine.MemoryCounterStore();
  const call = (code, i) => ({ tool: 'execute_python_code', args: { code }, grant: `g${i % 50}`, session: 's' });
  const t1 = performance.now();
  const first = engine.decide(policy, call('import numpy as np\nx = np.zeros(3)\n', 0), store, Date.UTC(2026, 10, 24));
  const firstMs = performance.now() - t1;
  if (first.outcome !== 'allow') throw new Error(`the first call was ${first.outcome}: ${first.message}`);

  const twoKiB = scripts(2048, 200);
  const rounds = [];
  const cpuRounds = [];
  let now = Date.UTC(2026, 10, 24);
  for (let r = 0; r < 7; r++) {
    const total = 2000;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let i = 0; i < total; i++) {
      const decision = engine.decide(policy, call(twoKiB[i % twoKiB.length], i), store, (now += 1));
      if (decision.outcome !== 'allow') throw new Error(`a benign script was denied: ${decision.message}`);
    }
    const used = process.cpuUsage(cpu);
    rounds.push(total / (Number(process.hrtime.bigint() - start) / 1e9));
    // CPU time too: on a shared machine the wall clock also counts the time spent waiting for a core.
    cpuRounds.push(total / ((used.user + used.system) / 1e6));
  }
  // The same scripts parsed only, for the share of the parser itself.
  const parseOnly = await importFromSource(join(ROOT, 'dist'), `bench-python-parse-${process.pid}`, {
    stdin: { contents: "export { parsePython, loadPythonParser } from './src/python/parser.ts';", resolveDir: ROOT, loader: 'ts' },
  });
  await parseOnly.loadPythonParser();
  rmSync(join(ROOT, 'dist', `bench-python-parse-${process.pid}.mjs`), { force: true });
  const parseCpu = process.cpuUsage();
  for (let i = 0; i < 2000; i++) parseOnly.parsePython(twoKiB[i % twoKiB.length]);
  const parseUsed = process.cpuUsage(parseCpu);
  const parseMs = (parseUsed.user + parseUsed.system) / 1000 / 2000;
  rmSync(join(ROOT, 'dist', `bench-python-guard-${process.pid}.mjs`), { force: true });
  return { loadMs, firstMs, perSecond: median(rounds), perCpuSecond: median(cpuRounds), parseMs, meanKiB: twoKiB.reduce((n, s) => n + s.length, 0) / twoKiB.length / 1024 };
}

/** A JSON-RPC client on a proxy's stdio (the same raw client as bench/proxy.bench.mjs, minimal). */
class Peer {
  constructor(args) {
    this.started = performance.now();
    this.child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.buffer = '';
    this.waiting = new Map();
    this.nextId = 1;
    this.child.stdout.on('data', (chunk) => {
      this.buffer += chunk.toString('utf8');
      let nl;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const id = /"id":(\d+)/.exec(line)?.[1];
        const resolve = id && this.waiting.get(Number(id));
        if (resolve) {
          this.waiting.delete(Number(id));
          resolve(line);
        }
      }
    });
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  async initialize() {
    await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    this.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  }

  async call(code) {
    const start = process.hrtime.bigint();
    const line = await this.request('tools/call', { name: 'execute_python_code', arguments: { code } });
    if (!line.includes('"result"') || line.includes('denied')) throw new Error(`not allowed: ${line.slice(0, 300)}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  close() {
    this.child.stdin.end();
    return new Promise((resolve) => this.child.once('close', resolve));
  }
}

async function proxies(dir) {
  const strict = join(dir, 'strict.json');
  const seed = join(dir, 'seed.json');
  writeFileSync(strict, JSON.stringify(unlimited(STRICT)));
  writeFileSync(seed, JSON.stringify(unlimited(SEED)));
  // Distinct scripts (a counter in a final comment), so no call is answered from the guard's cache of recent code.
  const base = scripts(10 * 1024 - 16, 1)[0];
  let serial = 0;
  const next = () => `${base}# call ${String(serial++).padStart(8, '0')}\n`;
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
  try {
    for (const peer of Object.values(peers)) {
      await peer.initialize();
      for (let i = 0; i < 300; i++) await peer.call(next());
    }
    for (let round = 0; round < 10; round++) {
      const order = round % 2 ? ['guard', 'plain'] : ['plain', 'guard'];
      for (const name of order) for (let i = 0; i < 200; i++) latency[name].push(await peers[name].call(next()));
    }
  } finally {
    await Promise.all(Object.values(peers).map((peer) => peer.close()));
  }
  return { code, latency, firstCall };
}

export async function run() {
  console.log(`load average at start: ${os.loadavg().map((n) => fmt(n, 1)).join(', ')} (${os.availableParallelism()} cores): on a shared machine, wall-clock figures include waiting for a core\n`);
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-guard-'));
  try {
    const local = await inProcess();
    console.log(`in process (the engine as bundled; strict MCP-Slicer profile, every script allowed so the whole code is read)`);
    console.log(`  load the parser (once per process)          ${fmt(local.loadMs)} ms`);
    console.log(`  first decision after loading                ${fmt(local.firstMs, 2)} ms`);
    console.log(`  decisions/s on 2 KiB scripts (mean ${fmt(local.meanKiB, 2)} KiB)  ${fmt(local.perSecond, 0)} wall clock, ${fmt(local.perCpuSecond, 0)} per CPU second (medians of 7 rounds of 2,000)`);
    console.log(`  of which tree-sitter's parse and the tree copy  ${fmt(local.parseMs, 2)} ms CPU a script (${fmt((100 * local.parseMs * local.perCpuSecond) / 1000, 0)}%)`);

    const { code, latency, firstCall } = await proxies(dir);
    const [plain, guard] = [median(latency.plain), median(latency.guard)];
    console.log(`\nproxy, execute_python_code with a ${fmt(code.length / 1024, 1)} KiB script (a different one each call), 10×200 sequential calls each, interleaved`);
    console.log(`  p50 without the guard (seed policy)         ${fmt(plain * 1000, 0)} µs`);
    console.log(`  p50 with the strict guard                   ${fmt(guard * 1000, 0)} µs`);
    console.log(`  added p50                                   ${fmt((guard - plain) * 1000, 0)} µs (target < 1,000 µs)`);
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
