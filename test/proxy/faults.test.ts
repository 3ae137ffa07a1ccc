import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/verify.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { launcherSource, pidFrom, stopsRunning } from '../helpers/processes.js';
import { SIM, startProxy, stopAllProxies } from '../helpers/proxy.js';

afterEach(stopAllProxies);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policylayer-faults-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const allowAll: PolicyDocument = {
  version: '1',
  default: 'allow',
  tools: { execute_python_code: { limits: [{ counter: 'python', window: 'hour', max: 100, scope: 'grant' }] } },
};
const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });
const MiB = 1024 * 1024;

describe('the server fails', () => {
  it('crashes mid-call: every pending request gets an error, the audit log is complete, the proxy exits with its code', async () => {
    const audit = join(dir, 'audit.jsonl');
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_FAULTS: '1' }), audit: { path: audit, display: 'audit.jsonl' } });
    const { client } = proxy;
    await client.initialize();
    const slow = client.callTool('execute_python_code', { code: 'while True: pass' });
    const crash = client.callTool('execute_python_code', { code: 'import os; os._exit(3)' });
    const [slowAnswer, crashAnswer] = await Promise.all([slow, crash]);
    for (const answer of [slowAnswer, crashAnswer]) {
      expect(answer.error).toEqual({ code: -32603, message: 'the server exited (code 3) before answering this request' });
    }
    expect(await proxy.done).toBe(3);
    expect(proxy.log()).toContain('the server exited (code 3)');

    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => `${line.event}${line.tool ? ` ${line.tool}` : ''}`)).toEqual([
      'start',
      'call execute_python_code',
      'call execute_python_code',
      'result execute_python_code',
      'result execute_python_code',
      'stop',
      'seal',
    ]);
    // The server may have run them before it died: their budgets stay spent.
    for (const result of lines.filter((line) => line.event === 'result')) expect(result).toMatchObject({ error: 'server exited', ending: 'server-gone', rolled_back: false });
    expect(lines.at(-2)).toMatchObject({ event: 'stop', exit_code: 3, signal: null });
    expect((await verifyAuditLog(audit)).problem).toBeUndefined();
  });

  it('writes text to stdout: the proxy drops it (only MCP messages reach the client) and logs it', async () => {
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_FAULTS: '1' }) });
    await proxy.client.initialize();
    const answer = await proxy.client.callTool('execute_python_code', { code: 'print("debug output")\n__execResult = 1' });
    expect(JSON.stringify(answer.result)).toContain('success');
    for (const line of proxy.client.lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(proxy.log()).toContain('dropped a line from the server that is not a JSON-RPC message: debug output');
  });
});

describe('shutdown when the client closes stdin', () => {
  it('closes the server\'s stdin and the server exits by itself', async () => {
    const proxy = startProxy(allowAll);
    await proxy.client.initialize();
    const started = Date.now();
    expect(await proxy.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(400);
    expect(proxy.log()).not.toContain('SIGTERM');
  });

  it('sends SIGTERM to a server that keeps running after the grace period', async () => {
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_IGNORE_EOF: '1', MCP_SLICER_SIM_LOG_SIGNALS: '1' }), shutdownGraceMs: 300 });
    await proxy.client.initialize();
    const started = Date.now();
    expect(await proxy.stop()).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(proxy.log()).toContain('did not exit within 300 ms of its input closing; sent SIGTERM');
  });

  it('sends SIGKILL to a server that also ignores SIGTERM', async () => {
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_IGNORE_EOF: '1', MCP_SLICER_SIM_IGNORE_SIGTERM: '1' }), shutdownGraceMs: 300 });
    await proxy.client.initialize();
    const started = Date.now();
    expect(await proxy.stop()).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(proxy.log()).toContain('sent SIGTERM, then SIGKILL');
  });

  // A launcher (npx, uvx, sh -c) between the proxy and the real server: the proxy must stop both.
  it.skipIf(process.platform === 'win32')('signals the whole process group: a server behind a launcher that ignores SIGTERM is stopped too', async () => {
    const pidFile = join(dir, 'server.pid');
    const proxy = startProxy(allowAll, {
      command: [process.execPath, '-e', launcherSource(false), SIM, pidFile],
      env: env({ MCP_SLICER_SIM_IGNORE_EOF: '1' }),
      shutdownGraceMs: 300,
    });
    await proxy.client.initialize();
    const pid = await pidFrom(pidFile);
    expect(await proxy.stop()).toBe(0);
    expect(proxy.log()).toContain('sent SIGTERM');
    expect(await stopsRunning(pid)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('stops what a launcher left running when it exited: SIGTERM, then SIGKILL', async () => {
    const pidFile = join(dir, 'server.pid');
    const proxy = startProxy(allowAll, {
      command: [process.execPath, '-e', launcherSource(true), SIM, pidFile],
      env: env({ MCP_SLICER_SIM_IGNORE_EOF: '1', MCP_SLICER_SIM_IGNORE_SIGTERM: '1' }),
      shutdownGraceMs: 300,
    });
    const pid = await pidFrom(pidFile);
    expect(await proxy.done).toBe(0);
    expect(proxy.log()).toContain('processes the server started were still running after it exited; sent them SIGTERM, then SIGKILL');
    expect(await stopsRunning(pid)).toBe(true);
  });

  it('still delivers answers to requests sent just before stdin closed', async () => {
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_DELAY_MS: '100' }) });
    await proxy.client.initialize();
    const answer = proxy.client.callTool('list_nodes');
    proxy.client.end();
    expect(JSON.stringify((await answer).result)).toContain('MRHead');
    expect(await proxy.done).toBe(0);
  });
});

