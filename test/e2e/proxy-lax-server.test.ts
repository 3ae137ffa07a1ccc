/**
 * End to end through the proxy against a server that reads arguments as FastMCP does (real
 * pydantic in lax mode, plus the SDK's pre_parse_json; fixtures/servers/pydantic-lax/server.py is a
 * stand-in for the `mcp` package, which is not installed here). Every call the tool received must be
 * one the policy allows for the values the tool received, however the client spelt them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { decide } from '../../src/engine/decide.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { ROOT } from '../helpers/cli.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';
import { requireFor } from '../helpers/requirements.js';
import { pydantic } from '../engine/lax-property.js';

const SERVER = resolve(ROOT, 'fixtures/servers/pydantic-lax/server.py');
const dir = mkdtempSync(join(tmpdir(), 'policylayer-lax-'));
afterEach(stopAllProxies);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: {
    transfer_funds: { deny_if: [{ conditions: [{ path: 'args.amount', op: 'gt', value: 100 }] }] },
    delete_scene: { require: [{ conditions: [{ path: 'args.force', op: 'neq', value: true }] }] },
    configure: { deny_if: [{ conditions: [{ path: 'args.config.mode', op: 'eq', value: 'unsafe' }] }, { conditions: [{ path: 'args.config.amount', op: 'gt', value: 100 }] }] },
    remove_files: { deny_if: [{ conditions: [{ path: 'args.files', op: 'contains', value: '/etc/passwd' }] }] },
  },
};

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['transfer_funds', { amount: 5 }],
  ['transfer_funds', { amount: '1000' }],
  ['transfer_funds', { amount: '1e3' }],
  ['transfer_funds', { amount: '1_000' }],
  ['transfer_funds', { amount: '\u00a01000' }],
  ['transfer_funds', { amount: 'inf' }],
  ['transfer_funds', { amount: '١٠٠٠' }],
  ['transfer_funds', { amount: true }],
  ['transfer_funds', { amount: '50' }],
  ['delete_scene', { force: false }],
  ['delete_scene', { force: 'yes' }],
  ['delete_scene', { force: 'on' }],
  ['delete_scene', { force: 1 }],
  ['delete_scene', { force: '1' }],
  ['delete_scene', { force: 'TRUE' }],
  ['delete_scene', { force: 'no' }],
  ['configure', { config: { mode: 'safe' } }],
  ['configure', { config: '{"mode":"unsafe"}' }],
  ['configure', { config: ' {"mode": "unsafe", "amount": 1} ' }],
  ['configure', { config: '{"amount": "1000"}' }],
  ['configure', { config: '{"amount": Infinity}' }],
  ['configure', { config: '{"mode":"safe"}' }],
  ['remove_files', { files: ['a'] }],
  ['remove_files', { files: '["\\/etc\\/passwd"]' }],
  ['remove_files', { files: '["a"]' }],
];

describe.runIf(pydantic.ok)('the proxy in front of a server that reads arguments like FastMCP', () => {
  it('lets through only calls whose values, as the tool received them, the policy allows', async () => {
    const log = join(dir, 'received.jsonl');
    const proxy = startProxy(POLICY, { command: ['python3', SERVER, '--log', log] });
    await proxy.client.initialize();
    for (const [tool, args] of CALLS) await proxy.client.callTool(tool, args);
    await proxy.stop();
    const received = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l.replace(/\bInfinity\b/g, '1e999')) as { tool: string; args: Record<string, unknown> }) : [];
    const policy = compilePolicy(POLICY);
    for (const call of received) {
      const decision = decide(policy, makeCall(call.tool, { args: call.args }), new MemoryCounterStore(), Date.now());
      expect(decision.outcome, `the tool received ${JSON.stringify(call)}`).toBe('allow');
    }
    // The safe calls did run, as the tool read them.
    expect(received).toEqual([
      { tool: 'transfer_funds', args: { amount: 5 } },
      { tool: 'transfer_funds', args: { amount: 1 } }, // true: 1.0 for a float, under the limit
      { tool: 'transfer_funds', args: { amount: 50 } },
      { tool: 'delete_scene', args: { force: false } },
      { tool: 'delete_scene', args: { force: false } },
      { tool: 'configure', args: { config: { mode: 'safe', amount: 0 } } },
      { tool: 'configure', args: { config: { mode: 'safe', amount: 0 } } },
      { tool: 'remove_files', args: { files: ['a'] } },
      { tool: 'remove_files', args: { files: ['a'] } },
    ]);
  });
});

requireFor('python3 with pydantic 2', pydantic);
