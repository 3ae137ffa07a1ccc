// The proxy's own JavaScript per call, in one process, without system calls or other processes:
// the figure that moves when the proxy's code changes, steady where the machine is noisy (the
// end-to-end figures in proxy.bench.mjs swing by ±5 points run to run on 2 shared cores).
//
// bench/proxy-work/harness.ts feeds chunks of tools/call lines and chunks of the server's answers
// to the proxy's chunk handlers with the seed policy (max raised so every call is allowed and
// reserves), and compares with a parse relay's work on the same chunks (split, JSON.parse each
// client line, one write per chunk each way). Bundled from src with the build's settings (minified,
// node20): the code the CLI runs. Answers come in the TypeScript SDK's order, the Python SDK's
// (FastMCP, so MCP-Slicer) and an order neither SDK writes (read by the full scan, line by line).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fmt, importFromSource, median } from './lib.mjs';

/** Under load with 64 calls in flight the proxy reads about 3-10 messages a chunk and has 32-64 calls pending. */
const UNDER_LOAD = { callsPerChunk: 10, inFlight: 48 };
const SMALL_CHUNKS = { callsPerChunk: 4, inFlight: 48 };
const ONE_AT_A_TIME = { callsPerChunk: 1, inFlight: 0 };

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-work-'));
  try {
    const { nanosecondsPerCall } = await importFromSource(dir, 'harness', { entryPoints: [join(ROOT, 'bench/proxy-work/harness.ts')] });
    const seed = JSON.parse(readFileSync(join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json'), 'utf8'));
    seed.tools.execute_python_code.limits[0].max = 1_000_000_000;
    console.log('JavaScript per call (one call in, its answer out), median of 7 rounds of 100,000 calls:\n');
    console.log('| | parse relay | proxy, TypeScript SDK answers | proxy, Python SDK answers | proxy, other order |');
    console.log('|---|---|---|---|---|');
    for (const [label, load] of [['10 calls a chunk, 48 pending', UNDER_LOAD], ['4 calls a chunk, 48 pending', SMALL_CHUNKS], ['one call at a time', ONE_AT_A_TIME]]) {
      const chunks = 100_000 / load.callsPerChunk;
      const floor = median(nanosecondsPerCall(seed, { target: 'floor', answers: 'typescript', ...load }, chunks));
      const cells = [`${fmt(floor / 1000, 2)} µs`];
      for (const answers of ['typescript', 'python', 'other']) {
        const ns = median(nanosecondsPerCall(seed, { target: 'proxy', answers, ...load }, chunks));
        cells.push(`${fmt(ns / 1000, 2)} µs (+${fmt((ns - floor) / 1000, 2)})`);
      }
      console.log(`| ${label} | ${cells.join(' | ')} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
