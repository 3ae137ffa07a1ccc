/**
 * With --audit, calls leave in groups as their lines are written (src/proxy/audit-turn.ts): every 16
 * allowed calls of a chunk, and the rest at its end. Whatever the chunk holds and however the bytes
 * are cut, each call reaches the server only when its call line is already in the file, in the
 * client's order, and denied calls never do. Checked at the moment of each write to the server.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { AUDIT_TURN_CALLS } from '../../src/proxy/audit-turn.js';
import { cutAt, inProcessProxy } from '../helpers/in-process-proxy.js';

const POLICY: PolicyDocument = { version: '1', default: 'deny', tools: { run: { limits: [{ counter: 'runs', window: 'day', max: 1_000_000, scope: 'grant' }] } } };

const dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-turn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

type Piece = 'allowed' | 'denied' | 'notification';

function line(piece: Piece, id: number): string {
  if (piece === 'notification') return `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":${id},"progress":1}}\n`;
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${piece === 'allowed' ? 'run' : 'forbidden'}","arguments":{"n":${id}}}}\n`;
}

/** Sends the pieces cut at `cuts`; returns what broke the promise (empty when it held) and what the server got. */
function run(pieces: Piece[], cuts: number[], breakFlush = false) {
  const auditPath = join(dir, `audit-${++runs}.jsonl`);
  const violations: string[] = [];
  let writes = 0;
  const proxy = inProcessProxy(POLICY, {
    auditPath,
    onServerWrite: (chunk) => {
      writes++;
      const audited = new Set(
        readFileSync(auditPath, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((text) => JSON.parse(text) as { event: string; outcome?: string; request_id?: number })
          .filter((entry) => entry.event === 'call' && entry.outcome === 'allow')
          .map((entry) => entry.request_id),
      );
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const message = JSON.parse(text) as { id?: number; method: string };
        if (message.method === 'tools/call' && !audited.has(message.id)) violations.push(`call ${message.id} reached the server before its audit line`);
      }
    },
  });
  // The deliberately broken variant: a settle that lets calls go without writing their lines.
  if (breakFlush) proxy.ctx.auditor.flush = () => undefined;
  const bytes = Buffer.from(pieces.map((piece, i) => line(piece, i + 1)).join(''));
  for (const chunk of cutAt(bytes, cuts)) proxy.chunks.client(chunk);
  const sent = proxy.toServer.text().split('\n').filter(Boolean).map((text) => JSON.parse(text) as { id?: number; method: string; params: { progressToken?: number } });
  const expected = pieces.flatMap((piece, i) => (piece === 'denied' ? [] : [i + 1]));
  const order = sent.map((message) => message.id ?? message.params.progressToken);
  return { violations, order, expected, writes };
}

const pieces = fc.array(fc.constantFrom<Piece>('allowed', 'allowed', 'allowed', 'denied', 'notification'), { minLength: 1, maxLength: 120 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('audited calls leave in groups, each only after its line is on file', () => {
  it('in one chunk of many calls: several writes to the server, every call audited before it left, in order', () => {
    const many = Array.from({ length: 5 * AUDIT_TURN_CALLS }, (_, i): Piece => (i % 9 === 4 ? 'denied' : i % 11 === 7 ? 'notification' : 'allowed'));
    const result = run(many, []);
    expect(result.violations).toEqual([]);
    expect(result.order).toEqual(result.expected);
    expect(result.writes).toBeGreaterThanOrEqual(4);
  });

  it('for any mix of calls, denials and notifications, cut anywhere', () => {
    fc.assert(
      fc.property(pieces, cuts, (p, c) => {
        const result = run(p, c);
        expect(result.violations).toEqual([]);
        expect(result.order).toEqual(result.expected);
      }),
      { numRuns: 150 },
    );
  });

  it('catches a settle that forwards calls without writing their lines first', () => {
    const many = Array.from({ length: 3 * AUDIT_TURN_CALLS }, (): Piece => 'allowed');
    expect(run(many, [], true).violations.length).toBeGreaterThan(0);
  });
});
