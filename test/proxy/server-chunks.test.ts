/**
 * Answers that arrive together: a server that holds its tools/call answers and writes them in one
 * write, so the proxy reads several answers in one chunk. A chunk made only of SDK-shaped results to
 * plain calls passes as it came (server-messages.ts passSdkResults); anything else in it sends the
 * whole chunk the line-by-line way. Both must give the client the same answers and settle each call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

// Each call says how many calls to hold before answering them all in one write, and how to answer
// it: `ok` (the TypeScript SDK's shape), `python` (the Python SDK's), `error` (a JSON-RPC error) or
// `twice` (the same answer two times).
const BATCHING_SERVER = `
let rest = '';
let held = [];
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    const message = JSON.parse(line);
    if (message.method !== 'tools/call') continue;
    const { answer, together } = message.params.arguments;
    const id = JSON.stringify(message.id);
    const result = '{"content":[{"type":"text","text":"done ' + id.replace(/"/g, '') + '"}]}';
    const ok = answer === 'python' ? '{"jsonrpc":"2.0","id":' + id + ',"result":' + result + '}\\n' : '{"result":' + result + ',"jsonrpc":"2.0","id":' + id + '}\\n';
    const code = answer === 'invalid' ? -32602 : -32000;
    held.push(answer === 'error' || answer === 'invalid' ? '{"jsonrpc":"2.0","id":' + id + ',"error":{"code":' + code + ',"message":"failed"}}\\n' : answer === 'twice' ? ok + ok : ok);
    if (held.length >= together) {
      process.stdout.write(held.join(''));
      held = [];
    }
  }
});`;
const SERVER = [process.execPath, '-e', BATCHING_SERVER];

const limited = (max: number): PolicyDocument => ({
  version: '1',
  default: 'deny',
  tools: { run: { limits: [{ counter: 'runs', window: 'hour', max, scope: 'grant' }] } },
});

const callLine = (id: unknown, answer: string, together: number): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'run', arguments: { answer, together } } });

describe('several answers in one chunk from the server', () => {
  it('passes SDK-shaped results byte for byte, whatever the id, and frees each id for reuse', async () => {
    const { client } = startProxy(limited(100), { command: SERVER });
    // Three chunks, each sent once the one before is answered: an id of 16 digits takes the
    // line-by-line way (and with it the rest of its chunk); the Python SDK's order (FastMCP, so
    // MCP-Slicer) passes as the TypeScript SDK's does.
    const groups: Array<{ ids: Array<string | number>; answer: string }> = [
      { ids: [1, 'a-b', -3], answer: 'ok' },
      { ids: [1234567890123456, 2], answer: 'ok' },
      { ids: ['p', 8], answer: 'python' },
    ];
    for (const { ids, answer } of groups) {
      for (const id of ids) client.send(callLine(id, answer, ids.length));
      const answers = await Promise.all(ids.map((id) => client.response(id)));
      answers.forEach(({ line }, i) => {
        const id = JSON.stringify(ids[i]);
        const result = `{"content":[{"type":"text","text":"done ${id.replace(/"/g, '')}"}]}`;
        expect(line).toBe(answer === 'python' ? `{"jsonrpc":"2.0","id":${id},"result":${result}}` : `{"result":${result},"jsonrpc":"2.0","id":${id}}`);
      });
    }
    // Answered calls are no longer in progress: their ids can be used again.
    client.send(callLine('p', 'python', 1));
    expect((await client.response('p')).message.result).toBeDefined();
    client.send(callLine(1, 'ok', 1));
    const again = await client.response(1);
    expect(again.message.result).toBeDefined();
  });

  it('gives the budget back for an answer that proves the call did not run, sharing a chunk with a result', async () => {
    const { client } = startProxy(limited(2), { command: SERVER });
    client.send(callLine(1, 'ok', 2));
    client.send(callLine(2, 'invalid', 2));
    expect((await client.response(1)).message.result).toBeDefined();
    expect((await client.response(2)).message.error).toMatchObject({ code: -32602, message: 'failed' });
    // One of two calls used: a second may still run, a third may not.
    client.send(callLine(3, 'ok', 1));
    expect((await client.response(3)).message.result).toMatchObject({ content: [{ text: 'done 3' }] });
    client.send(callLine(4, 'ok', 1));
    expect(JSON.stringify((await client.response(4)).message.result)).toContain('[POLICY DENIED]');
  });

  it('keeps the budget spent for a server-defined error: the tool may have run', async () => {
    const { client } = startProxy(limited(2), { command: SERVER });
    client.send(callLine(1, 'ok', 2));
    client.send(callLine(2, 'error', 2));
    expect((await client.response(1)).message.result).toBeDefined();
    expect((await client.response(2)).message.error).toMatchObject({ code: -32000 });
    client.send(callLine(3, 'ok', 1));
    expect(JSON.stringify((await client.response(3)).message.result)).toContain('[POLICY DENIED]');
  });

  it('passes the first of an answer the server sent twice in one chunk and drops the second, which matches nothing in flight', async () => {
    const { client, log } = startProxy(limited(100), { command: SERVER });
    client.send(callLine(7, 'twice', 1));
    await client.response(7);
    client.send(callLine(8, 'ok', 1));
    await client.response(8);
    expect(client.lines.filter((line) => line.includes('"id":7'))).toHaveLength(1);
    expect(log()).toContain('dropped an answer from the server that matches no request in flight (id 7)');
    expect(log()).not.toContain('internal error');
  });

  it('still answers a client batch with one array when its answers arrive together', async () => {
    const { client } = startProxy(limited(100), { command: SERVER });
    client.send(`[${callLine(1, 'ok', 2)},${callLine(2, 'ok', 2)}]`);
    const { message } = await client.waitFor((_message, line) => line.startsWith('['), 5000, 'the batch answer');
    expect((message as unknown as Array<{ id: number }>).map((answer) => answer.id).sort()).toEqual([1, 2]);
  });
});
