import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { CounterStore } from '../../src/engine/store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { runReplay, type ReplaySink } from '../../src/replay/replay.js';
import type { RecordingProblem } from '../../src/replay/read-recording.js';
import { MAX_LISTED_FAILURES, MAX_SUMMARY_TOOLS, OTHER_TOOLS, type ReplayEvent } from '../../src/replay/summary.js';
import { tempDir } from '../helpers/temp.js';

const folder = tempDir('policylayer-replay-run-');
let counter = 0;
function recording(lines: Array<Record<string, unknown> | string>): { path: string; display: string } {
  const path = join(folder, `r${counter++}.jsonl`);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
  return { path, display: `r${counter - 1}.jsonl` };
}

function capture() {
  const events: ReplayEvent[] = [];
  const problems: RecordingProblem[] = [];
  let finished = false;
  const sink: ReplaySink = {
    call: (event) => events.push(event),
    problem: (problem) => problems.push(problem),
    finish: () => (finished = true),
    flush: async () => {},
  };
  return { sink, events, problems, finished: () => finished };
}

const seed: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: { execute_python_code: { limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }] } },
};
const T = Date.UTC(2026, 10, 24, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function auditCall(tool: string, at: number, argKeys: string[], extra: Record<string, unknown> = {}) {
  return { v: 1, ts: iso(at), seq: 1, prev: '0', event: 'call', grant: 'alice', session: 's1', request_id: 1, tool, outcome: 'allow', enforced: true, rule: '', message: '', arg_keys: argKeys, args_sha256: 'x', ...extra };
}

describe('runReplay', () => {
  it('evolves counters as in production and checks expectations', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({ ts: iso(T + i * 1000), tool: 'execute_python_code', args: { code: 'x' }, expect: i < 10 ? 'allow' : 'deny' }));
    lines.push({ ts: iso(T + 60_000), tool: 'execute_python_code', args: { code: 'x' }, expect: 'deny' });
    const { sink, events, finished } = capture();
    const summary = await runReplay({ files: [recording(lines)], policy: compilePolicy(seed) }, sink);
    expect(events.map((e) => e.verdict.outcome)).toEqual([...Array(10).fill('allow'), 'deny', 'deny', 'allow']);
    expect(events[10]!.verdict).toMatchObject({ rule: '/tools/execute_python_code/limits/0', retryAfterMs: 50_000 });
    expect(summary).toMatchObject({ calls: 13, expectationsChecked: 13, expectationsFailed: 1 });
    expect(summary.failures.map((e) => e.item.line)).toEqual([13]);
    expect(summary.totals).toEqual({ allow: 11, deny: 2, approval_required: 0, unknown: 0 });
    expect(finished()).toBe(true);
  });

  it('keeps approval_required reservations (nobody declines in a replay)', async () => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'grant' }], require_approval: [{}] } } });
    const { sink, events } = capture();
    await runReplay({ files: [recording([{ tool: 't' }, { tool: 't' }, { tool: 't' }])], policy }, sink);
    expect(events.map((e) => e.verdict.outcome)).toEqual(['approval_required', 'approval_required', 'deny']);
  });

  it('gives the budget back for audit calls whose approval did not come, as the proxy did', async () => {
    const policy = compilePolicy({ version: '1', default: 'deny', tools: { t: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'grant' }], require_approval: [{}] } } });
    const asked = (id: number, approval: string) => auditCall('t', T + id, [], { request_id: id, outcome: 'approval_required', approval });
    // A 2026-07-28 round trip writes the question, then the retry that answered it; a 2025-era declined call one line.
    const lines = [asked(1, 'requested'), asked(2, 'accepted'), asked(3, 'declined'), asked(4, 'requested'), asked(5, 'accepted'), asked(6, 'timeout'), asked(7, 'requested')];
    const { sink, events } = capture();
    await runReplay({ files: [recording(lines)], policy }, sink);
    // Only the two accepted calls (2 and 5) use the budget of 2: the calls after the second find it spent.
    // Had every line kept its reservation, call 3 would already be denied.
    expect(events.map((e) => e.verdict.outcome)).toEqual([...Array(5).fill('approval_required'), 'deny', 'deny']);
  });

  it('reports unreadable lines and goes on, or stops at the first one with --strict', async () => {
    const file = recording([{ tool: 'execute_python_code' }, 'garbage', { tool: 'execute_python_code' }]);
    const { sink, events, problems } = capture();
    const summary = await runReplay({ files: [file], policy: compilePolicy(seed) }, sink);
    expect(events).toHaveLength(2);
    expect(problems).toEqual([{ kind: 'problem', file: file.display, line: 2, message: "invalid JSON at column 1: unexpected character 'g'" }]);
    expect(summary.skippedLines).toBe(1);
    await expect(runReplay({ files: [file], policy: compilePolicy(seed), strict: true }, capture().sink)).rejects.toThrow(`${file.display}:2: invalid JSON`);
  });

  it('reports out-of-order lines, or fails on them with --strict', async () => {
    const file = recording([{ ts: iso(T + 5000), tool: 'a' }, { ts: iso(T), tool: 'b' }]);
    const { sink, events, problems } = capture();
    const summary = await runReplay({ files: [file], policy: compilePolicy(seed) }, sink);
    expect(events[1]!.item.atMs).toBe(T + 5000);
    expect(problems[0]!.message).toBe('recorded at 2026-11-24T10:00:00.000Z, before the call above it; replayed at 2026-11-24T10:00:05.000Z');
    expect(summary.outOfOrder).toBe(1);
    await expect(runReplay({ files: [file], policy: compilePolicy(seed), strict: true }, capture().sink)).rejects.toThrow(`${file.display}:2: recorded at`);
  });

  it('fails with one line for a missing recording or a folder', async () => {
    await expect(runReplay({ files: [{ path: join(folder, 'nope.jsonl'), display: 'nope.jsonl' }], policy: compilePolicy(seed) }, capture().sink)).rejects.toThrow('nope.jsonl: no such file');
    await expect(runReplay({ files: [{ path: folder, display: 'dir' }], policy: compilePolicy(seed) }, capture().sink)).rejects.toThrow('dir: is a folder, not a recording');
  });

  it('--against replays both policies with their own counters and marks changed outcomes', async () => {
    const strict = compilePolicy({ version: '1', default: 'deny', tools: { execute_python_code: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'grant' }] } } });
    const lines = Array.from({ length: 4 }, (_, i) => ({ ts: iso(T + i), tool: 'execute_python_code' }));
    const { sink, events } = capture();
    const summary = await runReplay({ files: [recording([...lines, { ts: iso(T + 10), tool: 'list_nodes' }])], policy: strict, against: compilePolicy(seed) }, sink);
    expect(events.map((e) => [e.before!.outcome, e.verdict.outcome, e.changed])).toEqual([
      ['allow', 'allow', false],
      ['allow', 'allow', false],
      ['allow', 'deny', true],
      ['allow', 'deny', true],
      ['deny', 'deny', false],
    ]);
    expect(summary.changes).toBe(2);
    expect([...summary.transitions]).toEqual([['allow → deny', 2]]);
    expect(summary.beforeTotals.allow).toBe(4);
  });

  it('caps what it keeps: named tools in the summary and listed failures, with exact counts', async () => {
    const lines = Array.from({ length: MAX_SUMMARY_TOOLS + 150 }, (_, i) => ({ tool: `tool_${i}`, expect: 'allow' }));
    const { sink } = capture();
    const summary = await runReplay({ files: [recording(lines)], policy: compilePolicy(seed) }, sink);
    expect(summary.byTool.size).toBe(MAX_SUMMARY_TOOLS + 1);
    expect(summary.byTool.get(OTHER_TOOLS)!.deny).toBe(150);
    expect(summary.toolRows().at(-1)![0]).toBe(OTHER_TOOLS);
    expect(summary.expectationsFailed).toBe(MAX_SUMMARY_TOOLS + 150);
    expect(summary.failures).toHaveLength(MAX_LISTED_FAILURES);
  });

  it('merges several recordings by time with one set of counters', async () => {
    const a = recording(Array.from({ length: 6 }, (_, i) => ({ ts: iso(T + i * 2000), tool: 'execute_python_code' })));
    const b = recording(Array.from({ length: 6 }, (_, i) => ({ ts: iso(T + 1000 + i * 2000), tool: 'execute_python_code' })));
    const { sink, events } = capture();
    await runReplay({ files: [a, b], policy: compilePolicy(seed) }, sink);
    expect(events.map((e) => `${e.item.file}:${e.item.line}`)).toEqual(Array.from({ length: 12 }, (_, i) => `${i % 2 ? b.display : a.display}:${(i >> 1) + 1}`));
    expect(events.map((e) => e.verdict.outcome)).toEqual([...Array(10).fill('allow'), 'deny', 'deny']);
  });

  it('goes through the Enforcer for any other counter store (the --state seam)', async () => {
    const inner = new MemoryCounterStore();
    let reserved = 0;
    // Not a MemoryCounterStore instance, so replay must use the async CounterStore interface.
    const store: CounterStore = {
      read: (keys, now) => inner.read(keys, now),
      reserve: async (reservations, now) => {
        const result = await inner.reserve(reservations, now);
        if (result.ok) reserved++;
        return result;
      },
      commit: () => inner.commit(),
      rollback: (reservations) => inner.rollback(reservations),
      close: () => inner.close(),
    };
    const lines = Array.from({ length: 11 }, (_, i) => ({ ts: iso(T + i), tool: 'execute_python_code' }));
    const { sink, events } = capture();
    await runReplay({ files: [recording(lines)], policy: compilePolicy(seed), stores: { policy: store } }, sink);
    expect(events.map((e) => e.verdict.outcome)).toEqual([...Array(10).fill('allow'), 'deny']);
    expect(reserved).toBe(10);
  });
});

