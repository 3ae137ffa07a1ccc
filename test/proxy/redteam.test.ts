/**
 * A second red team of the proxy (after issue 15): attacks written as raw client bytes against
 * real readers, each kept because it found a hole that is now closed, or because it pins a
 * guarantee a later change could break.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { ROOT } from '../helpers/cli.js';
import { startProxy, stopAllProxies } from '../helpers/proxy.js';

const READERS = resolve(ROOT, 'fixtures/servers/readers');
const dir = mkdtempSync(join(tmpdir(), 'policylayer-redteam-'));
afterEach(stopAllProxies);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let logs = 0;
function reader(kind: 'python' | 'ts'): { command: string[]; executed: () => Array<{ tool: string; id: unknown; args: Record<string, unknown> }> } {
  const log = join(dir, `executed-${++logs}.jsonl`);
  const command = kind === 'python' ? ['python3', join(READERS, 'python_sdk_reader.py'), '--log', log] : [process.execPath, join(READERS, 'ts-sdk-reader.mjs'), '--log', log];
  return {
    command,
    executed: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as { tool: string; id: unknown; args: Record<string, unknown> })
        : [],
  };
}

const POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  hide: ['delete_everything'],
  tools: {
    list_nodes: {},
    slow_job: { limits: [{ counter: 'slow', window: 'minute', max: 3, scope: 'grant' }] },
    execute_python_code: { deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'subprocess' }] }] },
  },
};

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a line that is not JSON leaks none of its text into the audit log or stderr', () => {
  // V8's JSON.parse quotes the text around an unexpected token: `Unexpected token 'S', ..."e": SECRET-VAL"... is not valid JSON`.
  const LINES = [
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"x", "token": S3CRET-TOKEN-1}}}',
    '[{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"execute_python_code","arguments":{"code": S3CRET-TOKEN-2}}}]',
    '[{"jsonrpc":"2.0","id":3,"method":"ping"}, {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_nodes","arguments":{"k": tS3CRET-TOKEN-3}}}]',
  ];

  it('whole lines and batch elements alike', async () => {
    const audit = join(dir, 'audit-parse.jsonl');
    const server = reader('ts');
    const proxy = startProxy(POLICY, { command: server.command, audit: { path: audit, display: 'audit.jsonl' } });
    await proxy.client.initialize();
    for (const line of LINES) proxy.client.send(line);
    expect((await proxy.client.callTool('list_nodes')).result).toBeDefined();
    await proxy.stop();
    const logged = `${readFileSync(audit, 'utf8')}\n${proxy.log()}`;
    expect(logged).toMatch(/not valid JSON/);
    expect(logged).not.toMatch(/S3CRET/);
  });
});

describe('jsonParseProblem', () => {
  it('keeps V8 messages that name only syntax and a position, and drops any that quote the text', async () => {
    const { jsonParseProblem } = await import('../../src/util/json-parse-problem.js');
    const problem = (text: string): string => {
      try {
        JSON.parse(text);
      } catch (error) {
        return jsonParseProblem(error);
      }
      throw new Error('parsed');
    };
    expect(problem('{"a":1,}')).toBe('not valid JSON: expected double-quoted property name in JSON at position 7');
    expect(problem('{"a":1')).toBe("not valid JSON: expected ',' or '}' after property value in JSON at position 6");
    expect(problem('{"a":1}}')).toBe('not valid JSON: unexpected non-whitespace character after JSON at position 7');
    for (const text of ['{"a":tS3CRET}', '{"a": S3CRET}', '[S3CRET]', `{"a":"${'x'.repeat(50)}", "b": S3CRET}`]) expect(problem(text)).toBe('not valid JSON: unexpected token');
  });
});
