// Shared by the Python guard's benchmarks (python-guard.bench.mjs, python-guard-compare.mjs).
import { spawn } from 'node:child_process';

/** The engine's entry points a benchmark bundles from a checkout's sources (esbuild stdin, resolved in that checkout). */
export const ENGINE_EXPORTS = [
  "export { compilePolicy } from './src/engine/compile.ts';",
  "export { decide } from './src/engine/decide.ts';",
  "export { loadCodeAnalysis } from './src/engine/code-analysis.ts';",
  "export { MemoryCounterStore } from './src/engine/memory-store.ts';",
];

/** A JSON-RPC client on a proxy's stdio (the same raw client as bench/proxy.bench.mjs, minimal). */
export class Peer {
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
