// Proxy overhead, in one run: the same client calling the MCP-Slicer simulator (1) directly,
// (2) through a bare byte-pipe relay (bench/relay.mjs, the floor for any separate process),
// (3) through a relay that also JSON.parses every client line (bench/parse-relay.mjs, the floor for
// any proxy that reads the calls it judges) and (4) through `policylayer proxy` with the seed policy
// (and (5) with --audit as well).
// Reports median and p99 latency and calls/s with 1 and 64 calls in flight, the CPU time the process
// in between spends per call, then the time and the peak memory to pass a 10 MiB result. Rounds are
// interleaved so machine noise hits all alike, and each round starts with the next target so no
// target always inherits the same machine state.
//
// The seed policy allows only execute_python_code, 10 a minute; here its max is raised to 10^9 so
// every call is allowed and takes the full path (limit check and reservation), and
// capture_screenshot is allowed so a 10 MiB screenshot can pass.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, fmt, median, percentile, ROOT } from './lib.mjs';

const SIM = join(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
const RELAY = join(ROOT, 'bench/relay.mjs');
const PARSE_RELAY = join(ROOT, 'bench/parse-relay.mjs');
const LARGE = 10 * 1024 * 1024;
const SEQUENTIAL_CALLS = 1000;
// Long enough (about half a second) to measure the steady state: windows of 5,000-10,000 calls
// right after a pause flattered the processes in between against windows of 40,000 (the proxy
// 83-100% of direct against 81-85%, the relay 94-104% against 93-97%).
const IN_FLIGHT_CALLS = 20_000;
const IDLE_BEFORE_WINDOW_MS = 200;

const CALL = (id) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"__execResult = 1 + 1"}}}\n`;
const SCREENSHOT = (id) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"capture_screenshot","arguments":{}}}\n`;

/** A raw JSON-RPC client over a child's stdio: no SDK on the client side, so only the transport is measured. */
class Peer {
  constructor(name, command, args, env = {}) {
    this.name = name;
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', process.env.BENCH_DEBUG ? 'inherit' : 'ignore'], env: { ...process.env, ...env } });
    this.waiting = new Map();
    this.parts = [];
    this.nextId = 1;
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
    this.child.on('exit', (code) => {
      this.exited = true;
      for (const fail of this.failures.values()) fail(new Error(`${name}: the process exited (code ${code})`));
    });
    this.failures = new Map();
  }

  onData(chunk) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const line = this.parts.length ? Buffer.concat([...this.parts, piece]) : piece;
      this.parts = [];
      start = nl + 1;
      this.onLine(line);
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  onLine(line) {
    // The id is the last member of an SDK response; read it from the tail without parsing megabytes.
    const tail = line.toString('latin1', Math.max(0, line.length - 40));
    const match = /"id":(\d+)\}$/.exec(tail) ?? /^\{"jsonrpc":"2\.0","id":(\d+),/.exec(line.toString('latin1', 0, 40));
    if (!match) return;
    const resolve = this.waiting.get(Number(match[1]));
    if (resolve) {
      this.waiting.delete(Number(match[1]));
      resolve(line);
    }
  }

  send(text, id) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no answer to request ${id} within 60 s`)), 60_000);
      this.failures.set(id, reject);
      this.waiting.set(id, (line) => {
        clearTimeout(timer);
        this.failures.delete(id);
        resolve(line);
      });
      this.child.stdin.write(text);
    });
  }

  async initialize() {
    const id = this.nextId++;
    await this.send(`{"jsonrpc":"2.0","id":${id},"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}\n`, id);
    this.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  }

  call() {
    const id = this.nextId++;
    return this.send(CALL(id), id);
  }

  screenshot() {
    const id = this.nextId++;
    return this.send(SCREENSHOT(id), id);
  }