describe('audit log lines (argument values unknown)', () => {
  const policy = compilePolicy({
    version: '1',
    default: 'deny',
    hide: ['secret'],
    tools: {
      limited: { limits: [{ counter: 'c', window: 'minute', max: 1, scope: 'grant' }] },
      keyed: { require: [{ conditions: [{ path: 'args.reason', op: 'exists' }] }] },
      valued: {
        limits: [{ counter: 'v', window: 'minute', max: 1, scope: 'grant' }],
        deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'os.system' }] }],
      },
      late: { limits: [{ counter: 'l', window: 'minute', max: 1, scope: 'grant' }], require_approval: [{ conditions: [{ path: 'args.n', op: 'gt', value: 3 }] }] },
      nested: { require: [{ conditions: [{ path: 'args.a.b', op: 'exists' }] }] },
    },
  });

  async function outcomes(lines: Array<Record<string, unknown>>) {
    const { sink, events } = capture();
    await runReplay({ files: [recording(lines)], policy }, sink);
    return events.map((e) => `${e.verdict.outcome} ${e.verdict.rule}`);
  }

  it('decides exactly what does not depend on values: hide, default deny, rate limits, key presence', async () => {
    expect(
      await outcomes([
        auditCall('secret', T, []),
        auditCall('unlisted', T, ['x']),
        auditCall('limited', T, ['code']),
        auditCall('limited', T + 1, ['code']),
        auditCall('keyed', T, ['reason']),
        auditCall('keyed', T, ['other']),
      ]),
    ).toEqual(['deny (hidden)', 'deny (default deny)', 'allow /tools/limited', 'deny /tools/limited/limits/0', 'allow /tools/keyed', 'deny /tools/keyed/require/0']);
  });

  it('reports unknown when a rule that reads values was reached, and takes no budget for it', async () => {
    expect(
      await outcomes([
        auditCall('valued', T, ['code']),
        auditCall('valued', T + 1, ['code']),
        auditCall('nested', T, ['a']),
        // The limit denies before the value-reading approval rule is reached: exact.
        auditCall('late', T, ['n']),
        auditCall('late', T + 1, ['n']),
      ]),
    ).toEqual([
      'unknown /tools/valued/deny_if/0',
      'unknown /tools/valued/deny_if/0',
      'unknown /tools/nested/require/0',
      'unknown /tools/late/require_approval/0',
      'unknown /tools/late/require_approval/0',
    ]);
  });

  it('gives the budget of a call back at its result line when the proxy rolled it back, as production did', async () => {
    const result = (id: number, at: number, rolledBack: boolean) => ({
      v: 1, ts: iso(at), seq: 1, prev: '0', event: 'result', request_id: id, tool: 'limited', latency_ms: 1,
      ...(rolledBack ? { error: 'Invalid params', error_code: -32602, ending: 'error' } : { error: null, ending: 'result' }),
      rolled_back: rolledBack,
    });
    const twoPerMinute: PolicyDocument = { version: '1', default: 'deny', tools: { limited: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'grant' }] } } };
    const lines = [
      auditCall('limited', T, ['code'], { request_id: 1 }),
      result(1, T + 1, true), // the server refused the call (invalid params): the proxy gave the budget back
      auditCall('limited', T + 2, ['code'], { request_id: 2 }),
      result(2, T + 3, false),
      auditCall('limited', T + 4, ['code'], { request_id: 1 }), // ids are reused once a call has ended
      auditCall('limited', T + 5, ['code'], { request_id: 3 }),
      result(3, T + 6, true), // a rollback names its own call, not the earlier one with id 1
      auditCall('limited', T + 7, ['code'], { request_id: 4 }),
      auditCall('limited', T + 8, ['code'], { request_id: 5 }),
    ];
    const { sink, events } = capture();
    await runReplay({ files: [recording(lines)], policy: compilePolicy(twoPerMinute), against: compilePolicy(twoPerMinute) }, sink);
    expect(events.map((e) => `${e.verdict.outcome}/${e.before?.outcome}`)).toEqual(['allow/allow', 'allow/allow', 'allow/allow', 'deny/deny', 'deny/deny', 'deny/deny']);
    // Without the result lines every call keeps its budget: only the first two pass.
    const { sink: plainSink, events: plain } = capture();
    await runReplay({ files: [recording(lines.filter((line) => line.event === 'call'))], policy: compilePolicy(twoPerMinute) }, plainSink);
    expect(plain.map((e) => e.verdict.outcome)).toEqual(['allow', 'allow', 'deny', 'deny', 'deny', 'deny']);
  });

  it("applies the proxy's rule to a log written before it: a call that may have run keeps its budget", async () => {
    const twoPerMinute = compilePolicy({ version: '1', default: 'deny', tools: { limited: { limits: [{ counter: 'c', window: 'minute', max: 2, scope: 'grant' }] } } });
    const old = (id: number, at: number, error: string, latency: number) => ({ v: 1, ts: iso(at), seq: 1, prev: '0', event: 'result', request_id: id, tool: 'limited', latency_ms: latency, error, rolled_back: true });
    const lines = [
      auditCall('limited', T, [], { request_id: 1 }),
      old(1, T + 1, 'server exited', 5), // the server died mid-call: it may have run, so the budget stays spent
      auditCall('limited', T + 2, [], { request_id: 2 }),
      old(2, T + 3, 'Request cancelled', 5), // a server error without its code: may have run
      auditCall('limited', T + 4, [], { request_id: 3 }),
      old(3, T + 5, 'cancelled', 0), // a held call the client cancelled: it never left the proxy
      auditCall('limited', T + 6, [], { request_id: 4 }),
    ];
    const { sink, events } = capture();
    await runReplay({ files: [recording(lines)], policy: twoPerMinute }, sink);
    expect(events.map((e) => e.verdict.outcome)).toEqual(['allow', 'allow', 'deny', 'deny']);
  });

  it('matches a result line to the call in its own file', async () => {
    const oncePerMinute = compilePolicy({ version: '1', default: 'deny', tools: { limited: { limits: [{ counter: 'c', window: 'minute', max: 1, scope: 'global' }] } } });
    const a = recording([auditCall('limited', T, [], { request_id: 1 })]);
    const b = recording([
      { v: 1, ts: iso(T + 1), seq: 1, prev: '0', event: 'result', request_id: 1, tool: 'limited', error: 'Method not found', error_code: -32601, ending: 'error', rolled_back: true },
      auditCall('limited', T + 2, [], { request_id: 2 }),
    ]);
    const { sink, events } = capture();
    await runReplay({ files: [a, b], policy: oncePerMinute }, sink);
    expect(events.map((e) => e.verdict.outcome)).toEqual(['allow', 'deny']);
  });

  it('an unknown call in a comparison is undetermined, not a change', async () => {
    const { sink, events } = capture();
    const summary = await runReplay({ files: [recording([auditCall('valued', T, ['code'])])], policy, against: compilePolicy(seed) }, sink);
    expect(events[0]).toMatchObject({ changed: false, verdict: { outcome: 'unknown' }, before: { outcome: 'deny' } });
    expect(summary).toMatchObject({ changes: 0, undetermined: 1 });
  });
});
