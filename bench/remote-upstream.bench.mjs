// The upstream path to a remote (HTTP) server, in one run: the MCP SDK's Client calling `echo` on a
// local Streamable HTTP server (bench/remote-upstream/server.mjs, its own process)
//   (1) directly, over the SDK's StreamableHTTPClientTransport, and
//   (2) over stdio through `policylayer proxy --upstream URL` (an allow-all policy with a limit of
//       10^9, so every call takes the full path: decision, reservation, forwarding), and
//   (3) over stdio through the relay (bench/remote-upstream/relay.ts: HttpUpstream with a plain
//       pass-through in place of the proxy core), the floor for any stdio-to-HTTP bridge.
// Issue 21's targets: the proxy's p50 <= 1.25x direct and throughput with 64 calls in flight
// >= 0.9x direct. Rounds are interleaved and each round starts
// with the other path; figures are medians. Then the relay's peak memory (VmHWM) passing a 64 MiB
// result, against its own peak after warm-up; that client is a raw reader of the relay's stdout,
// because the SDK's stdio ReadBuffer joins its buffer with every chunk (Buffer.concat: quadratic),
// and a 64 MiB line then takes longer than the SDK's 60 s request timeout.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, bundleFromSource, fmt, median, percentile, ROOT, echoThroughput } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEQUENTIAL = 500;
const IN_FLIGHT = 64;
const WINDOW_CALLS = 4000;
const LARGE = 64 * 1024 * 1024 - 64 * 1024;
const MiB = 1024 * 1024;

async function sdk() {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  return { Client, StreamableHTTPClientTransport, StdioClientTransport };
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/remote-upstream/server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve({ child, url: new URL(`http://127.0.0.1:${match[1]}/mcp`) });
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
}

function bundleRelay(dir) {
  return bundleFromSource(dir, 'relay', { entryPoints: [join(ROOT, 'bench/remote-upstream/relay.ts')] });
}

async function connectDirect(api, url) {
  const client = new api.Client({ name: 'bench', version: '1' });
  await client.connect(new api.StreamableHTTPClientTransport(url));
  return client;
}

async function connectRelay(api, relay, url) {
  return connectStdio(api, [relay, url.href]);
}

async function connectStdio(api, args) {
  const client = new api.Client({ name: 'bench', version: '1' });
  const transport = new api.StdioClientTransport({ command: process.execPath, args, stderr: 'inherit', maxBufferSize: 128 * MiB });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

function proxyArgs(dir, url) {
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ version: '1', default: 'deny', tools: { echo: { limits: [{ counter: 'echo', window: 'minute', max: 1_000_000_000, scope: 'grant' }] }, big: {} } }));
  return [BIN, 'proxy', '--policy', policy, '--upstream', url.href];
}

async function sequentialP50(client) {
  for (let i = 0; i < 50; i++) await client.callTool({ name: 'echo', arguments: { message: 'warm' } });
  const samples = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = process.hrtime.bigint();
    await client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50: median(samples), p99: percentile(samples, 99) };
}

const throughput = (client) => echoThroughput(client, WINDOW_CALLS, IN_FLIGHT);

/** One large result through a fresh relay or proxy, read by a raw client; its peak RSS before and after. */
async function largeResult(name, args) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = [];
  let parts = [];
  let waiter;
  child.stdout.on('data', (chunk) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      parts.push(chunk.subarray(start, newline));
      lines.push(Buffer.concat(parts));
      parts = [];
      start = newline + 1;
      waiter?.();
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  });
  const next = async () => {
    while (lines.length === 0) await new Promise((resolve) => (waiter = resolve));
    return lines.shift();
  };
  const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
  await next();
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'warm' } } });
  await next();
  const before = peakRssMiB(child.pid);
  const start = process.hrtime.bigint();
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'big', arguments: { bytes: LARGE } } });
  const line = await next();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = peakRssMiB(child.pid);
  if (line.length < LARGE) throw new Error(`the large result arrived cut (${line.length} bytes)`);
  console.log(`${fmt(LARGE / MiB, 2)} MiB result through the ${name}: ${fmt(seconds, 2)} s; peak RSS ${fmt(before, 0)} MiB before, ${fmt(after, 0)} MiB after (+${fmt(after - before, 0)} MiB, ${fmt((after - before) / (LARGE / MiB), 2)}x the result)`);
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
}

function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

export async function run() {
  // The SDK's fetch-based transport adds an abort listener per request to one signal (undici frees them on GC): not ours, and noise here.
  const warnings = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => warning.name !== 'MaxListenersExceededWarning' && console.error(warning));
  try {
    await measure();
  } finally {
    process.removeAllListeners('warning');
    for (const listener of warnings) process.on('warning', listener);
  }
}

async function measure() {
  const api = await sdk();
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-remote-'));
  const server = await startServer();
  try {
    const relay = await bundleRelay(dir);
    const proxy = proxyArgs(dir, server.url);
    const clients = { direct: await connectDirect(api, server.url), proxy: (await connectStdio(api, proxy)).client, relay: (await connectRelay(api, relay, server.url)).client };
    const names = Object.keys(clients);
    const results = Object.fromEntries(names.map((name) => [name, { p50: [], p99: [], rate: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, k) => names[(round + k) % names.length]);
      for (const name of order) {
        const latency = await sequentialP50(clients[name]);
        results[name].p50.push(latency.p50);
        results[name].p99.push(latency.p99);
        results[name].rate.push(await throughput(clients[name]));
      }
    }
    const row = (name) => {
      const r = results[name];
      return `| ${name} | ${fmt(median(r.p50), 3)} | ${fmt(median(r.p99), 3)} | ${fmt(median(r.rate), 0)} |`;
    };
    console.log(`SDK Client calling echo on a local Streamable HTTP server (${ROUNDS} interleaved rounds, each starting with the next path; ${SEQUENTIAL} sequential calls, then ${WINDOW_CALLS} with ${IN_FLIGHT} in flight)\n`);
    console.log('| path | p50 ms | p99 ms | calls/s (64 in flight) |');
    console.log('|---|---|---|---|');
    for (const name of names) console.log(row(name));
    const ratio = (name, key) => median(results[name][key]) / median(results.direct[key]);
    console.log(`\nproxy vs direct: p50 ${fmt(ratio('proxy', 'p50'), 2)}x (target <= 1.25x), throughput ${fmt(ratio('proxy', 'rate'), 2)}x (target >= 0.9x); relay vs direct: p50 ${fmt(ratio('relay', 'p50'), 2)}x, throughput ${fmt(ratio('relay', 'rate'), 2)}x`);
    console.log(`per round, proxy/direct throughput: ${results.proxy.rate.map((rate, i) => fmt(rate / results.direct.rate[i], 2)).join(' ')}\n`);

    for (const client of Object.values(clients)) await client.close();
    await largeResult('relay', [relay, server.url.href]);
    await largeResult('proxy', proxy);
  } finally {
    server.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
