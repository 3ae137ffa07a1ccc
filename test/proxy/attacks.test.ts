/**
 * The attacks of issue 15, each against real readers: raw bytes written to the proxy's stdin, and
 * what the server behind it then executed (the reader fixtures log every call they run).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/engine/compile.js';
import { createDecider } from '../../src/engine/decider.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { ATTACK_POLICY, loggingReader, type LoggingReader, type ReaderKind } from '../helpers/logging-readers.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-attacks-'));
afterEach(stopAllProxies);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readerCommand = (kind: ReaderKind): LoggingReader => loggingReader(dir, kind);

const POLICY = ATTACK_POLICY;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a bare CR cannot hide a call inside another message', () => {
  const SMUGGLE =
    '{"jsonrpc":"2.0","method":"notifications/x","params":\r{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"delete_everything","arguments":{}}}\r}';

  for (const kind of ['python', 'readline'] as const) {
    it(`is refused, audited and never reaches a ${kind} reader`, async () => {
      const reader = readerCommand(kind);
      const audit = join(dir, `audit-cr-${kind}.jsonl`);
      const proxy = startProxy(POLICY, { command: reader.command, audit: { path: audit, display: 'audit.jsonl' } });
      await proxy.client.initialize();
      proxy.client.send(SMUGGLE);
      const refusal = await proxy.client.waitFor((message) => 'error' in message, 5000, 'the refusal');
      expect((refusal.message.error as { code: number }).code).toBe(-32600);
      // Twenty smuggled calls to a limited tool: none runs.
      for (let i = 0; i < 20; i++) proxy.client.send(SMUGGLE.replace('"id":99', `"id":${100 + i}`).replace('delete_everything', 'slow_job'));
      expect((await proxy.client.callTool('list_nodes')).result).toBeDefined();
      await settle(100);
      await proxy.stop();
      expect(reader.executed().map((call) => call.tool)).toEqual(['list_nodes']);
      expect(proxy.log()).toMatch(/carriage return/);
      const lines = readFileSync(audit, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => line.event === 'refused')).toHaveLength(21);
    });
  }
});

describe('cancelling a call does not give its budget back while the server may still run it', () => {
  it('twelve cancel-and-reuse rounds against a limit of 3 run at most 3 calls (Python SDK answers cancelled calls late)', async () => {
    const reader = readerCommand('python');
    // A fixed clock: a run that straddled a minute boundary would get a second budget.
    const decider = createDecider(compilePolicy(POLICY), new MemoryCounterStore(), { now: () => Date.UTC(2026, 11, 7, 10, 0, 30) });
    const proxy = startProxy(POLICY, { command: reader.command, decider });
    await proxy.client.initialize();
    const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow_job', arguments: { ms: 300 } } });
    const cancel = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'again' } });
    proxy.client.send(call);
    for (let round = 0; round < 12; round++) {
      await settle(30);
      // The cancel and the new call in one write: the server's late "Request cancelled" comes after both.
      proxy.client.send(`${cancel}\n${call}`);
    }
    await settle(500);
    await proxy.stop();
    expect(reader.executed().filter((call) => call.tool === 'slow_job').length).toBeLessThanOrEqual(3);
  });
});

describe('one id, one request in flight', () => {
  it('a second tools/list with the same id is refused, so no unfiltered answer reaches the client', async () => {
    const reader = readerCommand('python');
    const proxy = startProxy(POLICY, { command: reader.command });
    await proxy.client.initialize();
    const list = { jsonrpc: '2.0', id: 5, method: 'tools/list' };
    proxy.client.send(`${JSON.stringify(list)}\n${JSON.stringify(list)}`);
    await settle(300);
    await proxy.stop();
    const toClient = proxy.client.lines.join('\n');
    expect(toClient).not.toContain('delete_everything');
    expect(toClient).toContain('already used by a request in progress');
  });
});

describe('the audit log holds no argument values', () => {
  it('not in a limit message naming a counted argument that is not a number', async () => {
    const audit = join(dir, 'audit-values.jsonl');
    const policy: PolicyDocument = {
      version: '1',
      default: 'deny',
      tools: { transfer_funds: { limits: [{ counter: 'spend', window: 'day', max: 1000, scope: 'grant', increment_from: 'args.amount' }] } },
    };
    const reader = readerCommand('python');
    const proxy = startProxy(policy, { command: reader.command, audit: { path: audit, display: 'audit.jsonl' } });
    await proxy.client.initialize();
    await proxy.client.callTool('transfer_funds', { amount: 'SECRET-AMOUNT' });
    await proxy.client.callTool('transfer_funds', { amount: 73491.125 });
    await proxy.client.callTool('transfer_funds', { amount: 86420.375 });
    await proxy.stop();
    const text = readFileSync(audit, 'utf8');
    expect(text).not.toContain('SECRET-AMOUNT');
    expect(text).not.toContain('73491');
    expect(text).not.toContain('86420');
    expect(proxy.log()).not.toContain('SECRET-AMOUNT');
  });
});
