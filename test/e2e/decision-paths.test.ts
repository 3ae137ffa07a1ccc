/**
 * `explain`, `replay` and `test` exist to predict what the proxy does. For generated policies
 * (conditions, limits in every scope and window, value-counted limits, on_deny, approval, hide)
 * and generated call sequences with timestamps, the four paths must agree call by call: outcome,
 * rule, message and retry-after of
 * - explain, each call with the calls before it as history;
 * - replay of a recording of the sequence;
 * - a policy test file, one case per call with the calls before it as `given`;
 * - the running proxy, the calls sent through it in order (its decider's clock set to each call's
 *   time; approvals answered yes, as the offline paths assume).
 * A broken variant of one path (policy tests that forget their `given` calls) must make it fail.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { createDecider } from '../../src/engine/decider.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { Call, Decision } from '../../src/engine/types.js';
import { explainCall } from '../../src/explain/explain.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { runTestFile } from '../../src/policy-test/run.js';
import { runReplay } from '../../src/replay/replay.js';
import type { ReplayEvent } from '../../src/replay/summary.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-paths-'));
afterEach(stopAllProxies);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GRANT = 'alice';
const SESSION = 'session-1';
const T0 = Date.UTC(2026, 11, 7, 9, 59, 30);
const TOOLS = ['read', 'write', 'run', 'pay'];

interface Step {
  tool: string;
  args: Record<string, unknown>;
  atMs: number;
}

/** What each path says of one call. */
interface Said {
  outcome: string;
  rule: string;
  message: string;
  retryAfterMs: number | undefined;
}

// ---- generators ----

const condition = fc.oneof(
  fc.record({ path: fc.constant('args.x'), op: fc.constantFrom('eq', 'neq', 'contains'), value: fc.constantFrom('a', 'b', 'ab') }),
  fc.record({ path: fc.constant('args.n'), op: fc.constantFrom('lt', 'gte'), value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ path: fc.constant('args.x'), op: fc.constant('exists') }),
);
const rule = (onDenyKey: 'on_deny' | 'message') =>
  fc.record({ conditions: fc.array(condition, { minLength: 1, maxLength: 2 }), [onDenyKey]: fc.option(fc.constantFrom('no, not that', 'ask first'), { nil: undefined }) }, { requiredKeys: ['conditions'] });
const limit = fc.record(
  {
    counter: fc.constantFrom('c1', 'c2', 'c3'),
    window: fc.constantFrom('minute', 'hour', 'day'),
    max: fc.integer({ min: 0, max: 4 }),
    scope: fc.constantFrom('grant', 'session', 'global'),
    increment_from: fc.option(fc.constant('args.n'), { nil: undefined }),
    on_deny: fc.option(fc.constant('budget used up'), { nil: undefined }),
  },
  { requiredKeys: ['counter', 'window', 'max', 'scope'] },
);
const toolRules = fc.record(
  {
    deny_if: fc.array(rule('on_deny'), { maxLength: 1 }),
    require: fc.array(rule('on_deny'), { maxLength: 1 }),
    limits: fc.array(limit, { maxLength: 2 }),
    require_approval: fc.array(rule('message'), { maxLength: 1 }),
  },
  { requiredKeys: [] },
);
const policy: fc.Arbitrary<PolicyDocument> = fc
  .record({
    default: fc.constantFrom('allow', 'deny'),
    hide: fc.subarray(TOOLS, { maxLength: 1 }),
    tools: fc.dictionary(fc.constantFrom(...TOOLS), toolRules, { maxKeys: 4 }),
    all: fc.array(limit, { maxLength: 1 }),
  })
  .map(({ default: dflt, hide, tools, all }) => ({
    version: '1',
    default: dflt,
    ...(hide.length > 0 ? { hide } : {}),
    ...(all.length > 0 ? { all_tools: { limits: all } } : {}),
    tools: Object.fromEntries(Object.entries(tools).filter(([name]) => !hide.includes(name))),
  }) as PolicyDocument)
  // Counters shared by limits of other windows or maxes are a lint error the proxy would refuse.
  .filter((document) => {
    const seen = new Map<string, string>();
    const limits = [...(document.all_tools?.limits ?? []), ...Object.values(document.tools ?? {}).flatMap((t) => t.limits ?? [])];
    return limits.every((l) => {
      const shape = `${l.window}/${l.max}/${l.scope}/${l.increment_from ?? ''}`;
      const before = seen.get(l.counter);
      seen.set(l.counter, shape);
      return before === undefined || before === shape;
    });
  });
