import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { SEED_POLICY, startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

const FAULTS = { MCP_SLICER_SIM_FAULTS: '1' };
const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });

const slicer: PolicyDocument = {
  version: '1',
  default: 'deny',
  hide: ['capture_screenshot'],
  tools: {
    list_nodes: {},
    execute_python_code: {
      deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'os._exit' }], on_deny: 'No exiting Slicer.' }],
      limits: [{ counter: 'python', window: 'minute', max: 1000, scope: 'grant' }],
    },
  },
};

/** Waits until the current UTC minute has at least `ms` left, so a burst stays in one window. */
async function awayFromMinuteBoundary(ms = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('enforcement', () => {
  it('forwards an allowed call and answers a denied one itself, with the exact denial frame and the same id', async () => {
    const { client } = startProxy(slicer, { env: env(FAULTS) });
    await client.initialize();
    const allowed = await client.callTool('list_nodes', { filter_type: 'names' });
    expect(JSON.stringify(allowed.result)).toContain('MRHead');

    client.send({ jsonrpc: '2.0', id: 'deny-me', method: 'tools/call', params: { name: 'list_nodes_typo', arguments: {} } });
    const { line } = await client.response('deny-me');
    expect(line).toBe(
      '{"jsonrpc":"2.0","id":"deny-me","result":{"content":[{"type":"text","text":"[POLICY DENIED] Tool \\"list_nodes_typo\\" is not permitted by policy"}],"isError":true,"_meta":{"policylayer/decision":{"rule":"(default deny)","outcome":"deny","retry_after_ms":null}}}}',
    );
  });

  it('never lets a denied call reach the server (a call that would crash it leaves it running)', async () => {
    const { client, log } = startProxy(slicer, { env: env(FAULTS) });
    await client.initialize();
    const denied = await client.callTool('execute_python_code', { code: 'import os; os._exit(3)' });
    expect(denied.result).toMatchObject({ isError: true, content: [{ text: '[POLICY DENIED] No exiting Slicer.' }] });
    expect(JSON.stringify((await client.callTool('execute_python_code', { code: '__execResult = 6*7' })).result)).toContain('42');
    expect(log()).toContain('denied execute_python_code by /tools/execute_python_code/deny_if/0: No exiting Slicer.');
  });

  it('removes hidden tools from tools/list and denies calls to them', async () => {
    const { client } = startProxy(slicer);
    await client.initialize();
    const listed = (await client.request('tools/list')).result as { tools: Array<{ name: string }> };
    expect(listed.tools.map((tool) => tool.name)).toEqual(['list_nodes', 'execute_python_code']);
    const called = await client.callTool('capture_screenshot', {});
    expect(called.result).toMatchObject({ isError: true, _meta: { 'policylayer/decision': { rule: '(hidden)', outcome: 'deny' } } });
  });

  it('allows the seed policy\'s 10 execute_python_code calls in a minute and denies the 11th with its retry-after', async () => {
    await awayFromMinuteBoundary();
    const { client } = startProxy(SEED_POLICY);
    await client.initialize();
    for (let i = 1; i <= 10; i++) {
      const result = (await client.callTool('execute_python_code', { code: `__execResult = ${i}` })).result as { isError?: boolean };
      expect(result.isError).toBeUndefined();
    }
    const eleventh = (await client.callTool('execute_python_code', { code: '__execResult = 11' })).result as Record<string, any>;
    const decision = eleventh._meta['policylayer/decision'];
    expect(decision.rule).toBe('/tools/execute_python_code/limits/0');
    expect(decision.retry_after_ms).toBeGreaterThan(0);
    expect(decision.retry_after_ms).toBeLessThanOrEqual(60_000 - (Date.now() % 60_000) + 100);
    expect(eleventh.content[0].text).toMatch(/^\[POLICY DENIED\] Rate limit of 10 calls per minute reached for "execute_python_code_rate" \(grant local\); try again in \d+ s$/);
  });

  it('writes each limit\'s counter into the call\'s audit line: its value after the call, unreserved when denied', async () => {
    await awayFromMinuteBoundary(); // an hour and a day end on a minute boundary too
    const dir = mkdtempSync(join(tmpdir(), 'policylayer-counters-'));
    try {
      const audit = join(dir, 'audit.jsonl');
      const twoAnHour: PolicyDocument = {
        version: '1',
        default: 'deny',
        all_tools: { limits: [{ counter: 'everything', window: 'day', max: 100, scope: 'global' }] },
        tools: { execute_python_code: { limits: [{ counter: 'python', window: 'hour', max: 2, scope: 'grant' }] } },
      };
      const proxy = startProxy(twoAnHour, { audit: { path: audit, display: 'audit.jsonl' } });
      await proxy.client.initialize();
      for (let i = 0; i < 3; i++) await proxy.client.callTool('execute_python_code', { code: '1' });
      await proxy.stop();
      const calls = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>).filter((line) => line.event === 'call');
      const hourEnd = new Date(Math.floor(Date.parse(calls[0]!.ts) / 3_600_000 + 1) * 3_600_000).toISOString();
      const dayEnd = new Date(Math.floor(Date.parse(calls[0]!.ts) / 86_400_000 + 1) * 86_400_000).toISOString();
      const counters = (everything: number, python: number) => [
        { counter: 'everything', scope: 'global', scope_id: '', window: 'day', resets_at: dayEnd, used: everything, max: 100 },
        { counter: 'python', scope: 'grant', scope_id: 'local', window: 'hour', resets_at: hourEnd, used: python, max: 2 },
      ];
      expect(calls.map((call) => [call.outcome, call.counters])).toEqual([
        ['allow', counters(1, 1)],
        ['allow', counters(2, 2)],
        // Denied by python: nothing was reserved, so both show what was used before this call.
        ['deny', counters(2, 2)],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls counters back when the server answers with a JSON-RPC error, and keeps them for isError results', async () => {
    const oneCall: PolicyDocument = { version: '1', default: 'deny', tools: { execute_python_code: { limits: [{ counter: 'c', window: 'hour', max: 1, scope: 'grant' }] } } };
    const { client } = startProxy(oneCall, { env: env(FAULTS) });
    await client.initialize();
    const failed = await client.callTool('execute_python_code', { code: 'raise ProtocolError' });
    expect(failed.error).toMatchObject({ message: expect.stringContaining('simulated protocol error') });
    // The budget came back: one more call fits.
    const ok = (await client.callTool('execute_python_code', {})).result as { isError?: boolean };
    expect(ok.isError).toBe(true); // the tool's own error (missing code): it ran, so it counts
    const third = (await client.callTool('execute_python_code', { code: '__execResult = 1' })).result as Record<string, any>;
    expect(third._meta['policylayer/decision'].rule).toBe('/tools/execute_python_code/limits/0');
  });

  it('handles the falsy ids 0 and "" like any other (the SDK client starts counting at 0)', async () => {
    const { client } = startProxy(slicer);
    for (const id of [0, '']) {
      client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_nodes', arguments: {} } });
      expect(JSON.stringify((await client.response(id)).message.result)).toContain('MRHead');
      client.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'capture_screenshot', arguments: {} } });
      expect(((await client.response(id)).message.result as Record<string, unknown>).isError).toBe(true);
    }
  });

  it('echoes ids exactly: strings, and integers beyond 2^53', async () => {
    const { client } = startProxy(SEED_POLICY);
    client.send('{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"nope"}}');
    const { line } = await client.waitFor((message) => 'result' in message, 10_000, 'the denial');
    expect(line.startsWith('{"jsonrpc":"2.0","id":9007199254740993,')).toBe(true);
  });

  it('adds resultType "complete" to a denial of a 2026-07-28 (modern era) request, without any initialize', async () => {
    const { client } = startProxy(SEED_POLICY);
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const denied = await client.request('tools/call', { name: 'list_nodes', arguments: {}, _meta: meta });
    expect(denied.result).toMatchObject({ isError: true, resultType: 'complete' });
  });

  it('denies a task-augmented call with a failed task whose result is the denial', async () => {
    const { client } = startProxy(SEED_POLICY);
    await client.initialize();
    const created = (await client.request('tools/call', { name: 'list_nodes', arguments: {}, task: { ttl: 60_000 } })).result as Record<string, any>;
    expect(created.task).toMatchObject({ status: 'failed', statusMessage: '[POLICY DENIED] Tool "list_nodes" is not permitted by policy', ttl: 60_000 });
    expect(created._meta['io.modelcontextprotocol/model-immediate-response']).toBe('[POLICY DENIED] Tool "list_nodes" is not permitted by policy');
    const taskId = created.task.taskId as string;
    expect(((await client.request('tasks/get', { taskId })).result as Record<string, any>).status).toBe('failed');
    const result = (await client.request('tasks/result', { taskId })).result as Record<string, any>;
    expect(result).toMatchObject({ isError: true, _meta: { 'io.modelcontextprotocol/related-task': { taskId }, 'policylayer/decision': { rule: '(default deny)' } } });
    expect((await client.request('tasks/cancel', { taskId })).error).toMatchObject({ code: -32602 });
  });

  it('answers a 2025-03-26 batch with one array: forwarded and denied elements together, notifications unanswered', async () => {
    const { client } = startProxy(slicer);
    await client.initialize();
    client.send(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'list_nodes', arguments: {} } },
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'x', progress: 1 } },
        { jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'capture_screenshot', arguments: {} } },
        { jsonrpc: '2.0', id: 'c', method: 'ping' },
      ]),
    );
    const { line } = await client.waitFor((_message, raw) => raw.startsWith('['), 10_000, 'the batch answer');
    const answers = JSON.parse(line) as Array<Record<string, any>>;
    expect(answers.map((answer) => answer.id).sort()).toEqual(['a', 'b', 'c']);
    expect(answers.find((answer) => answer.id === 'b')!.result.isError).toBe(true);
    expect(JSON.stringify(answers.find((answer) => answer.id === 'a')!.result)).toContain('MRHead');
    expect(answers.find((answer) => answer.id === 'c')!.result).toEqual({});
  });
});

