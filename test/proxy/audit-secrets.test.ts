/**
 * No argument value reaches the audit log, in any field, whatever happens to the call: random
 * secrets (strings, numbers, nested) go into the arguments of calls that are allowed, denied by
 * every kind of rule, refused, asked for approval, answered with results and errors that echo
 * them; then the log (and the proxy's stderr) is searched for each one.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadCodeAnalysis } from '../../src/engine/code-analysis.js';
import { compilePolicy } from '../../src/engine/compile.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-secrets-'));
afterEach(stopAllProxies);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Answers `ok` with a result and `fail` with a JSON-RPC error, each echoing the arguments it got, as
// servers do (pydantic's "input_value=…").
const ECHO_SERVER = `
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    let message;
    try { message = JSON.parse(line); } catch { continue; }
    if (message.id === undefined) continue;
    const echo = JSON.stringify(message.params ?? null);
    if (message.method === 'tools/call' && message.params.name === 'fail') {
      process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32602, message: 'bad input_value=' + echo, data: message.params } }) + '\\n');
    } else {
      process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: echo }], isError: message.params?.name === 'ok_error' } }) + '\\n');
    }
  }
});`;

const POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  hide: ['hidden_tool'],
  tools: {
    ok: {},
    ok_error: {},
    fail: {},
    guarded: { deny_if: [{ conditions: [{ path: 'args.flag', op: 'eq', value: true }] }] },
    needs: { require: [{ conditions: [{ path: 'args.must', op: 'exists' }] }] },
    spend: { limits: [{ counter: 'spend', window: 'day', max: 1000, scope: 'grant', increment_from: 'args.amount' }] },
    limited: { limits: [{ counter: 'few', window: 'hour', max: 1, scope: 'grant' }] },
    approve: { require_approval: [{ conditions: [] }] },
  },
};
const TOOLS = ['ok', 'ok_error', 'fail', 'guarded', 'needs', 'spend', 'limited', 'approve', 'hidden_tool', 'unlisted'];

const secretString = fc.stringMatching(/^[A-Za-z0-9]{10}$/).map((s) => `S3CRET-${s}`);
// Seven digits and a fraction: never found by chance in a hex hash or a counter.
const secretNumber = fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => n + 0.375);
const secret = fc.oneof(secretString, secretNumber);

/** Arguments holding secrets at the top, nested, in arrays, and as a counted amount. */
const args = fc.record({
  text: secret,
  nested: fc.record({ deep: fc.record({ value: secret }), list: fc.array(secret, { minLength: 1, maxLength: 2 }) }),
  amount: fc.oneof(secret, fc.constant(5)),
  flag: fc.boolean(),
  must: fc.option(secret, { nil: undefined }),
});

const call = fc.record({ tool: fc.constantFrom(...TOOLS), args, mangle: fc.constantFrom('none', 'none', 'duplicate', 'unquoted') });

function secretsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('S3CRET-') ? [value] : [];
  if (typeof value === 'number') return value > 999_999 ? [String(value), String(Math.trunc(value))] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(secretsIn);
}

