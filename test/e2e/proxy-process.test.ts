/**
 * The proxy as a process (BUILT binary): signals, a client that stops reading, SIGKILL mid-call,
 * usage errors, --watch, --record.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { BIN, runBin } from '../helpers/cli.js';
import { killAll, McpProcess } from '../helpers/mcp-stream.js';
import { SIM } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killAll);

const allowAll = join(dir, 'allow.json');
writeFileSync(allowAll, JSON.stringify({ version: '1', default: 'allow' }));

function proxy(args: string[], env: Record<string, string> = {}): McpProcess {
  return McpProcess.spawn(process.execPath, [BIN, 'proxy', ...args], { env, cwd: dir });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('signals', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`passes ${signal} to the server and exits with the server's code`, async () => {
      const proc = proxy(['--policy', allowAll, '--', process.execPath, SIM], { MCP_SLICER_SIM_LOG_SIGNALS: '1' });
      await proc.initialize();
      proc.child.kill(signal);
      expect(await proc.exit()).toEqual({ code, signal: null });
      expect(proc.stderr).toContain(`policylayer proxy: received ${signal}; passing it to the server`);
      expect(proc.stderr).toContain(`mcp-slicer-sim: received ${signal}`);
    });
  }
});

describe('the client goes away', () => {
  it('stops reading (EPIPE on stdout): the proxy shuts the server down and exits cleanly, no stack trace', async () => {
    const proc = proxy(['--policy', allowAll, '--', process.execPath, SIM]);
    await proc.initialize();
    proc.child.stdout.destroy();
    proc.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_nodes', arguments: {} } });
    proc.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    expect(await proc.exit()).toEqual({ code: 0, signal: null });
    expect(proc.stderr).toContain('the client stopped reading (EPIPE); shutting down');
    expect(proc.stderr).not.toMatch(/\n\s+at /);
  });

  it('SIGKILLs the proxy mid-call: the call is already in the audit log and the chain verifies', async () => {
    const audit = join(dir, 'killed.jsonl');
    const proc = proxy(['--policy', allowAll, '--audit', audit, '--', process.execPath, SIM], { MCP_SLICER_SIM_FAULTS: '1' });
    await proc.initialize();
    proc.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'execute_python_code', arguments: { code: 'while True: pass' } } });
    await until(() => readFileSync(audit, 'utf8').includes('"event":"call"'));
    proc.child.kill('SIGKILL');
    await proc.exit();
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.event)).toEqual(['start', 'call']);
    expect(lines[1]).toMatchObject({ tool: 'execute_python_code', outcome: 'allow', request_id: 2, arg_keys: ['code'] });
    // Killed: no seal. The chain verifies as a log that may still be open, and verify says which run.
    expect((await verifyAuditLog(audit)).problem).toMatchObject({ kind: 'unsealed', line: 2 });
    expect(await verifyAuditLog(audit, { open: true })).toMatchObject({ notes: [{ line: 2, message: expect.stringMatching(/^the last run \(lines 1–2\) has no seal yet/) }] });
    // The next proxy on the same log takes over the dead one's lock, says the run before has no seal, and continues the chain.
    const next = proxy(['--policy', allowAll, '--audit', audit, '--', process.execPath, SIM]);
    await next.initialize();
    next.end();
    await next.exit();
    expect(next.stderr).toContain('killed.jsonl: the previous run has no seal (its proxy was killed or crashed');
    expect((await verifyAuditLog(audit)).problem).toMatchObject({ kind: 'unsealed', line: 2, message: expect.stringMatching(/^the run of lines 1–2 ends without a seal/) });
    const open = await verifyAuditLog(audit, { open: true });
    expect(open.problem).toBeUndefined();
    expect(open.runs.map((run) => run.sealed)).toEqual([false, true]);
  });
});

describe('usage errors (exit 2, one clear message)', () => {
  it('no server command', async () => {
    const result = await runBin(['proxy', '--policy', allowAll], { cwd: dir });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('policylayer: proxy: no server command given; usage: policylayer proxy [options] -- <command> [args…] (or --upstream <url> for a remote server)\n');
  });

  it('no policy given and none found: suggests `policylayer init`', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'policylayer-nopolicy-'));
    try {
      const result = await runBin(['proxy', '--', process.execPath, SIM], { cwd: empty });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('run `policylayer init`');
      expect(result.stdout).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('an invalid policy: its findings, and the server is never started', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version":"1","default":"deny","tools":{"x":{"limit":[]}}}');
    const result = await runBin(['proxy', '--policy', bad, '--', process.execPath, SIM], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json: invalid policy (1 error)');
    expect(result.stderr).toMatch(/bad\.json:1:\d+: unknown key "limit"/);
    expect(result.stdout).toBe('');
  });

  it('a server command that does not exist', async () => {
    const result = await runBin(['proxy', '--policy', allowAll, '--', 'no-such-mcp-server-xyz'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot start the server: "no-such-mcp-server-xyz" was not found (is it installed and on PATH?)');
  });

  it('server arguments that look like options, without --: says where they go', async () => {
    const result = await runBin(['proxy', '--policy', allowAll, 'npx', '-y', 'some-server'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("policylayer: unknown option '-y'; put the server command after --: policylayer proxy [options] -- <command> [args…]\n");
  });

  it('a bad option value', async () => {
    const result = await runBin(['proxy', '--policy', allowAll, '--approval-timeout', 'soon', '--', process.execPath, SIM], { cwd: dir });
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toBe('policylayer: --approval-timeout: expected seconds between 0 and 86400, got "soon"\n');
  });
});

describe('--lock', () => {
  it('pins with `policylayer pin`, then hides and denies a tool whose description changed', async () => {
    const lock = join(dir, 'slicer.lock.json');
    const pinned = await runBin(['pin', '--lock', lock, '--', process.execPath, SIM], { cwd: dir });
    expect(pinned.code, pinned.stderr).toBe(0);
    const proc = proxy(['--policy', allowAll, '--lock', lock, '--', process.execPath, SIM], { MCP_SLICER_SIM_DESCRIPTION_SUFFIX: ' New: also uploads the scene.' });
    await proc.initialize();
    const tools = ((await proc.request('tools/list')).result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    expect(tools).toEqual(['list_nodes', 'capture_screenshot']);
    const call = (await proc.callTool('execute_python_code', { code: '__execResult = 1' })).result as Record<string, any>;
    expect(call.content[0].text).toBe('[POLICY DENIED] Tool "execute_python_code" is blocked: its description changed since it was pinned in slicer.lock.json. Review the change, then re-run "policylayer pin" to accept it.');
  });

  it('refuses to start with a lock file that is not one', async () => {
    const bad = join(dir, 'bad.lock.json');
    writeFileSync(bad, '{"lockfileVersion": 9}');
    const result = await runBin(['proxy', '--policy', allowAll, '--lock', bad, '--', process.execPath, SIM], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.lock.json: not a valid lock file: lockfileVersion: this policylayer reads lock files of version 1');
  });
});

describe('--watch and --record', () => {
  it('reloads a changed policy, rejects an invalid one (keeping the old), and counters survive reloads', async () => {
    const policyPath = join(dir, 'watched.json');
    const audit = join(dir, 'watched.jsonl');
    const limited = (extra: object) =>
      JSON.stringify({ version: '1', default: 'deny', tools: { execute_python_code: { limits: [{ counter: 'c', window: 'hour', max: 2, scope: 'grant' }] }, ...extra } });
    writeFileSync(policyPath, limited({}));
    const proc = proxy(['--policy', policyPath, '--watch', '--audit', audit, '--', process.execPath, SIM]);
    await proc.initialize();
    const denied = async (tool: string, args: object = {}) => ((await proc.callTool(tool, args as Record<string, unknown>)).result as { isError?: boolean }).isError === true;

    expect(await denied('list_nodes')).toBe(true);
    expect(await denied('execute_python_code', { code: '__execResult = 1' })).toBe(false);
    writeFileSync(policyPath, limited({ list_nodes: {} }));
    await until(async () => !(await denied('list_nodes')));

    writeFileSync(policyPath, '{"version":"1","default":"deny",');
    await until(() => proc.stderr.includes('kept the previous policy'));
    expect(proc.stderr).toMatch(/watched\.json: invalid policy/);
    expect(await denied('list_nodes')).toBe(false);

    // One of the two calls this hour was used before the reloads: one more fits, then the limit holds.
    expect(await denied('execute_python_code', { code: '__execResult = 2' })).toBe(false);
    expect(await denied('execute_python_code', { code: '__execResult = 3' })).toBe(true);
    proc.end();
    await proc.exit();
    const reloads = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>).filter((line) => line.event === 'reload');
    expect(reloads[0]).toMatchObject({ detail: 'accepted', policy: 'watched.json' });
    expect(reloads.at(-1)!.detail).toMatch(/^rejected: watched\.json: invalid policy/);
  }, 60_000);

  it('never applies a policy file caught mid-write, even when the part written so far parses', async () => {
    const policyPath = join(dir, 'half.yaml');
    const audit = join(dir, 'half.jsonl');
    // The whole new version hides capture_screenshot and denies code that imports subprocess; cut
    // after its first lines it is a valid, permissive policy.
    const head = 'version: "1"\ndefault: allow\n';
    const tail = 'hide: [capture_screenshot]\ntools:\n  execute_python_code:\n    deny_if:\n      - conditions: [{ path: args.code, op: contains, value: subprocess }]\n';
    writeFileSync(policyPath, `${head}hide: [capture_screenshot, list_nodes]\n`);
    const proc = proxy(['--policy', policyPath, '--watch', '--audit', audit, '--', process.execPath, SIM]);
    await proc.initialize();
    const denied = async (tool: string, args: object = {}) => ((await proc.callTool(tool, args as Record<string, unknown>)).result as { isError?: boolean }).isError === true;
    expect(await denied('capture_screenshot')).toBe(true);

    // A writer that stops for 130 ms between its two writes (an editor flushing in pieces): longer
    // than the watcher's 100 ms debounce, so the first part alone is what a reload would read.
    writeFileSync(policyPath, head);
    await new Promise((resolve) => setTimeout(resolve, 130));
    writeFileSync(policyPath, head + tail);
    await until(async () => !(await denied('list_nodes')));
    expect(await denied('capture_screenshot')).toBe(true);
    expect(await denied('execute_python_code', { code: 'import subprocess' })).toBe(true);
    proc.end();
    await proc.exit();
    const reloads = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>).filter((line) => line.event === 'reload');
    // Only the finished file was ever applied.
    const accepted = reloads.filter((line) => line.detail === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.policy_sha256).toBe(createHash('sha256').update(head + tail).digest('hex'));
  }, 60_000);

  it('records every decided call with its arguments in the format `policylayer replay` reads', async () => {
    const recording = join(dir, 'session.jsonl');
    const seedLike = join(dir, 'seed.json');
    writeFileSync(seedLike, JSON.stringify({ version: '1', default: 'deny', tools: { execute_python_code: {} } }));
    const proc = proxy(['--policy', seedLike, '--grant', 'alice', '--record', recording, '--', process.execPath, SIM]);
    await proc.initialize();
    await proc.callTool('execute_python_code', { code: '__execResult = 1' });
    await proc.callTool('list_nodes', { filter_type: 'ids' });
    proc.end();
    await proc.exit();
    const lines = readFileSync(recording, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { ts: expect.any(String), tool: 'execute_python_code', args: { code: '__execResult = 1' }, grant: 'alice', session: expect.any(String), id: 2 },
      { ts: expect.any(String), tool: 'list_nodes', args: { filter_type: 'ids' }, grant: 'alice', session: lines[0]!.session, id: 3 },
    ]);
    const replay = await runBin(['replay', '--policy', seedLike, recording], { cwd: dir });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('execute_python_code');
    expect(replay.stdout).toContain('list_nodes');
  }, 60_000);
});
