/**
 * End to end: the built `policylayer proxy` with --state, driven by the MCP SDK's real client, in
 * front of the MCP-Slicer simulator. Several proxies share one Redis; a proxy restarted on the same
 * file keeps its budget; a proxy whose Redis is down starts anyway and follows its fail mode.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runBin } from '../helpers/cli.js';
import { haveRedis, haveRedisServerBinary, requireRedisInCi, startRedisServer, testRedisUrl, uniquePrefix, withPrefix, type RedisServer } from '../helpers/redis.js';
import { requireFor, SQLITE_MISSING, sqlite } from '../helpers/requirements.js';
import { awayFromHourBoundary } from '../helpers/state.js';

const SIM = join(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pl-proxy-state-'));
const policyFile = join(dir, 'policy.json');
writeFileSync(
  policyFile,
  JSON.stringify({
    version: '1',
    default: 'deny',
    tools: { execute_python_code: { limits: [{ counter: 'python', window: 'hour', max: 10, scope: 'global' }] }, list_nodes: {} },
  }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Proxy {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}
const running: Proxy[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.close()));
});

async function startProxy(...options: string[]): Promise<Proxy> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--policy', policyFile, ...options, '--', process.execPath, SIM],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'state-e2e', version: '1.0.0' });
  await client.connect(transport);
  const proxy = { client, stderr: () => stderr, close: () => client.close() };
  running.push(proxy);
  return proxy;
}

/** `n` execute_python_code calls, all in flight at once; returns each result's text. */
async function python(proxy: Proxy, n: number): Promise<Array<{ denied: boolean; text: string }>> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const result = (await proxy.client.callTool({ name: 'execute_python_code', arguments: { code: '__execResult = 1 + 1' } })) as {
        isError?: boolean;
        content: Array<{ type: string; text?: string }>;
      };
      const text = result.content.map((c) => c.text ?? '').join('');
      return { denied: result.isError === true && text.startsWith('[POLICY DENIED]'), text };
    }),
  );
}
const allowed = (results: Array<{ denied: boolean }>): number => results.filter((r) => !r.denied).length;

describe('policylayer proxy --state usage', () => {
  it('refuses a bad spec or fail mode with one line and exit 2, before starting the server', async () => {
    for (const [flags, message] of [
      [['--state', 'sqlite:x.db'], 'policylayer: --state: unknown state store "sqlite:x.db" (did you mean file:x.db?); expected memory, file:PATH or redis://HOST[:PORT][/DB][?prefix=P]\n'],
      [['--state-fail-mode', 'maybe'], 'policylayer: --state-fail-mode: expected closed or open, got "maybe"\n'],
      [['--state', 'file:/dev/null/state.sqlite'], sqlite.ok ? 'policylayer: file:/dev/null/state.sqlite: cannot open the state file: unable to open database file\n' : `policylayer: file:/dev/null/state.sqlite: ${SQLITE_MISSING}\n`],
    ] as const) {
      const result = await runBin(['proxy', '--policy', policyFile, ...flags, '--', process.execPath, SIM], { cwd: dir });
      expect({ code: result.code, stderr: result.stderr.replace(/^policylayer proxy: .*→.*\n/, '') }).toEqual({ code: 2, stderr: message });
    }
  });
});

requireFor('better-sqlite3', sqlite);
describe.runIf(sqlite.ok)('policylayer proxy --state file:', () => {
  it('keeps the budget used before a restart mid-window', async () => {
    await awayFromHourBoundary();
    const state = `file:${join(dir, 'restart.sqlite')}`;
    const first = await startProxy('--state', state);
    expect(allowed(await python(first, 6))).toBe(6);
    await first.close();
    const second = await startProxy('--state', state);
    const results = await python(second, 6);
    expect(allowed(results)).toBe(4);
    expect(results.find((r) => r.denied)?.text).toMatch(/^\[POLICY DENIED\] Rate limit of 10 calls per hour reached for "python"/);
  });

  it('lets exactly 10 through from three proxies sharing one file', async () => {
    await awayFromHourBoundary();
    const state = `file:${join(dir, 'shared.sqlite')}`;
    const proxies = await Promise.all([startProxy('--state', state), startProxy('--state', state), startProxy('--state', state)]);
    const results = (await Promise.all(proxies.map((p) => python(p, 8)))).flat();
    expect(allowed(results)).toBe(10);
  });
});

