// Counter stores, in one run: the Enforcer deciding calls (read → decide → reserve → commit) against
// the memory store, the file store (SQLite, WAL) and the Redis store (a local redis-server on
// loopback, started here). Reports the median and p99 latency of one call with one call in flight,
// the latency added over the memory store, and decisions per second with 64 calls in flight.
// Rounds are interleaved (memory, file, redis, memory, …) so machine noise hits all alike; every
// figure is a median over rounds. Every call takes the full path: the limit's max is 10^12.
//
// The engine runs from src/ through tsx (the same JavaScript esbuild would emit); the CLI bundle does
// not export the stores. Without redis-server on PATH the Redis rows say so and the rest still runs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { fmt, median, percentile, ROOT } from './lib.mjs';

const ROUNDS = 5;
const SEQUENTIAL_CALLS = 300;
const CONCURRENT_CALLS = 2000;
const IN_FLIGHT = 64;

const load = (path) => tsImport(pathToFileURL(join(ROOT, path)).href, import.meta.url);

export async function run() {
  const { compilePolicy } = await load('src/engine/compile.ts');
  const { Enforcer } = await load('src/engine/enforcer.ts');
  const { makeCall } = await load('src/engine/call.ts');
  const { openCounterStore } = await load('src/state/open.ts');

  const policy = compilePolicy({
    version: '1',
    default: 'deny',
    tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 1e12, scope: 'grant' }] } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'pl-bench-state-'));
  const redis = await startRedis(dir);
  const stores = [['memory', await openCounterStore('memory')]];
  // better-sqlite3 is optional (npm run setup:file-state): without it the file store is left out.
  try {
    stores.push(['file', await openCounterStore(`file:${join(dir, 'state.sqlite')}`)]);
  } catch (error) {
    console.error(`state bench: no file store (${error.message})`);
  }
  if (redis) stores.push(['redis', await openCounterStore(`redis://127.0.0.1:${redis.port}/0`)]);

  try {
    const enforcers = stores.map(([name, store]) => [name, new Enforcer(policy, store, { timeoutMs: 2000 })]);
    const call = makeCall('t');
    const once = async (enforcer) => {
      const decision = await enforcer.decide(call);
      if (decision.outcome !== 'allow') throw new Error(`bench call not allowed: ${decision.message}`);
      await enforcer.commit(decision);
    };
    // Warm up: JIT, SQLite page cache, Redis connection and script cache.
    for (const [, enforcer] of enforcers) for (let i = 0; i < 200; i++) await once(enforcer);

    const latencies = new Map(enforcers.map(([name]) => [name, []]));
    const p99s = new Map(enforcers.map(([name]) => [name, []]));
    const rates = new Map(enforcers.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, enforcer] of enforcers) {
        const samples = [];
        for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
          const start = process.hrtime.bigint();
          await once(enforcer);
          samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        latencies.get(name).push(median(samples));
        p99s.get(name).push(percentile(samples, 99));

        let next = 0;
        const start = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next++ < CONCURRENT_CALLS) await once(enforcer);
          }),
        );
        rates.get(name).push(CONCURRENT_CALLS / (Number(process.hrtime.bigint() - start) / 1e9));
      }
    }

    const base = median(latencies.get('memory'));
    console.log(`Enforcer.decide + commit, one limit; ${ROUNDS} interleaved rounds, medians over rounds`);
    console.log(`| store | latency median (ms) | p99 (ms) | added vs memory (ms) | decisions/s (${IN_FLIGHT} in flight) |`);
    console.log('|---|---|---|---|---|');
    for (const [name] of enforcers) {
      const latency = median(latencies.get(name));
      console.log(`| ${name} | ${fmt(latency, 3)} | ${fmt(median(p99s.get(name)), 3)} | ${name === 'memory' ? '-' : fmt(latency - base, 3)} | ${fmt(median(rates.get(name)), 0)} |`);
    }
    if (!redis) console.log('| redis | skipped: redis-server is not installed (apt-get install redis-server) | | | |');
  } finally {
    for (const [, store] of stores) await store.close();
    redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startRedis(dir) {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, stop: () => child.kill('SIGTERM') };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
