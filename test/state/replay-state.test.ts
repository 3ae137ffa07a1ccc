import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCall } from '../../src/engine/call.js';
import { compilePolicy } from '../../src/engine/compile.js';
import { Enforcer } from '../../src/engine/enforcer.js';
import { openCounterStore } from '../../src/state/open.js';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/redis.js';
import { requireFor, sqlite } from '../helpers/requirements.js';
import { awayFromHourBoundary, globalLimitPolicy } from '../helpers/state.js';

const dir = mkdtempSync(join(tmpdir(), 'pl-replay-state-'));
const policyFile = join(dir, 'policy.json');
writeFileSync(policyFile, JSON.stringify(globalLimitPolicy(10)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` calls of tool t, a second apart, starting now (so they fall in the live window). */
function recording(n: number): string {
  const path = join(dir, `calls-${n}-${Date.now()}.jsonl`);
  const start = Date.now();
  writeFileSync(path, Array.from({ length: n }, (_, i) => JSON.stringify({ ts: start + i * 1000, tool: 't' })).join('\n'));
  return path;
}

const replay = (file: string, ...extra: string[]) => runCli(['replay', '--policy', policyFile, '--format', 'json', ...extra, file], { cwd: dir });
const outcomes = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type?: string; outcome?: string })
    .filter((line) => line.outcome !== undefined && line.type !== 'summary')
    .map((line) => line.outcome!);

describe('replay --state', () => {
  requireFor('better-sqlite3', sqlite);
  it.runIf(sqlite.ok)('starts from the counters the proxies counted and never changes them', async () => {
    await awayFromHourBoundary(30_000);
    const state = `file:${join(dir, 'state.sqlite')}`;
    const store = await openCounterStore(state);
    const enforcer = new Enforcer(compilePolicy(globalLimitPolicy(10)), store);
    for (let i = 0; i < 7; i++) await enforcer.decide(makeCall('t'));
    const file = recording(5);
    for (let run = 0; run < 2; run++) {
      const result = await replay(file, '--state', state);
      expect(result.code).toBe(0);
      expect(outcomes(result.stdout)).toEqual(['allow', 'allow', 'allow', 'deny', 'deny']);
    }
    // Without --state the same recording starts from zero.
    expect(outcomes((await replay(file)).stdout)).toEqual(['allow', 'allow', 'allow', 'allow', 'allow']);
    expect((await enforcer.decide(makeCall('t'))).outcome).toBe('allow');
    await store.close();
  });

  it('follows the fail mode when the store cannot be reached', async () => {
    const down = `redis://127.0.0.1:${await freePort()}/0`;
    const file = recording(2);
    const closed = await replay(file, '--state', down, '--state-timeout', '300');
    expect(closed.code).toBe(0);
    expect(outcomes(closed.stdout)).toEqual(['deny', 'deny']);
    expect(closed.stdout).toContain('(state unavailable)');
    const open = await replay(file, '--state', down, '--state-fail-mode', 'open');
    expect(outcomes(open.stdout)).toEqual(['allow', 'allow']);
  });
});
