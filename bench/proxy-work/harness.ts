/**
 * The proxy's own JavaScript per call, in one process and without system calls: chunks of client
 * calls and of server answers are fed straight to the proxy's chunk handlers (src/proxy/chunks.ts)
 * with the seed policy, and what they write goes to streams that drop it. The floor is what a
 * parse relay does with the same chunks (split into lines, JSON.parse each client line, one write
 * per chunk each way). Bundled from src by bench/proxy-work.bench.mjs with the build's settings.
 */
import { Writable } from 'node:stream';
import { AuditWriter } from '../../src/audit/writer.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { createDecider } from '../../src/engine/decider.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { CallAuditor } from '../../src/proxy/call-audit.js';
import { chunkHandlers } from '../../src/proxy/chunks.js';
import { createProxyContext } from '../../src/proxy/create-context.js';
import { StreamWriter } from '../../src/proxy/wire/stream-writer.js';

/** `proxy-audit`: the proxy with --audit, writing its lines to `auditPath`. */
export type Target = 'floor' | 'proxy' | 'proxy-audit';
/** How the server writes its answers: as the TypeScript SDK does, as the Python SDK does, or in an order neither uses. */
export type AnswerShape = 'typescript' | 'python' | 'other';

export interface Setup {
  target: Target;
  answers: AnswerShape;
  /** Calls per client chunk, and answers per server chunk (measured under load: about 3-10). */
  callsPerChunk: number;
  /** Calls already forwarded and not yet answered (under load with 64 in flight: mostly 32-64). */
  inFlight: number;
  /** For `proxy-audit`: the audit log to write. */
  auditPath?: string;
}

const CALL = (id: number): string =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"__execResult = 1 + 1"}}}\n`;
const RESULT = '{"content":[{"type":"text","text":"{\\n  \\"success\\": true,\\n  \\"message\\": 2\\n}"}]}';
const ANSWER: Record<AnswerShape, (id: number) => string> = {
  typescript: (id) => `{"result":${RESULT},"jsonrpc":"2.0","id":${id}}\n`,
  python: (id) => `{"jsonrpc":"2.0","id":${id},"result":${RESULT}}\n`,
  other: (id) => `{"id":${id},"jsonrpc":"2.0","result":${RESULT}}\n`,
};

/**
 * Nanoseconds per call (one call in and its answer out) for each of `rounds` rounds of `chunks`
 * chunk pairs. The chunks are built once and reused round after round (ids repeat only after all
 * of them, long after their calls were answered), so by the measured rounds they have left the young
 * generation and each scavenge sees only the garbage of the work measured.
 */
export function nanosecondsPerCall(policy: PolicyDocument, setup: Setup, chunks = 10_000, rounds = 7): number[] {
  const feed = setup.target === 'floor' ? parseRelay() : proxy(policy, setup.target === 'proxy-audit' ? setup.auditPath : undefined);
  const ids = chunks * setup.callsPerChunk;
  const pairs: Array<[Buffer, Buffer]> = [];
  for (let chunk = 0; chunk < chunks; chunk++) {
    let calls = '';
    let answers = '';
    for (let k = 0; k < setup.callsPerChunk; k++) {
      const n = chunk * setup.callsPerChunk + k;
      calls += CALL(n + 1);
      // The answer to the call sent `inFlight` calls earlier (in the first round, to none at first).
      answers += ANSWER[setup.answers](((n - setup.inFlight + ids) % ids) + 1);
    }
    pairs.push([Buffer.from(calls), Buffer.from(answers)]);
  }
  const results: number[] = [];
  // Two rounds warm the code up and age the chunks out of the young generation.
  for (let round = -2; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (const [calls, answers] of pairs) {
      feed.client(calls);
      feed.server(answers);
    }
    if (round >= 0) results.push(Number(process.hrtime.bigint() - start) / ids);
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

function proxy(policy: PolicyDocument, auditPath: string | undefined): { client(chunk: Buffer): void; server(chunk: Buffer): void } {
  const ctx = createProxyContext({
    settings: { grant: 'local', session: 'bench', approvalTimeoutMs: 120_000 },
    log: (message) => {
      // The first round's first answers are to calls not sent yet (later rounds, to the round before).
      if (message.startsWith('dropped an answer from the server that matches no request in flight')) return;
      throw new Error(`the proxy logged: ${message}`);
    },
    toClient: new StreamWriter(dropping()),
    serverWriter: new StreamWriter(dropping()),
    decider: createDecider(compilePolicy(policy)),
    auditor: new CallAuditor(auditPath === undefined ? undefined : AuditWriter.open(auditPath)),
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
