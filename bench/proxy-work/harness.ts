/**
 * The proxy's own JavaScript per call, in one process and without system calls: chunks of client
 * calls and of server answers are fed straight to the proxy's chunk handlers (src/proxy/chunks.ts)
 * with the seed policy, and what they write goes to streams that drop it. The floor is what a
 * parse relay does with the same chunks (split into lines, JSON.parse each client line, one write
 * per chunk each way). Bundled from src by bench/proxy-work.bench.mjs with the build's settings.
 */
import { Writable } from 'node:stream';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer } from '../../src/engine/enforcer.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { CallAuditor } from '../../src/proxy/call-audit.js';
import { chunkHandlers } from '../../src/proxy/chunks.js';
import { createProxyContext } from '../../src/proxy/create-context.js';
import { StreamWriter } from '../../src/proxy/stream-writer.js';

export type Target = 'floor' | 'proxy';
/** How the server writes its answers: as the TypeScript SDK does, as the Python SDK does, or in an order neither uses. */
export type AnswerShape = 'typescript' | 'python' | 'other';

export interface Setup {
  target: Target;
  answers: AnswerShape;
  /** Calls per client chunk, and answers per server chunk (measured under load: about 5-10). */
  callsPerChunk: number;
  /** Calls already forwarded and not yet answered (under load with 64 in flight: mostly 32-64). */
  inFlight: number;
}

const CALL = (id: number): string =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"__execResult = 1 + 1"}}}\n`;
const RESULT = '{"content":[{"type":"text","text":"{\\n  \\"success\\": true,\\n  \\"message\\": 2\\n}"}]}';
const ANSWER: Record<AnswerShape, (id: number) => string> = {
  typescript: (id) => `{"result":${RESULT},"jsonrpc":"2.0","id":${id}}\n`,
  python: (id) => `{"jsonrpc":"2.0","id":${id},"result":${RESULT}}\n`,
  other: (id) => `{"id":${id},"jsonrpc":"2.0","result":${RESULT}}\n`,
};

/** Median nanoseconds per call (one call in and its answer out) over `rounds` rounds of `chunks` chunk pairs. */
export function nanosecondsPerCall(policy: PolicyDocument, setup: Setup, chunks = 10_000, rounds = 7): number[] {
  const feed = setup.target === 'floor' ? parseRelay() : proxy(policy);
  let nextId = 1;
  // Calls the server has not answered yet: they keep the proxy's table of pending calls as full as under load.
  const backlog: number[] = [];
  const results: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const pairs: Array<[Buffer, Buffer]> = [];
    for (let i = 0; i < chunks; i++) {
      let calls = '';
      let answers = '';
      for (let k = 0; k < setup.callsPerChunk; k++) {
        calls += CALL(nextId);
        backlog.push(nextId++);
        if (backlog.length > setup.inFlight) answers += ANSWER[setup.answers](backlog.shift()!);
      }
      pairs.push([Buffer.from(calls), Buffer.from(answers)]);
    }
    const start = process.hrtime.bigint();
    for (const [calls, answers] of pairs) {
      feed.client(calls);
      if (answers.length > 0) feed.server(answers);
    }
    const ns = Number(process.hrtime.bigint() - start) / (chunks * setup.callsPerChunk);
    // Round -1 warms the code up and fills the backlog.
    if (round >= 0) results.push(ns);
  }
  return results;
}

function dropping(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

function proxy(policy: PolicyDocument): { client(chunk: Buffer): void; server(chunk: Buffer): void } {
  const ctx = createProxyContext({
    settings: { grant: 'local', session: 'bench', approvalTimeoutMs: 120_000 },
    log: (message) => {
      throw new Error(`the proxy logged: ${message}`);
    },
    toClient: new StreamWriter(dropping()),
    serverWriter: new StreamWriter(dropping()),
    enforcer: new Enforcer(compilePolicy(policy), new MemoryCounterStore()),
    auditor: new CallAuditor(undefined),
  });
  return chunkHandlers(ctx);
}

function parseRelay(): { client(chunk: Buffer): void; server(chunk: Buffer): void } {
  const toServer = dropping();
  const toClient = dropping();
  let parsed = 0;
  return {
    client(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
        if (JSON.parse(chunk.toString('utf8', start, newline)) !== null) parsed++;
        start = newline + 1;
      }
      toServer.write(chunk);
    },
    server(chunk) {
      toClient.write(chunk);
    },
  };
}
