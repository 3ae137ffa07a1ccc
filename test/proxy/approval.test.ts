import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import type { Message } from '../helpers/mcp-stream.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

const approval: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: {
    list_nodes: {},
    execute_python_code: {
      limits: [{ counter: 'python', window: 'hour', max: 1, scope: 'grant' }],
      require_approval: [{ message: 'Python runs inside Slicer' }],
    },
  },
};

const ELICITATION = { elicitation: {} };
const isElicitation = (message: Message) => message.method === 'elicitation/create';

function decisionOf(result: unknown): Record<string, unknown> {
  return ((result as Record<string, any>)._meta as Record<string, any>)['policylayer/decision'];
}

describe('require_approval through elicitation', () => {
  it('asks with its own id, forwards on accept with approve: true, and the approval covers that call only', async () => {
    const { client } = startProxy({ ...approval, tools: { ...approval.tools, execute_python_code: { require_approval: [{ message: 'Python runs inside Slicer' }] } } });
    await client.initialize(ELICITATION);
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: '__execResult = 6*7' } } });
    const { message: ask } = await client.waitFor(isElicitation);
    expect(ask.id).toMatch(/^policylayer-[0-9a-f]{8}-\d+$/);
    const params = ask.params as Record<string, any>;
    expect(params.message).toContain('Tool: execute_python_code');
    expect(params.message).toContain('code: "__execResult = 6*7"');
    expect(params.message).toContain('Why: Python runs inside Slicer');
    expect(params.mode).toBeUndefined(); // negotiated 2025-06-18: no mode field
    expect(params.requestedSchema).toEqual({
      type: 'object',
      properties: { approve: { type: 'boolean', title: 'Allow this call to execute_python_code?', description: 'Approves this one call only.' } },
      required: ['approve'],
    });
    client.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { approve: true } } });
    expect(JSON.stringify((await client.response(1)).message.result)).toContain('42');

    // The next call asks again.
    client.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: '__execResult = 1' } } });
    const { message: again } = await client.waitFor(isElicitation);
    expect(again.id).not.toBe(ask.id);
    client.send({ jsonrpc: '2.0', id: again.id, result: { action: 'accept', content: { approve: false } } });
    expect(decisionOf((await client.response(2)).message.result)).toMatchObject({ outcome: 'approval_required', approval: 'declined' });
  });

  it('sends mode "form" when the session negotiated 2025-11-25', async () => {
    const { client } = startProxy(approval);
    await client.initialize(ELICITATION, '2025-11-25');
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: 'x' } } });
    expect(((await client.waitFor(isElicitation)).message.params as Record<string, unknown>).mode).toBe('form');
  });

  it('denies on decline and cancel, saying why, and gives the reserved budget back', async () => {
    const { client } = startProxy(approval);
    await client.initialize(ELICITATION);
    for (const [action, why] of [
      ['decline', 'the user declined'],
      ['cancel', 'the user dismissed the approval request'],
    ] as const) {
      const answer = client.callTool('execute_python_code', { code: 'x' });
      const { message: ask } = await client.waitFor(isElicitation);
      client.send({ jsonrpc: '2.0', id: ask.id, result: { action } });
      const result = (await answer).result as Record<string, any>;
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toBe(`[POLICY DENIED] Python runs inside Slicer. Not approved: ${why}.`);
      expect(decisionOf(result)).toEqual({ rule: '/tools/execute_python_code/require_approval/0', outcome: 'approval_required', retry_after_ms: null, approval: action === 'decline' ? 'declined' : 'cancelled' });
    }
    // max is 1 an hour: had either refusal kept its reservation, this call would be rate-limited before being asked.
    const third = client.callTool('execute_python_code', { code: 'x' });
    const { message: ask } = await client.waitFor(isElicitation);
    client.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { approve: true } } });
    expect(((await third).result as Record<string, unknown>).isError).toBeUndefined();
  });

  it('joins a message that ends a sentence and the reason into two sentences, as init writes them', async () => {
    const recommended = 'execute_python_code runs code or commands; approve only calls you expect.';
    const { client } = startProxy({ version: '1', default: 'deny', tools: { execute_python_code: { require_approval: [{ message: recommended }] } } });
    await client.initialize(ELICITATION);
    const answer = client.callTool('execute_python_code', { code: 'x' });
    const { message: ask } = await client.waitFor(isElicitation);
    client.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'decline' } });
    expect(((await answer).result as Record<string, any>).content[0].text).toBe(`[POLICY DENIED] ${recommended} Not approved: the user declined.`);
  });

  it('denies when nobody answers within the approval timeout, and withdraws the question', async () => {
    const { client } = startProxy(approval, { approvalTimeoutMs: 300 });
    await client.initialize(ELICITATION);
    const answer = client.callTool('execute_python_code', { code: 'x' });
    const { message: ask } = await client.waitFor(isElicitation);
    const result = (await answer).result as Record<string, any>;
    expect(result.content[0].text).toBe('[POLICY DENIED] Python runs inside Slicer. Not approved: no answer within 0.3 s.');
    expect(decisionOf(result).approval).toBe('timeout');
    const { message: withdrawn } = await client.waitFor((message) => message.method === 'notifications/cancelled');
    expect(withdrawn.params).toEqual({ requestId: ask.id, reason: 'no answer within 0.3 s' });
    // A late answer is consumed by the proxy, not forwarded to the server (which never asked).
    client.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { approve: true } } });
    expect(JSON.stringify((await client.callTool('list_nodes')).result)).toContain('MRHead');
  });

  it('denies without asking a client that did not declare elicitation, or negotiated a version before it', async () => {
    for (const [capabilities, version, why] of [
      [{}, '2025-06-18', 'the client did not declare the elicitation capability'],
      [ELICITATION, '2025-03-26', "the session's protocol version 2025-03-26 predates elicitation (2025-06-18)"],
    ] as const) {
      const { client, stop } = startProxy(approval);
      await client.initialize(capabilities, version);
      const result = (await client.callTool('execute_python_code', { code: 'x' })).result as Record<string, any>;
      expect(result.content[0].text).toBe(`[POLICY DENIED] Python runs inside Slicer. Not approved: ${why}.`);
      expect(decisionOf(result).approval).toBe('unavailable');
      expect(client.lines.some((line) => line.includes('elicitation/create'))).toBe(false);
      await stop();
    }
  });

  it('ends a held call the client cancels: no answer, no forwarding, the question withdrawn, the budget back', async () => {
    const { client } = startProxy(approval);
    await client.initialize(ELICITATION);
    client.send({ jsonrpc: '2.0', id: 'held', method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: 'x' } } });
    const { message: ask } = await client.waitFor(isElicitation);
    client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'held', reason: 'user pressed stop' } });
    const { message: withdrawn } = await client.waitFor((message) => message.method === 'notifications/cancelled');
    expect((withdrawn.params as Record<string, unknown>).requestId).toBe(ask.id);
    // Nothing comes back for "held"; the next call is asked again (the budget of 1 is free).
    client.send({ jsonrpc: '2.0', id: 'next', method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: '__execResult = 5' } } });
    const { message: second } = await client.waitFor(isElicitation);
    client.send({ jsonrpc: '2.0', id: second.id, result: { action: 'accept', content: { approve: true } } });
    expect(JSON.stringify((await client.response('next')).message.result)).toContain('5');
    expect(client.lines.some((line) => line.includes('"id":"held"'))).toBe(false);
  });

  it('uses the next approver when one is unavailable, and the first definite answer wins', async () => {
    const asked: string[] = [];
    const { client } = startProxy(approval, {
      approvers: ({ elicitation }) => [
        elicitation,
        {
          name: 'test',
          ask: async (request) => {
            asked.push(`${request.tool}:${request.rule}`);
            return { answer: 'accepted', reason: '' };
          },
        },
      ],
    });
    await client.initialize({});
    const result = (await client.callTool('execute_python_code', { code: '__execResult = 8' })).result;
    expect(JSON.stringify(result)).toContain('8');
    expect(asked).toEqual(['execute_python_code:/tools/execute_python_code/require_approval/0']);
  });
});
