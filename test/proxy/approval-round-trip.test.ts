/**
 * require_approval for 2026-07-28 clients: the question goes back in an input-required result and
 * the client's retry (a new request) carries the answer. Behind the proxy, a server that answers
 * each tools/call with the params it received, so each test sees exactly what was forwarded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVAL_INPUT_KEY } from '../../src/proxy/approval/round-trip.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import type { Message } from '../helpers/mcp-stream.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

const ECHO_SERVER = `
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    const message = JSON.parse(line);
    if (message.id === undefined || !message.method) continue;
    const result = message.method === 'tools/call' ? { resultType: 'complete', content: [{ type: 'text', text: JSON.stringify(message.params) }] } : { resultType: 'complete' };
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }) + '\\n');
  }
});`;
const ECHO = [process.execPath, '-e', ECHO_SERVER];

const policy: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: {
    run: {
      limits: [{ counter: 'runs', window: 'hour', max: 1, scope: 'grant' }],
      require_approval: [{ message: 'Runs code' }],
    },
  },
};

/** The same without a limit. */
const roomy: PolicyDocument = { version: '1', default: 'deny', tools: { run: { require_approval: [{ message: 'Runs code' }] } } };

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
const ACCEPT = { action: 'accept', content: { approve: true } };

type Result = Record<string, any>;

async function call(client: { request(method: string, params?: unknown): Promise<Message> }, params: Record<string, unknown>): Promise<Result> {
  const answer = await client.request('tools/call', { name: 'run', arguments: { code: 'x = 1' }, _meta: META, ...params });
  return answer.result as Result;
}

/** What the echo server received, from its answer. */
const forwarded = (result: Result): Record<string, unknown> => JSON.parse(result.content[0].text);

