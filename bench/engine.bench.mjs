// Engine decisions per second (seed policy; a generated policy with 1,000 tools and conditions) and
// `policylayer replay` of 1,000,000 recorded calls (time and peak memory, next to 100,000 calls).
//
// The engine is compiled from src/engine with esbuild and the build's own settings (minified,
// node20): the code the CLI bundle runs, without the CLI around it. Replay runs the built binary as
// a whole process, as a user would. Targets (issue 3): ≥ 1,000,000 decisions/s on the seed policy;
// 1,000,000 calls replayed in under 10 s with memory that does not grow with the input.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, fmt, importFromSource, median } from './lib.mjs';

const SEED = join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json');

function compiledEngine(dir) {
  return importFromSource(dir, 'engine', {
    stdin: {
      contents: [
        "export { compilePolicy } from './src/engine/compile.ts';",
        "export { decide } from './src/engine/decide.ts';",
        "export { MemoryCounterStore } from './src/engine/memory-store.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
}

/** Decides (and reserves, as the proxy does) every call of `calls` in turn, `total` times in all; returns decisions per second. */
function throughput(engine, policy, calls, total) {
  const store = new engine.MemoryCounterStore();
  let now = Date.UTC(2026, 10, 24);
  let allowed = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    now += 1;
    const decision = engine.decide(policy, calls[i % calls.length], store, now);
    if (decision.reservations.length > 0) store.tryReserve(decision.reservations, now);
    if (decision.outcome === 'allow') allowed++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (allowed === 0) throw new Error('benchmark workload allowed nothing: it measures the wrong path');
  return total / seconds;
}

function seedCalls() {
  // A realistic MCP-Slicer mix: mostly execute_python_code from 10 grants, some denied tools.
  const calls = [];
  for (let i = 0; i < 100; i++) {
    const r = i % 10;
    const tool = r < 7 ? 'execute_python_code' : r < 9 ? 'list_nodes' : 'capture_screenshot';
    calls.push({ tool, args: { code: `slicer.util.getNode('vol${i}')` }, grant: `agent-${i % 10}`, session: `s${i % 3}` });
  }
  return calls;
}

function generatedPolicy(tools) {
  const document = { version: '1', default: 'deny', hide: ['drop_database'], all_tools: { limits: [{ counter: 'all', window: 'minute', max: 1_000_000, scope: 'global' }] }, tools: {} };
  for (let t = 0; t < tools; t++) {
    document.tools[`tool_${t}`] = {
      deny_if: [
        { conditions: [{ path: 'args.code', op: 'regex', value: `\\b(subprocess|os\\.system|rm_${t})\\b` }], on_deny: 'no shell' },
        { conditions: [{ path: 'args.mode', op: 'eq', value: 'destructive' }, { path: 'args.force', op: 'eq', value: true }] },
        { conditions: [{ path: 'args.path', op: 'contains', value: '/etc/' }] },
      ],
      require: [{ conditions: [{ path: 'args.code', op: 'exists' }, { path: 'args.size', op: 'lte', value: 4096 }] }],
      limits: [
        { counter: `tool_${t}_rate`, window: 'minute', max: 1_000_000, scope: 'grant' },
        { counter: `tool_${t}_bytes`, window: 'hour', max: 1e12, scope: 'grant', increment_from: 'args.size' },
      ],
      require_approval: [{ conditions: [{ path: 'args.mode', op: 'in', value: ['admin', 'root'] }] }],
    };
  }
  return document;
}

function generatedCalls(tools) {
  const calls = [];
  for (let i = 0; i < 1000; i++) {
    calls.push({ tool: `tool_${(i * 7919) % tools}`, args: { code: `x = ${i}`, mode: 'read', path: '/data/scan.nrrd', size: 100 + (i % 50) }, grant: `g${i % 20}`, session: 's' });
  }
  return calls;
}

async function writeRecording(file, lines) {
  const out = createWriteStream(file);
  const t0 = Date.UTC(2026, 10, 24);
  const tools = ['execute_python_code', 'list_nodes', 'capture_screenshot'];
  for (let i = 0; i < lines; i++) {
    const tool = tools[i % 3];
    const args = tool === 'execute_python_code' ? { code: `__execResult = slicer.util.getNode('vol${i % 50}').GetID()` } : { filter_type: 'names' };
    const line = `${JSON.stringify({ ts: new Date(t0 + i * 50).toISOString(), tool, args, grant: `agent-${i % 5}`, session: `s${i % 7}` })}\n`;
    if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** Wall time and peak RSS of one `policylayer replay` process, output to /dev/null. */
function timeReplay(dir, recording, extra = []) {
  const preload = join(dir, 'peak-rss.cjs');
  writeFileSync(
    preload,
    "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeSync(2, '\\nPEAK_RSS_KB=' + u.maxRSS + ' CPU_US=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
  );
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', preload, BIN, 'replay', '--policy', SEED, ...extra, recording], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(result.stderr ?? '')?.[1] ?? Number.NaN) / 1024;
  const cpuMs = Number(/CPU_US=(\d+)/.exec(result.stderr ?? '')?.[1] ?? Number.NaN) / 1000;
  if (result.status !== 0) throw new Error(`replay exited ${result.status}: ${result.stderr}`);
  return { ms, cpuMs, peakMb: peak };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-engine-'));
  try {
    const engine = await compiledEngine(dir);
    const seed = engine.compilePolicy(JSON.parse((await import('node:fs')).readFileSync(SEED, 'utf8')));
    const calls = seedCalls();
    const onlyPython = calls.filter((call) => call.tool === 'execute_python_code');
    throughput(engine, seed, calls, 300_000);
    const seedRates = [1, 2, 3, 4, 5].map(() => throughput(engine, seed, calls, 2_000_000));
    const pythonRates = [1, 2, 3].map(() => throughput(engine, seed, onlyPython, 2_000_000));
    console.log(`decide + reserve, seed policy, MCP-Slicer mix (70% execute_python_code, 10 grants): ${fmt(median(seedRates) / 1e6, 2)} M decisions/s (median of 5 × 2M; target ≥ 1 M/s)`);
    console.log(`decide + reserve, seed policy, execute_python_code only (every call reaches the limit): ${fmt(median(pythonRates) / 1e6, 2)} M decisions/s (median of 3 × 2M)`);

    const big = engine.compilePolicy(generatedPolicy(1000));
    const bigCalls = generatedCalls(1000);
    throughput(engine, big, bigCalls, 100_000);
    const bigRates = [1, 2, 3].map(() => throughput(engine, big, bigCalls, 500_000));
    console.log(
      `decide + reserve, generated policy (1,000 tools × 3 deny_if, require, 2 limits + all_tools, approval; every call passes all of them): ${fmt(median(bigRates) / 1e6, 2)} M decisions/s (median of 3 × 500k)`,
    );

    const small = join(dir, '100k.jsonl');
    const large = join(dir, '1m.jsonl');
    await writeRecording(small, 100_000);
    await writeRecording(large, 1_000_000);
    timeReplay(dir, small);
    const smallRuns = [1, 2, 3].map(() => timeReplay(dir, small));
    const largeRuns = [1, 2, 3].map(() => timeReplay(dir, large));
    const quietRuns = [1, 2, 3].map(() => timeReplay(dir, large, ['--quiet']));
    const peak = (runs) => Math.max(...runs.map((r) => r.peakMb));
    // Wall time is what a user waits; CPU time (user + system of the replay process) is what a busy machine cannot inflate.
    const secs = (runs) => `${fmt(median(runs.map((r) => r.ms)) / 1000, 2)} s (CPU ${fmt(median(runs.map((r) => r.cpuMs)) / 1000, 2)} s)`;
    console.log(`replay 100,000 calls (stylish, every decision printed): ${secs(smallRuns)}, peak RSS ${fmt(peak(smallRuns), 0)} MB (median of 3)`);
    console.log(`replay 1,000,000 calls (stylish, every decision printed): ${secs(largeRuns)}, peak RSS ${fmt(peak(largeRuns), 0)} MB (median of 3; target < 10 s)`);
    console.log(`replay 1,000,000 calls (--quiet, summary only): ${secs(quietRuns)}, peak RSS ${fmt(peak(quietRuns), 0)} MB (median of 3)`);
    console.log(`memory: 10× the calls → ${fmt(peak(largeRuns) / peak(smallRuns), 2)}× the peak RSS (flat ≈ 1)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