  async close() {
    if (this.exited) return;
    this.child.stdin.end();
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 3000);
      this.child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Latency of sequential calls (1 in flight), in ms. */
async function sequential(peer, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await peer.call();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/** Calls per second with `inFlight` calls outstanding at all times. */
async function concurrent(peer, count, inFlight) {
  let sent = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (sent < count) {
      sent++;
      await peer.call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** User + system CPU time of a process (all its threads) so far, in ms; of one thread with `tid`. */
function cpuMs(pid, tid) {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime and stime, in clock ticks of 1/100 s
}

/** The server's pid: the peer's own process when direct, else the child of the process in between. */
function serverPid(peer, direct) {
  if (direct) return peer.child.pid;
  const children = readFileSync(`/proc/${peer.child.pid}/task/${peer.child.pid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

/** A thread's time on a CPU and waiting in a run queue for one, in ms (nanosecond counters). */
function schedMs(pid, tid) {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { run: run / 1e6, wait: wait / 1e6 };
}

/**
 * CPU of every process while `inFlight` calls are outstanding: the client (this process, which
 * also runs the benchmark), the process in between, and the server's main thread (its time on a
 * CPU, and its time ready to run but waiting for one) and all its threads.
 */
function cpuSnapshot(peer, server, direct) {
  const client = process.cpuUsage();
  const serverMain = schedMs(server, server);
  return {
    client: (client.user + client.system) / 1000,
    between: direct ? 0 : cpuMs(peer.child.pid),
    serverMain: serverMain.run,
    serverWait: serverMain.wait,
    server: cpuMs(server),
    wallMs: performance.now(),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function residentKiB(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-bench-'));
  const seed = JSON.parse(readFileSync(join(ROOT, 'fixtures/policies/valid/seed-execute-python-code.json'), 'utf8'));
  seed.tools.execute_python_code.limits[0].max = 1_000_000_000;
  seed.tools.capture_screenshot = {};
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify(seed));
  const env = { MCP_SLICER_SIM_SCREENSHOT_BYTES: String(LARGE) };

  const targets = [
    { name: 'direct', command: process.execPath, args: [SIM] },
    { name: 'relay', command: process.execPath, args: [RELAY, process.execPath, SIM] },
    { name: 'parse relay', command: process.execPath, args: [PARSE_RELAY, process.execPath, SIM] },
    { name: 'proxy', command: process.execPath, args: [BIN, 'proxy', '--policy', policy, '--', process.execPath, SIM] },
    { name: 'proxy+audit', command: process.execPath, args: [BIN, 'proxy', '--policy', policy, '--audit', join(dir, 'audit.jsonl'), '--', process.execPath, SIM] },
  ];
  const peers = targets.map((target) => new Peer(target.name, target.command, target.args, env));
  try {
    for (const peer of peers) await peer.initialize();
    // Warm up every path (JIT, first screenshot) before measuring.
    for (const peer of peers) {
      await sequential(peer, 300);
      await concurrent(peer, 2000, 64);
    }

    const latency = peers.map(() => []);
    const throughput = peers.map(() => []);
    const rounds = 7;
    const callsMeasured = rounds * (SEQUENTIAL_CALLS + IN_FLIGHT_CALLS);
    const cpuBefore = peers.map((peer) => cpuMs(peer.child.pid));
    const isDirect = (i) => targets[i].name === 'direct';
    const servers = peers.map((peer, i) => serverPid(peer, isDirect(i)));
    const busy = peers.map(() => ({ client: 0, between: 0, serverMain: 0, serverWait: 0, server: 0, wallMs: 0 }));
    for (let round = 0; round < rounds; round++) {
      // Each round starts with the next target: measured on this machine, whichever target runs
      // first after the one-at-a-time calls gets ~10-15% more calls/s, and a fixed order gave
      // that to `direct` every time (see docs/proxy.md, Speed).
      const order = peers.map((_, k) => (round + k) % peers.length);
      for (const i of order) latency[i].push(...(await sequential(peers[i], SEQUENTIAL_CALLS)));
      for (const i of order) {
        // Every window starts from the same state, idle, whatever ran before it.
        await sleep(IDLE_BEFORE_WINDOW_MS);
        const before = cpuSnapshot(peers[i], servers[i], isDirect(i));
        throughput[i].push(await concurrent(peers[i], IN_FLIGHT_CALLS, 64));
        const after = cpuSnapshot(peers[i], servers[i], isDirect(i));
        for (const key of Object.keys(busy[i])) busy[i][key] += after[key] - before[key];
      }
    }
    // Each process is idle while the others are measured, so what it used in between is its cost for these calls.
    const cpuPerCallUs = peers.map((peer, i) => ((cpuMs(peer.child.pid) - cpuBefore[i]) * 1000) / callsMeasured);

    await Promise.all(peers.map((peer) => peer.close()));

    // Large messages in fresh processes: the peak (VmHWM) must not include the throughput runs.
    const large = [];
    for (const target of targets) {
      const peer = new Peer(target.name, target.command, target.args, env);
      try {
        await peer.initialize();
        await sequential(peer, 50);
        const before = residentKiB(peer.child.pid, 'VmHWM');
        const ms = [];
        let firstPeakKiB = 0;
        for (let k = 0; k < 5; k++) {
          const start = process.hrtime.bigint();
          const line = await peer.screenshot();
          ms.push(Number(process.hrtime.bigint() - start) / 1e6);
          if (line.length < LARGE) throw new Error(`${target.name}: the screenshot was ${line.length} bytes`);
          if (k === 0) firstPeakKiB = residentKiB(peer.child.pid, 'VmHWM') - before;
        }
        large.push({ ms, firstPeakKiB, peakKiB: residentKiB(peer.child.pid, 'VmHWM') - before });
      } finally {
        await peer.close();
      }
    }

    console.log(`fast tool: execute_python_code through the MCP-Slicer simulator, ${rounds}×${SEQUENTIAL_CALLS} sequential calls and ${rounds}×${IN_FLIGHT_CALLS} calls with 64 in flight per target, interleaved, each round starting with the next target, each 64-in-flight window after ${IDLE_BEFORE_WINDOW_MS} ms idle\n`);
    const index = (name) => targets.findIndex((target) => target.name === name);
    const [D, R, PR, P] = ['direct', 'relay', 'parse relay', 'proxy'].map(index);
    const share = (i) => `${fmt((100 * median(throughput[i])) / median(throughput[D]), 0)}%`;
    console.log('| target | median | p99 | calls/s (1 in flight) | calls/s (64 in flight) | of direct | CPU per call, process in between | 10 MiB result: median time | peak RSS growth of the process in between, first 10 MiB result |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    targets.forEach((target, i) => {
      const med = median(latency[i]);
      const between = i === D ? '– (no process between)' : `${fmt(cpuPerCallUs[i], 1)} µs`;
      const growth =
        i === D ? '–' : `${fmt(large[i].firstPeakKiB / 1024)} MiB = ${fmt(large[i].firstPeakKiB / 1024 / 10, 2)}× (after 5: ${fmt(large[i].peakKiB / 1024 / 10, 2)}×)`;
      console.log(
        `| ${target.name} | ${fmt(med * 1000, 0)} µs | ${fmt(percentile(latency[i], 99) * 1000, 0)} µs | ${fmt(1000 / med, 0)} | ${fmt(median(throughput[i]), 0)} | ${share(i)} | ${between} | ${fmt(median(large[i].ms), 1)} ms | ${growth} |`,
      );
    });
    console.log('');
    console.log(`With 64 in flight, where the 2 cores go: CPU per call of each process (from /proc; the client is this benchmark process), and the cores busy in all (${os.availableParallelism()} available)`);
    console.log('');
    console.log('| target | client | process in between | server, main thread | server, all threads | total | cores busy | server main thread: running | … waiting for a CPU |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    const perCall = rounds * IN_FLIGHT_CALLS;
    targets.forEach((target, i) => {
      const b = busy[i];
      const us = (ms) => `${fmt((ms * 1000) / perCall, 1)} µs`;
      const total = b.client + b.between + b.server;
      console.log(
        `| ${target.name} | ${us(b.client)} | ${i === D ? '–' : us(b.between)} | ${us(b.serverMain)} | ${us(b.server)} | ${us(total)} | ${fmt(total / b.wallMs, 2)} | ${fmt((100 * b.serverMain) / b.wallMs, 0)}% | ${fmt((100 * b.serverWait) / b.wallMs, 0)}% |`,
      );
    });
    const [direct, relay, proxied] = [D, R, P].map((i) => median(latency[i]));
    console.log('');
    console.log(`proxy median / relay median: ${fmt(proxied / relay, 2)}× (target ≤ 1.25×)`);
    console.log(`proxy median − direct median: ${fmt((proxied - direct) * 1000, 0)} µs (target ≤ 150 µs)`);
    console.log(`proxy throughput with 64 in flight / direct: ${share(P)} (target ≥ 90%; on this machine the relay reaches ${share(R)} and the parse relay ${share(PR)})`);
    console.log(`proxy peak memory growth to pass one 10 MiB result: ${fmt(large[P].firstPeakKiB / 1024 / 10, 2)}× the message; over 5 in a row ${fmt(large[P].peakKiB / 1024 / 10, 2)}× (target < 4×)`);
  } finally {
    await Promise.all(peers.map((peer) => peer.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
