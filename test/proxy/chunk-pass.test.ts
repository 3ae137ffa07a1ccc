/**
 * The server-chunk fast path (passSdkResults) against the line-by-line way, on the same bytes cut
 * into the same chunks: SDK-shaped results in both orders, errors, answers in other orders, answers
 * sent twice or to no call, notifications and text that is not JSON. What reaches the client, what
 * is still pending, what is logged and the counters left (seen in which later calls may run) must
 * not differ.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { cutAt, inProcessProxy } from '../helpers/in-process-proxy.js';

type Shape = 'typescript' | 'python' | 'error' | 'other' | 'twice' | 'none';

const policy = (max: number): PolicyDocument => ({
  version: '1',
  default: 'deny',
  tools: { run: { limits: [{ counter: 'runs', window: 'day', max, scope: 'grant' }] } },
});

const dir = mkdtempSync(join(tmpdir(), 'policylayer-chunk-pass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let audits = 0;

function proxy(max: number, passWholeChunks: boolean, audit: boolean) {
  return inProcessProxy(policy(max), { passWholeChunks, ...(audit ? { auditPath: join(dir, `audit-${++audits}.jsonl`) } : {}) });
}

/** The audit lines without what depends on the moment (time, latency, and the chain over them). */
function auditOf(path: string | undefined): unknown[] {
  if (path === undefined) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { ts, prev, latency_ms, head, retry_after_ms, message, ...rest } = JSON.parse(line) as Record<string, unknown>;
      void ts, prev, latency_ms, head, retry_after_ms;
      return { ...rest, message: typeof message === 'string' ? message.replace(/try again in \d+ s/, 'try again in … s') : message };
    });
}

const callLine = (id: string | number): string => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'run', arguments: {} } })}\n`;

function answer(id: string | number, shape: Shape): string {
  const idJson = JSON.stringify(id);
  const result = `{"content":[{"type":"text","text":"ok ${idJson.length}"}]}`;
  switch (shape) {
    case 'typescript':
      return `{"result":${result},"jsonrpc":"2.0","id":${idJson}}\n`;
    case 'twice':
      return answer(id, 'typescript').repeat(2);
    case 'python':
      return `{"jsonrpc":"2.0","id":${idJson},"result":${result}}\n`;
    case 'error':
      return `{"jsonrpc":"2.0","id":${idJson},"error":{"code":-32000,"message":"failed"}}\n`;
    case 'other':
      return `{"id":${idJson},"jsonrpc":"2.0","result":${result}}\n`;
    case 'none':
      return '';
  }
}

const EXTRA = [
  '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n',
  '{"result":{},"jsonrpc":"2.0","id":999999}\n',
  '{"jsonrpc":"2.0","id":"nobody","result":{}}\n',
  'not json\n',
  '\n',
];

// Ids that meet often: a number and its negative, a number and its digits as a string, ids past 15 digits.
const id = fc.oneof(
  { arbitrary: fc.constantFrom(7, -7, '7', 0, 1234567890123456, 2 ** 53 + 2), weight: 3 },
  { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);

describe('a chunk of answers passed whole, against line by line', () => {
  it('leaves the client, the pending calls, the log and the counters as the line-by-line way does', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 8, selector: (value) => (typeof value === 'number' ? `n${value}` : `s${value}`) }),
        fc.array(fc.constantFrom<Shape>('typescript', 'typescript', 'python', 'python', 'error', 'other', 'twice', 'none'), { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom(...EXTRA), { maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.boolean(),
        (ids, shapes, extras, cutAfterLine, byteCuts, audit) => {
          const calls = Buffer.from(ids.map(callLine).join(''));
          const lines = [...ids.map((each, i) => answer(each, shapes[i]!)).join('').split(/(?<=\n)/), ...extras].filter((line) => line.length > 0);
          const output = Buffer.from(lines.join(''));
          // Chunks end at line ends as a server's writes do (the fast path needs that), sometimes mid-line.
          const points: number[] = [];
          let offset = 0;
          lines.forEach((line, i) => {
            offset += Buffer.byteLength(line);
            if (cutAfterLine[i % cutAfterLine.length]) points.push(offset);
          });
          const pieces = cutAt(output, [...points, ...byteCuts]);
          const later = [0, 1, 2].map((i) => callLine(`later-${i}`)).join('');
          const seen = [true, false].map((passWholeChunks) => {
            const run = proxy(ids.length + 1, passWholeChunks, audit);
            run.chunks.client(calls);
            for (const piece of pieces) run.chunks.server(piece);
            run.chunks.serverEnd();
            const pending = [...run.ctx.inFlight.pending.keys()].map(String).sort();
            const toClient = run.toClient.text();
            // Which later calls the counters let through: they reach the server.
            const before = run.toServer.text().length;
            run.chunks.client(Buffer.from(later));
            // A denial's retry time depends on when it is made; the two runs are a moment apart.
            const logs = run.logs.map((line) => line.replace(/try again in \d+ s/, 'try again in … s'));
            const auditPath = run.auditPath;
            run.ctx.auditor.close();
            return { toClient, pending, logs, forwardedLater: run.toServer.text().slice(before), audit: auditOf(auditPath) };
          });
          expect(seen[0]).toEqual(seen[1]);
        },
      ),
      { numRuns: 600 },
    );
  });
});