describe('bad input from the client', () => {
  it('answers a line that is not JSON with a parse error, forwards nothing and keeps going', async () => {
    const { client } = startProxy(slicer);
    client.send('this is not json');
    client.send(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])); // {"\xff"} : not UTF-8
    const first = await client.waitFor((message) => (message.error as { code?: number } | undefined)?.code === -32700);
    expect(first.message).toMatchObject({ id: null, error: { code: -32700 } });
    await client.waitFor((message) => (message.error as { message?: string } | undefined)?.message?.includes('UTF-8') === true);
    await client.initialize();
    expect(JSON.stringify((await client.callTool('list_nodes')).result)).toContain('MRHead');
  });

  it('refuses a tools/call with duplicate member names, a non-string tool name, bad arguments or no id', async () => {
    const { client } = startProxy(slicer);
    await client.initialize();
    client.send('{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"list_nodes","name":"execute_python_code","arguments":{}}}');
    expect((await client.response(41)).message.error).toMatchObject({ code: -32600, message: expect.stringContaining('same member twice') });
    client.send('{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"list_nodes","arguments":{"code":"a","code":"b"}}}');
    expect((await client.response(42)).message.error).toMatchObject({ code: -32600 });
    client.send({ jsonrpc: '2.0', id: 43, method: 'tools/call', params: { name: ['list_nodes'] } });
    expect((await client.response(43)).message.error).toMatchObject({ code: -32600, message: expect.stringContaining('params.name') });
    client.send({ jsonrpc: '2.0', id: 44, method: 'tools/call', params: { name: 'list_nodes', arguments: ['x'] } });
    expect((await client.response(44)).message.error).toMatchObject({ code: -32600, message: expect.stringContaining('params.arguments') });
    client.send({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'list_nodes' } });
    expect((await client.waitFor((message) => message.id === null && JSON.stringify(message).includes('must have an id'))).message.error).toMatchObject({ code: -32600 });
    expect(JSON.stringify((await client.callTool('list_nodes')).result)).toContain('MRHead');
  });

  it('refuses a second request with an id that is still in progress', async () => {
    const { client } = startProxy(slicer, { env: env({ MCP_SLICER_SIM_DELAY_MS: '300' }) });
    await client.initialize();
    client.send({ jsonrpc: '2.0', id: 'same', method: 'tools/call', params: { name: 'list_nodes', arguments: {} } });
    client.send({ jsonrpc: '2.0', id: 'same', method: 'tools/call', params: { name: 'list_nodes', arguments: {} } });
    const first = await client.response('same');
    const second = await client.response('same');
    const messages = [first.message, second.message];
    expect(messages.filter((message) => message.error !== undefined)).toHaveLength(1);
    expect(messages.filter((message) => message.result !== undefined)).toHaveLength(1);
  });
});