describe('require_approval for a 2026-07-28 client (input-required round trip)', () => {
  it('asks in an input-required result, forwards the retry that accepts, without the proxy\'s state, audits both and records one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policylayer-mrtr-'));
    try {
      const audit = join(dir, 'audit.jsonl');
      const recording = join(dir, 'calls.jsonl');
      const proxy = startProxy(policy, { command: ECHO, audit: { path: audit, display: 'audit.jsonl' }, record: { path: recording, display: 'calls.jsonl' } });
      const asked = await call(proxy.client, {});
      expect(asked.resultType).toBe('input_required');
      expect(Object.keys(asked.inputRequests)).toEqual([APPROVAL_INPUT_KEY]);
      const question = asked.inputRequests[APPROVAL_INPUT_KEY];
      expect(question.method).toBe('elicitation/create');
      expect(question.params.mode).toBe('form');
      expect(question.params.message).toContain('Tool: run');
      expect(question.params.message).toContain('Why: Runs code');
      expect(question.params.requestedSchema.required).toEqual(['approve']);
      expect(typeof asked.requestState).toBe('string');

      const answered = await call(proxy.client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: asked.requestState });
      expect(forwarded(answered)).toEqual({ name: 'run', arguments: { code: 'x = 1' }, _meta: META });
      await proxy.stop();
      const calls = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Result).filter((line) => line.event === 'call');
      expect(calls.map((line) => [line.outcome, line.approval])).toEqual([
        ['approval_required', 'requested'],
        ['approval_required', 'accepted'],
      ]);
      // The retry is the same call again: --record writes it once.
      expect(readFileSync(recording, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as Result).tool)).toEqual(['run']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses an answer once: the same retry again is asked again', async () => {
    const { client } = startProxy(roomy, { command: ECHO });
    const asked = await call(client, {});
    const retry = { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: asked.requestState };
    expect(forwarded(await call(client, retry)).name).toBe('run');
    const again = await call(client, retry);
    expect(again.resultType).toBe('input_required');
    expect(again.requestState).not.toBe(asked.requestState);
  });

  it('counts the approved call against its limit, and not the question', async () => {
    const { client } = startProxy(policy, { command: ECHO });
    const first = await call(client, {});
    const second = await call(client, {}); // a question costs no budget: this is asked too
    expect(second.resultType).toBe('input_required');
    expect(forwarded(await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: first.requestState })).name).toBe('run');
    const spent = await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: second.requestState });
    expect(spent.content[0].text).toMatch(/^\[POLICY DENIED\] Rate limit of 1 calls per hour reached for "runs"/);
  });

  it('denies a declined or cancelled answer, saying why, and the budget stays free', async () => {
    const { client } = startProxy(policy, { command: ECHO });
    for (const [answer, approval, why] of [
      [{ action: 'decline' }, 'declined', 'the user declined'],
      [{ action: 'accept', content: { approve: false } }, 'declined', 'the user did not approve it'],
      [{ action: 'cancel' }, 'cancelled', 'the user dismissed the approval request'],
    ] as const) {
      const asked = await call(client, {});
      const denied = await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: answer }, requestState: asked.requestState });
      expect(denied.resultType).toBe('complete');
      expect(denied.content[0].text).toBe(`[POLICY DENIED] Runs code. Not approved: ${why}.`);
      expect(denied._meta['policylayer/decision']).toMatchObject({ outcome: 'approval_required', approval });
    }
    const asked = await call(client, {});
    expect(forwarded(await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: asked.requestState })).name).toBe('run');
  });

  it('asks again when the answer is for other arguments, the state was altered, or the answer is missing', async () => {
    const { client, log } = startProxy(policy, { command: ECHO });
    const asked = await call(client, {});
    const accept = { [APPROVAL_INPUT_KEY]: ACCEPT };
    const otherArguments = await call(client, { arguments: { code: 'import os' }, inputResponses: accept, requestState: asked.requestState });
    expect(otherArguments.resultType).toBe('input_required');
    const state = asked.requestState as string;
    const altered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await call(client, { inputResponses: accept, requestState: altered })).resultType).toBe('input_required');
    expect((await call(client, { requestState: state })).resultType).toBe('input_required');
    expect(log()).toContain('the approval its retry carries cannot be used (it was given for other arguments)');
    expect(log()).toContain('(it was not issued by this proxy process)');
    expect(log()).toContain('(the retry has no answer under inputResponses["policylayer/approval"])');
  });

  it('asks again when the answer comes after the approval timeout', async () => {
    const { client, log } = startProxy(policy, { command: ECHO, approvalTimeoutMs: 200 });
    const asked = await call(client, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: asked.requestState })).resultType).toBe('input_required');
    expect(log()).toContain('(the time to answer it ran out)');
  });

  it('keeps the server\'s own requestState and inputResponses through the proxy\'s round trip', async () => {
    const { client } = startProxy(policy, { command: ECHO });
    const serverRound = { requestState: 'server-state-7', inputResponses: { 'server/confirm': { action: 'accept', content: { ok: true } } } };
    const asked = await call(client, serverRound);
    expect(asked.requestState).not.toBe('server-state-7');
    const answered = await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT }, requestState: asked.requestState });
    expect(forwarded(answered)).toEqual({ name: 'run', arguments: { code: 'x = 1' }, _meta: META, ...serverRound });
  });

  it('strips the proxy\'s state from a retry the policy now allows without asking', async () => {
    const { client } = startProxy({ version: '1', default: 'allow' }, { command: ECHO });
    const stale = { inputResponses: { [APPROVAL_INPUT_KEY]: ACCEPT, other: { action: 'decline' } }, requestState: 'policylayer-approval.v1.e30.AAAA' };
    expect(forwarded(await call(client, stale))).toEqual({ name: 'run', arguments: { code: 'x = 1' }, _meta: META, inputResponses: { other: { action: 'decline' } } });
  });

  it('asks an approver placed before the client (the terminal) first, and the client only when it cannot ask', async () => {
    let terminal: 'accepted' | 'unavailable' = 'accepted';
    const asked: string[] = [];
    const { client } = startProxy(roomy, {
      command: ECHO,
      approvers: ({ elicitation }) => [{ name: 'terminal', ask: async (request) => (asked.push(request.tool), { answer: terminal, reason: 'no terminal' }) }, elicitation],
    });
    expect(forwarded(await call(client, {})).name).toBe('run');
    terminal = 'unavailable';
    const question = await call(client, {});
    expect(question.resultType).toBe('input_required');
    expect(asked).toEqual(['run', 'run']);
    // The retry that answers is not put to the terminal again.
    const answered = await call(client, { inputResponses: { [APPROVAL_INPUT_KEY]: { action: 'decline' } }, requestState: question.requestState });
    expect(answered.content[0].text).toBe('[POLICY DENIED] Runs code. Not approved: the user declined.');
    expect(asked).toHaveLength(2);
  });

  it('denies a 2026-07-28 client that did not declare elicitation on this request, without asking', async () => {
    const { client } = startProxy(policy, { command: ECHO });
    const result = await call(client, { _meta: { ...META, 'io.modelcontextprotocol/clientCapabilities': {} } });
    expect(result.content[0].text).toBe('[POLICY DENIED] Runs code. Not approved: the client did not declare the elicitation capability.');
    expect(result.resultType).toBe('complete');
  });
});