describe('message size', () => {
  it('passes a 60 MiB result and answers a 70 MiB one with an error; the connection survives', async () => {
    const proxy = startProxy({ version: '1', default: 'allow' }, { env: env({ MCP_SLICER_SIM_SCREENSHOT_BYTES: String(60 * MiB) }) });
    await proxy.client.initialize();
    const big = await proxy.client.request('tools/call', { name: 'capture_screenshot', arguments: {} }, 60_000);
    const image = ((big.result as Record<string, any>).content as Array<Record<string, string>>)[1]!;
    expect(image.data!.length).toBeGreaterThanOrEqual(60 * MiB);
    await proxy.stop();

    const tooBig = startProxy({ version: '1', default: 'allow' }, { env: env({ MCP_SLICER_SIM_SCREENSHOT_BYTES: String(70 * MiB) }) });
    await tooBig.client.initialize();
    const refused = await tooBig.client.request('tools/call', { name: 'capture_screenshot', arguments: {} }, 60_000);
    expect(refused.error).toMatchObject({ code: -32603, message: expect.stringMatching(/^the server's message of \d+ bytes exceeds policylayer's limit of 64 MiB; it was dropped$/) });
    expect(JSON.stringify((await tooBig.client.callTool('list_nodes')).result)).toContain('MRHead');
  }, 120_000);

  it('refuses a client message over 64 MiB with an error naming its id, and keeps going', async () => {
    const proxy = startProxy({ version: '1', default: 'allow' });
    await proxy.client.initialize();
    const padding = 'a'.repeat(64 * MiB);
    proxy.client.send(`{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"execute_python_code","arguments":{"code":"${padding}"}}}`);
    const { message } = await proxy.client.response('huge', 60_000);
    expect(message.error).toMatchObject({ code: -32600, message: expect.stringContaining("exceeds policylayer's limit of 64 MiB; it was not forwarded") });
    expect(JSON.stringify((await proxy.client.callTool('list_nodes')).result)).toContain('MRHead');
  }, 120_000);
});

describe('back-pressure', () => {
  it('stops reading a client that does not read its answers, and catches up once it does', async () => {
    const { PassThrough } = await import('node:stream');
    const { runProxy } = await import('../../src/proxy/run.js');
    const { compilePolicy } = await import('../../src/engine/compile.js');
    const { SIM_COMMAND } = await import('../helpers/proxy.js');
    const input = new PassThrough();
    const output = new PassThrough();
    const done = runProxy({
      command: SIM_COMMAND[0]!,
      args: SIM_COMMAND.slice(1),
      policy: { compiled: compilePolicy({ version: '1', default: 'deny' }), display: 'p', sha256: '' },
      input,
      output,
      log: () => {},
      handleSignals: false,
      shutdownGraceMs: 300,
    });
    // 20,000 denied calls, about 5 MB of answers, sent without reading any.
    const count = 20_000;
    for (let i = 1; i <= count; i++) input.write(`{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"denied_tool"}}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(output.readableLength).toBeLessThan(512 * 1024);
    expect(input.writableLength + input.readableLength).toBeGreaterThan(1024 * 1024); // the rest waits, unread, in the client's pipe
    let answers = 0;
    output.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) answers++;
    });
    const deadline = Date.now() + 30_000;
    while (answers < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answers).toBe(count);
    input.end();
    expect(await done).toBe(0);
  }, 60_000);
});

describe('the audit log cannot be written', () => {
  it('denies calls (a call the log does not show must not run) and keeps the session going', async () => {
    const { symlinkSync } = await import('node:fs');
    const audit = join(dir, 'full.jsonl');
    symlinkSync('/dev/full', audit); // every write fails with ENOSPC
    const proxy = startProxy(allowAll, { env: env({ MCP_SLICER_SIM_FAULTS: '1' }), audit: { path: audit, display: 'full.jsonl' } });
    await proxy.client.initialize();
    const denied = (await proxy.client.callTool('execute_python_code', { code: 'import os; os._exit(3)' })).result as Record<string, any>;
    expect(denied.content[0].text).toMatch(/^\[POLICY DENIED\] policylayer denied the call because the audit log could not be written \(.*ENOSPC/);
    expect(denied._meta['policylayer/decision'].rule).toBe('(internal error)');
    expect((await proxy.client.request('tools/list')).result).toBeDefined(); // the server is alive: the call never reached it
    expect(proxy.log()).toContain('cannot write the audit log');
  });
});
