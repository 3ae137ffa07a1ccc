import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer } from '../../src/engine/enforcer.js';
import { openCounterStore } from '../../src/state/open.js';
import { runCli } from '../helpers/cli.js';
import { freePort, haveRedis, requireRedisInCi, testRedisUrl, uniquePrefix, withPrefix } from '../helpers/redis.js';
import { requireFor, SQLITE_MISSING, sqlite } from '../helpers/requirements.js';
import { awayFromHourBoundary, globalLimitPolicy } from '../helpers/state.js';

const dir = mkdtempSync(join(tmpdir(), 'pl-explain-state-'));
const policyFile = join(dir, 'policy.json');
writeFileSync(policyFile, JSON.stringify(globalLimitPolicy(10)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Uses `n` calls of the budget the way a proxy would. */
async function useBudget(state: string, n: number): Promise<void> {
  const store = await openCounterStore(state);
  const enforcer = new Enforcer(compilePolicy(globalLimitPolicy(10)), store);
  for (let i = 0; i < n; i++) expect((await enforcer.decide(makeCall('t'))).outcome).toBe('allow');
  await store.close();
}

const explain = (...extra: string[]) => runCli(['explain', '--tool', 't', '--policy', policyFile, '--format', 'json', ...extra], { cwd: dir });

describe('explain --state', () => {
  requireFor('better-sqlite3', sqlite);
  it.runIf(sqlite.ok)('decides on the counters the proxies counted, and never changes them', async () => {
    await awayFromHourBoundary();
    const state = `file:${join(dir, 'state.sqlite')}`;
    await useBudget(state, 9);
    const tenth = await explain('--state', state);
    expect(tenth.code).toBe(0);
    const eleventh = await explain('--state', state, '--repeat', '2');
    expect(eleventh.code).toBe(1);
    expect(JSON.parse(eleventh.stdout)).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0' });
    // Explain only read: the tenth call is still there for a proxy.
    await useBudget(state, 1);
    expect((await explain('--state', state)).code).toBe(1);
  });

  it('reports a missing state file instead of creating it (or its folder): explain and replay only read', async () => {
    const { existsSync } = await import('node:fs');
    const missing = join(dir, 'not-yet', 'state.sqlite');
    const message = `policylayer: file:${missing}: no such state file; it is created by the first proxy started with --state file:${missing}, and only read here\n`;
    expect(await explain('--state', `file:${missing}`)).toMatchObject({ code: 2, stdout: '', stderr: message });
    const recording = join(dir, 'r.jsonl');
    writeFileSync(recording, `${JSON.stringify({ ts: '2026-11-24T10:00:00Z', tool: 't', args: {} })}\n`);
    expect(await runCli(['replay', '--policy', policyFile, '--state', `file:${missing}`, recording], { cwd: dir })).toMatchObject({ code: 2, stderr: message });
    expect(existsSync(join(dir, 'not-yet'))).toBe(false);
    const other = join(dir, 'other.sqlite');
    writeFileSync(other, '');
    const notState = sqlite.ok ? `not a policylayer state file (a proxy started with --state file:${other} writes one)` : SQLITE_MISSING;
    expect((await explain('--state', `file:${other}`)).stderr).toBe(`policylayer: file:${other}: ${notState}\n`);
  });

  it('applies the fail mode when the store cannot be reached, and says so', async () => {
    const down = `redis://127.0.0.1:${await freePort()}/0`;
    const closed = await explain('--state', down, '--state-timeout', '300');
    expect(closed.code).toBe(1);
    expect(JSON.parse(closed.stdout)).toMatchObject({
      outcome: 'deny',
      rule: '(state unavailable)',
      state_unavailable: { fail_mode: 'closed', error: `${down} unreachable: connection refused` },
    });
    const open = await explain('--state', down, '--state-fail-mode', 'open', '--format', 'stylish');
    expect(open.code).toBe(0);
    expect(open.stdout).toContain('counter store unavailable');
  });

  it('refuses a bad spec with one line naming the flag', async () => {
    const result = await explain('--state', 'redis:/x');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('policylayer: --state: unknown state store "redis:/x" (a Redis URL starts with redis://, or rediss:// for TLS); expected memory, file:PATH or redis://HOST[:PORT][/DB][?prefix=P]\n');
  });
});

requireRedisInCi(false);
describe.runIf(haveRedis)('explain --state redis://', () => {
  let url = '';
  let stop = async (): Promise<void> => {};
  beforeAll(async () => ({ url, stop } = await testRedisUrl()));
  afterAll(() => stop());

  it('sees the budget other proxies used in Redis', async () => {
    await awayFromHourBoundary();
    const state = withPrefix(url, uniquePrefix());
    await useBudget(state, 10);
    const result = await explain('--state', state);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'deny', rule: '/tools/t/limits/0', trace: expect.arrayContaining([expect.objectContaining({ kind: 'limit', result: 'matched' })]) });
  });
});