requireRedisInCi(false);
describe.runIf(haveRedis)('policylayer proxy --state redis://', () => {
  let url = '';
  let stop = async (): Promise<void> => {};
  afterAll(() => stop());

  it('lets exactly 10 through from three proxies sharing one Redis, however calls interleave', async () => {
    ({ url, stop } = await testRedisUrl());
    await awayFromHourBoundary();
    const state = withPrefix(url, uniquePrefix());
    const proxies = await Promise.all([startProxy('--state', state), startProxy('--state', state), startProxy('--state', state)]);
    const results = (await Promise.all(proxies.map((p) => python(p, 12)))).flat();
    expect(allowed(results)).toBe(10);
    expect(results.filter((r) => r.denied)).toHaveLength(26);
  });
});

requireRedisInCi(true);
describe.runIf(haveRedisServerBinary)('policylayer proxy with its Redis down', () => {
  let redis: RedisServer | undefined;
  afterAll(() => redis?.stop());

  it('starts anyway, follows the fail mode with audited decisions, and enforces again once Redis is back', async () => {
    redis = await startRedisServer();
    await redis.stop();
    const audit = join(dir, 'audit.jsonl');
    const closed = await startProxy('--state', redis.url, '--state-timeout', '500');
    const open = await startProxy('--state', redis.url, '--state-timeout', '500', '--state-fail-mode', 'open', '--audit', audit);
    // Calls that need no counter are not affected.
    expect((await closed.client.callTool({ name: 'list_nodes', arguments: {} })).isError).toBeFalsy();

    const [denied] = await python(closed, 1);
    expect(denied).toEqual({
      denied: true,
      text: `[POLICY DENIED] Call denied: the counter store is unavailable (${redis.url} unreachable: connection refused) and the state fail mode is closed`,
    });
    expect(allowed(await python(open, 3))).toBe(3);
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const calls = lines.filter((line) => line.event === 'call');
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call).toMatchObject({ outcome: 'allow', state_unavailable: { fail_mode: 'open', error: `${redis.url} unreachable: connection refused` } });
    }

    await redis.start();
    await awayFromHourBoundary();
    // Both proxies reconnect within about a second, then count again: one call each to see it (the
    // open proxy's audit line loses state_unavailable), then 8 of the 12 that follow.
    const deadline = Date.now() + 5000;
    while ((await python(closed, 1))[0]!.denied) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    const lastAuditCall = (): Record<string, unknown> =>
      readFileSync(audit, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.event === 'call')
        .at(-1)!;
    for (;;) {
      await python(open, 1);
      if (lastAuditCall().state_unavailable === undefined) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    const rest = [...(await python(closed, 6)), ...(await python(open, 6))];
    expect(allowed(rest)).toBe(8);
    expect(lastAuditCall()).toMatchObject({ outcome: 'deny', rule: '/tools/execute_python_code/limits/0' });
    // The operator's log says when the store went away and when it came back, once each.
    expect(closed.stderr()).toContain(`(counters: ${redis.url})`);
    expect(closed.stderr().match(/counter store unavailable/g)).toHaveLength(1);
    expect(closed.stderr()).toContain(
      `policylayer proxy: counter store unavailable (${redis.url} unreachable: connection refused); calls that need counters are denied (--state-fail-mode closed)`,
    );
    expect(closed.stderr()).toContain(`policylayer proxy: counter store ${redis.url} answers again; limits are enforced`);
    expect(open.stderr()).toContain('calls that need counters are allowed uncounted (--state-fail-mode open)');
  }, 30_000);
});