const steps: fc.Arbitrary<Step[]> = fc
  .array(
    fc.record({
      tool: fc.constantFrom(...TOOLS, 'other'),
      x: fc.option(fc.constantFrom('a', 'b', 'ab', 'zz'), { nil: undefined }),
      n: fc.option(fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constant('two')), { nil: undefined }),
      gapMs: fc.constantFrom(0, 0, 1_000, 20_000, 70_000, 3_700_000),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((list) => {
    let at = T0;
    return list.map(({ tool, x, n, gapMs }) => {
      at += gapMs;
      return { tool, args: { ...(x !== undefined ? { x } : {}), ...(n !== undefined ? { n } : {}) }, atMs: at };
    });
  });

// ---- the four paths ----

const said = (d: Pick<Decision, 'outcome' | 'rule' | 'message' | 'retryAfterMs'>): Said => ({ outcome: d.outcome, rule: d.rule, message: d.outcome === 'allow' ? '' : d.message, retryAfterMs: d.retryAfterMs });
const callOf = (step: Step): Call => ({ tool: step.tool, args: step.args, grant: GRANT, session: SESSION });

async function viaExplain(document: PolicyDocument, list: Step[]): Promise<Said[]> {
  const compiled = compilePolicy(document);
  const out: Said[] = [];
  for (const [i, step] of list.entries()) {
    const history = list.slice(0, i).map((earlier) => ({ call: callOf(earlier), atMs: earlier.atMs }));
    out.push(said(await explainCall(compiled, callOf(step), step.atMs, { history })));
  }
  return out;
}

let files = 0;
async function viaReplay(document: PolicyDocument, list: Step[]): Promise<Said[]> {
  const path = join(dir, `recording-${++files}.jsonl`);
  writeFileSync(path, list.map((step) => JSON.stringify({ ts: new Date(step.atMs).toISOString(), tool: step.tool, args: step.args, grant: GRANT, session: SESSION })).join('\n'));
  const events: ReplayEvent[] = [];
  await runReplay(
    { files: [{ path, display: 'recording.jsonl' }], policy: compilePolicy(document) },
    { call: (event) => events.push(event), flush: async () => {}, problem: () => {}, finish: () => {} },
  );
  return events.map((event) => said(event.verdict as Decision));
}

async function viaPolicyTests(document: PolicyDocument, list: Step[], { forgetGiven = false } = {}): Promise<Said[]> {
  const n = ++files;
  const policyPath = join(dir, `policy-${n}.json`);
  const testPath = join(dir, `paths-${n}.policytest.json`);
  writeFileSync(policyPath, JSON.stringify(document));
  const iso = (ms: number) => new Date(ms).toISOString();
  const asCall = (step: Step) => ({ tool: step.tool, args: step.args, grant: GRANT, session: SESSION, at: iso(step.atMs) });
  const cases = list.map((step, i) => ({ name: `call ${i + 1}`, ...asCall(step), ...(forgetGiven || i === 0 ? {} : { given: list.slice(0, i).map(asCall) }), expect: 'allow' }));
  writeFileSync(testPath, JSON.stringify({ policy: policyPath, cases }));
  const result = await runTestFile(testPath, 'paths.policytest.json', async (path) => ({ path, compiled: compilePolicy(JSON.parse(readFileSync(path, 'utf8')) as PolicyDocument) }), (p) => p);
  expect(result.problems).toEqual([]);
  return result.cases.map((c) => said({ outcome: c.actual.outcome, rule: c.actual.rule, message: c.actual.message, retryAfterMs: c.actual.retryAfterMs }));
}

// Answers every tools/call with a result.
const SERVER = `
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    const m = JSON.parse(line);
    if (m.id === undefined || m.method === undefined) continue;
    const result = m.method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } : { content: [{ type: 'text', text: 'ok' }] };
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
  }
});`;

async function viaProxy(document: PolicyDocument, list: Step[]): Promise<Said[]> {
  let clock = T0;
  const audit = join(dir, `audit-${++files}.jsonl`);
  const proxy = startProxy(document, {
    command: [process.execPath, '-e', SERVER],
    grant: GRANT,
    session: SESSION,
    decider: createDecider(compilePolicy(document), new MemoryCounterStore(), { now: () => clock }),
    audit: { path: audit, display: 'audit.jsonl' },
  });
  await proxy.client.initialize({ elicitation: {} });
  const denials = new Map<number, { message: string; retryAfterMs: number | undefined }>();
  for (const [i, step] of list.entries()) {
    clock = step.atMs;
    const id = 100 + i;
    proxy.client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: step.tool, arguments: step.args } });
    for (;;) {
      const { message } = await proxy.client.waitFor((m) => m.id === id || m.method === 'elicitation/create', 10_000, `the answer to call ${i + 1}`);
      if (message.method === 'elicitation/create') {
        proxy.client.send({ jsonrpc: '2.0', id: message.id as string, result: { action: 'accept', content: { approve: true } } });
        continue;
      }
      const result = message.result as { isError?: boolean; content: Array<{ text: string }>; _meta?: Record<string, { retry_after_ms: number | null }> } | undefined;
      if (result?.isError) {
        const meta = result._meta?.['policylayer/decision'];
        denials.set(i, { message: result.content[0]!.text.replace(/^\[POLICY DENIED\] /, ''), retryAfterMs: meta?.retry_after_ms ?? undefined });
      }
      break;
    }
  }
  await proxy.stop();
  const calls = readFileSync(audit, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === 'call');
  return calls.map((line, i) => ({
    outcome: line.outcome as string,
    rule: line.rule as string,
    message: line.outcome === 'deny' ? denials.get(i)!.message : line.outcome === 'approval_required' ? (line.message as string) : '',
    retryAfterMs: line.outcome === 'deny' ? denials.get(i)!.retryAfterMs : (line.retry_after_ms as number | undefined),
  }));
}

describe('explain, replay, policy tests and the proxy decide alike', () => {
  it('call by call: outcome, rule, message and retry-after', async () => {
    await fc.assert(
      fc.asyncProperty(policy, steps, async (document, list) => {
        const explained = await viaExplain(document, list);
        expect(await viaReplay(document, list)).toEqual(explained);
        expect(await viaPolicyTests(document, list)).toEqual(explained);
        expect(await viaProxy(document, list)).toEqual(explained);
      }),
      { numRuns: 40 },
    );
  }, 180_000);

  it('catches a path that decides otherwise: policy tests that forget their given calls', async () => {
    const result = await fc.check(
      fc.asyncProperty(policy, steps, async (document, list) => {
        const explained = await viaExplain(document, list);
        expect(await viaPolicyTests(document, list, { forgetGiven: true })).toEqual(explained);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
  }, 120_000);
});