describe('the audit log holds no argument values', () => {
  it('in any field, for calls of every outcome', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (calls) => {
        const audit = join(dir, `audit-${++run}.jsonl`);
        const proxy = startProxy(POLICY, { command: [process.execPath, '-e', ECHO_SERVER], audit: { path: audit, display: 'audit.jsonl' }, approvalTimeoutMs: 500 });
        await proxy.client.initialize();
        for (const [i, { tool, args: values, mangle }] of calls.entries()) {
          const body = JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: tool, arguments: values } });
          // Some are refused before any decision: a member twice, the second one holding a secret; a
          // secret without its quotes (V8's JSON.parse error quotes the text around it).
          const line =
            mangle === 'duplicate'
              ? body.replace('"arguments":{', `"arguments":{"text":${JSON.stringify(values.text)},`)
              : mangle === 'unquoted'
                ? body.replace(`"text":${JSON.stringify(values.text)}`, `"text": ${String(values.text)}Z`)
                : body;
          proxy.client.send(line);
          await proxy.client.response(mangle === 'unquoted' ? null : i + 1);
        }
        await proxy.stop();
        const logged = `${readFileSync(audit, 'utf8')}\n${proxy.log()}`;
        // Whole secrets, and a string secret's prefix alone (an excerpt may cut a value short).
        const leaked = [...calls.flatMap((c) => secretsIn(c.args)), 'S3CRET-'].filter((s) => logged.includes(s));
        expect(leaked).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

/**
 * A Python guard's denial names what in the code decided (`imports X`, `uses X.y`), and the code is
 * an argument value: what it names can be anything the caller wrote. The client's message keeps the
 * names (its code, for the agent to fix); the audit log and stderr say it in the policy's words.
 * Secrets go in as identifiers and strings wherever a finding picks its name from: imports, from
 * imports, attributes, constant getattr names, dunder names, source encoding declarations.
 */
describe('the audit log holds no names from code a Python guard read', () => {
  const GUARD = { allow_modules: ['numpy', 'os'], allow_calls: ['numpy.**', 'os.path.**'], deny_calls: ['os.system'] };
  const CODE_POLICY: PolicyDocument = {
    version: '1',
    default: 'deny',
    tools: {
      run_code: { deny_if: [{ conditions: [{ path: 'args.code', op: 'python', value: GUARD }] }] },
      ask_code: { require_approval: [{ conditions: [{ path: 'args.code', op: 'python', value: GUARD }] }] },
    },
  };
  const identifier = fc.stringMatching(/^[A-Za-z0-9]{8}$/).map((s) => `S3CRETID${s}`);
  /**
   * Code that the guard denies, with the secret wherever a finding's name comes from; `named`: the
   * client's answer names the secret (in the others the finding names something else first).
   */
  const codeWith = (id: string) =>
    fc.constantFrom(
      { code: `import ${id}`, named: true },
      { code: `import numpy.${id}`, named: false },
      { code: `from ${id} import thing`, named: true },
      { code: `from os import ${id} as alias\nalias()`, named: true },
      { code: `import numpy\nx = getattr(numpy, '${id}')`, named: false },
      { code: `import os\nos.${id}()`, named: true },
      { code: `import os as ${id}\n${id}.system('x')`, named: false },
      { code: `__${id}__()`, named: true },
      { code: `x.__${id}__`, named: true },
      { code: `import numpy\nnumpy.__${id}__`, named: true },
      { code: `# -*- coding: ${id} -*-\nx = 1`, named: true },
      { code: `# vim: set fileencoding=${id}-16 :\nimport numpy`, named: true },
      { code: `import numpy\nnumpy.${id}.__globals__`, named: false },
    );
  const calls = fc.array(
    fc.record({ tool: fc.constantFrom('run_code', 'ask_code'), code: identifier.chain((id) => codeWith(id).map((code) => ({ id, ...code }))) }),
    { minLength: 1, maxLength: 8 },
  );

  it('in the audit log and on stderr, for denials and refused approvals', async () => {
    const compiled = compilePolicy(CODE_POLICY);
    await loadCodeAnalysis(compiled);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(calls, async (list) => {
        const audit = join(dir, `code-audit-${++run}.jsonl`);
        const proxy = startProxy(CODE_POLICY, { command: [process.execPath, '-e', ECHO_SERVER], audit: { path: audit, display: 'audit.jsonl' }, approvalTimeoutMs: 200 });
        await proxy.client.initialize();
        for (const [i, { tool, code }] of list.entries()) {
          proxy.client.send(JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: tool, arguments: { code: code.code } } }));
          const answer = JSON.stringify(await proxy.client.response(i + 1));
          // The client's answer still says what in its code decided (the guard is not silenced).
          if (code.named) expect(answer).toContain(code.id);
        }
        await proxy.stop();
        const logged = `${readFileSync(audit, 'utf8')}\n${proxy.log()}`;
        // Every call was denied or not approved, by the guard: the log has their lines, without the names.
        expect(logged.match(/"event":"call"/g)?.length).toBe(list.length);
        expect(logged.includes('S3CRETID')).toBe(false);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
