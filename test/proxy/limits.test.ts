/**
 * Bounded memory: past the cap on requests in flight, or on calls waiting for a human, a request is
 * refused with a JSON-RPC error and nothing of it is forwarded.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { ROOT } from '../helpers/cli.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

const READER = [process.execPath, resolve(ROOT, 'fixtures/servers/readers/ts-sdk-reader.mjs')];
const slow = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow_job', arguments: { ms: 400 } } });

describe('caps on what the proxy holds', () => {
  it('refuses requests past --max-in-flight, of any method, and takes them again once answers free room', async () => {
    const policy: PolicyDocument = { version: '1', default: 'allow' };
    const proxy = startProxy(policy, { command: READER, limits: { maxInFlight: 3 } });
    await proxy.client.initialize();
    for (let id = 10; id < 13; id++) proxy.client.send(slow(id));
    proxy.client.send({ jsonrpc: '2.0', id: 13, method: 'tools/call', params: { name: 'slow_job', arguments: {} } });
    proxy.client.send({ jsonrpc: '2.0', id: 14, method: 'ping' });
    const refused = [await proxy.client.response(13), await proxy.client.response(14)];
    for (const { message } of refused) expect(message.error).toMatchObject({ code: -32000, message: expect.stringContaining('too many requests in flight (the limit is 3)') });
    for (let id = 10; id < 13; id++) expect((await proxy.client.response(id)).message.result).toBeDefined();
    expect((await proxy.client.request('ping')).result).toEqual({});
    expect(proxy.log()).toContain('refused a client message (tools/call slow_job id 13)');
  });

  it('refuses a call needing approval past --max-held-approvals, giving its budget back', async () => {
    const policy: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: { transfer_funds: { limits: [{ counter: 'pay', window: 'hour', max: 3, scope: 'grant' }], require_approval: [{ conditions: [] }] } },
    };
    const proxy = startProxy(policy, { command: READER, limits: { maxHeldApprovals: 2 }, approvalTimeoutMs: 2000 });
    // A client that can be asked, and never answers.
    await proxy.client.initialize({ elicitation: {} });
    for (let id = 20; id < 23; id++) proxy.client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'transfer_funds', arguments: { amount: 1 } } });
    const third = await proxy.client.response(22);
    expect(third.message.error).toMatchObject({ code: -32000, message: expect.stringContaining('too many calls are waiting for approval (the limit is 2)') });
    const asked = proxy.client.lines.filter((line) => line.includes('elicitation/create'));
    expect(asked).toHaveLength(2);
  });
});
