// Proxy overhead with real SDK peers, in one run: the MCP SDK's `Client` (StdioClientTransport)
// calling `echo` on `@modelcontextprotocol/server-everything` over stdio
//   (1) directly, (2) through a bare byte relay (bench/relay.mjs, the floor for any process in
//   between), (3) through `policylayer proxy` (echo allowed under a limit of 10^9, so every call
//   takes the full path: decision, reservation, forwarding) and (4) the same with --audit.
// Issue 15's targets: the proxy at >= 0.9x the relay's throughput with 64 calls in flight and a
// p50 <= 1.25x the relay's; --audit at >= 0.9x the proxy's throughput. Rounds are interleaved,
// each starting with the next path; figures are medians over rounds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, fmt, median, ROOT, echoThroughput } from './lib.mjs';

const require = createRequire(import.meta.url);
const EVERYTHING = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const RELAY = join(ROOT, 'bench/relay.mjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEQUENTIAL = 500;
const IN_FLIGHT = 64;
const WINDOW_CALLS = 6000;

async function connect(args) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  return client;
}

async function p50(client) {
  const samples = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = process.hrtime.bigint();
    await client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const throughput = (client) => echoThroughput(client, WINDOW_CALLS, IN_FLIGHT);

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-sdk-'));
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ version: '1', default: 'deny', tools: { echo: { limits: [{ counter: 'echo', window: 'minute', max: 1_000_000_000, scope: 'grant' }] } } }));
  const paths = {
    direct: [EVERYTHING, 'stdio'],
    relay: [RELAY, process.execPath, EVERYTHING, 'stdio'],
    proxy: [BIN, 'proxy', '--policy', policy, '--', process.execPath, EVERYTHING, 'stdio'],
    'proxy+audit': [BIN, 'proxy', '--policy', policy, '--audit', join(dir, 'audit.jsonl'), '--', process.execPath, EVERYTHING, 'stdio'],
  };
  const names = Object.keys(paths);
  const clients = {};
  try {
    for (const name of names) clients[name] = await connect(paths[name]);
    for (const name of names) {
      // Warm up every path (JIT) before measuring.
      for (let i = 0; i < 200; i++) await clients[name].callTool({ name: 'echo', arguments: { message: 'warm' } });
      await throughput(clients[name]);
    }
    const results = Object.fromEntries(names.map((name) => [name, { p50: [], rate: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, k) => names[(round + k) % names.length]);
      for (const name of order) results[name].p50.push(await p50(clients[name]));
      for (const name of order) results[name].rate.push(await throughput(clients[name]));
    }
    console.log(`SDK Client calling echo on server-everything over stdio (${ROUNDS} interleaved rounds, each starting with the next path; ${SEQUENTIAL} sequential calls, then ${WINDOW_CALLS} with ${IN_FLIGHT} in flight)\n`);
    console.log('| path | p50 ms | calls/s (64 in flight) |');
    console.log('|---|---|---|');
    for (const name of names) console.log(`| ${name} | ${fmt(median(results[name].p50), 3)} | ${fmt(median(results[name].rate), 0)} |`);
    const ratio = (a, b, key) => median(results[a][key]) / median(results[b][key]);
    console.log(`\nproxy / relay: throughput ${fmt(ratio('proxy', 'relay', 'rate'), 2)}x (target >= 0.9x), p50 ${fmt(ratio('proxy', 'relay', 'p50'), 2)}x (target <= 1.25x)`);
    console.log(`proxy+audit / proxy: throughput ${fmt(ratio('proxy+audit', 'proxy', 'rate'), 2)}x (target >= 0.9x)`);
    console.log(`per round, proxy/relay and audit/proxy throughput: ${results.proxy.rate.map((rate, i) => `${fmt(rate / results.relay.rate[i], 2)}/${fmt(results['proxy+audit'].rate[i] / rate, 2)}`).join(' ')}`);
  } finally {
    for (const client of Object.values(clients)) await client.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
