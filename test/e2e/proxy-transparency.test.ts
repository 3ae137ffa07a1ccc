/**
 * Differential transcripts: the same scripted session against a server directly and through
 * `policylayer proxy` (built binary) with an allow-all policy must get byte-identical answers.
 * Nothing is normalised: not key order, not number spelling, not ids.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { killAll, McpProcess, type Message } from '../helpers/mcp-stream.js';
import { SIM } from '../helpers/proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'policylayer-diff-'));
const allowAll = join(dir, 'allow-all.json');
writeFileSync(allowAll, JSON.stringify({ version: '1', default: 'allow' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(killAll);

const EVERYTHING = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

type Step = Message & { id: number | string };

/** Runs the script on one target; returns each request's answer line, keyed by id, and the notification methods seen. */
async function transcript(command: string[], steps: Step[], env: NodeJS.ProcessEnv = {}): Promise<{ answers: Map<string, string>; notifications: string[] }> {
  const target = McpProcess.spawn(command[0]!, command.slice(1), { env });
  const answers = new Map<string, string>();
  for (const step of steps) {
    const answer = target.response(step.id, 30_000);
    target.send(step);
    answers.set(JSON.stringify(step.id), (await answer).line);
    if (step.method === 'initialize') target.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }
  target.end();
  await target.exit(15_000);
  const notifications = target.lines.map((line) => (JSON.parse(line) as Message)).filter((message) => message.id === undefined).map((message) => String(message.method));
  return { answers, notifications };
}

function proxied(server: string[]): string[] {
  return [process.execPath, BIN, 'proxy', '--policy', allowAll, '--', ...server];
}

const call = (id: number | string, name: string, args: Message = {}, extra: Message = {}): Step => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...extra } });

describe('transparency (differential, built binary)', () => {
  it('server-everything: every answer is byte-identical direct and through the proxy', async () => {
    const steps: Step[] = [
      { jsonrpc: '2.0', id: 0, method: 'server/discover', params: {} },
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'diff', version: '1' } } },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      call(3, 'echo', { message: 'héllo ✓ "quoted" \\ back' }),
      call('four', 'get-sum', { a: 1.5, b: 2e3 }),
      call(5, 'get-structured-content', { location: 'New York' }),
      call(6, 'no-such-tool'),
      call(7, 'get-annotated-message', { messageType: 'error', includeImage: true }),
      call(8, 'echo', { message: 'meta' }, { _meta: { progressToken: 'p8', 'com.example/trace': { x: [1, 2] } } }),
      { jsonrpc: '2.0', id: 9, method: 'prompts/list' },
      { jsonrpc: '2.0', id: 10, method: 'prompts/get', params: { name: 'args-prompt', arguments: { city: 'Paris', state: 'Île-de-France' } } },
      { jsonrpc: '2.0', id: 11, method: 'resources/templates/list' },
      { jsonrpc: '2.0', id: 12, method: 'resources/read', params: { uri: 'demo://resource/static/document/features.md' } },
      { jsonrpc: '2.0', id: 13, method: 'ping' },
      { jsonrpc: '2.0', id: 14, method: 'no/such/method', params: { a: 1 } },
    ];
    const direct = await transcript([process.execPath, EVERYTHING], steps);
    const through = await transcript(proxied([process.execPath, EVERYTHING]), steps);
    for (const [id, line] of direct.answers) expect(through.answers.get(id), `answer to ${id}`).toBe(line);
    expect(JSON.parse(direct.answers.get('0')!)).toMatchObject({ error: { code: -32601 } }); // server/discover passes; a legacy server says method not found
    expect(through.notifications.sort()).toEqual(direct.notifications.sort());
  }, 90_000);

  it('MCP-Slicer simulator: every answer, a 12 MiB screenshot included, is byte-identical', async () => {
    const steps: Step[] = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'diff', version: '1' } } },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      call(3, 'list_nodes', { filter_type: 'properties' }),
      call(4, 'execute_python_code', { code: '__execResult = (1 + 2) * 7' }),
      call(5, 'capture_screenshot', { view_type: 'slice', view_name: 'red', slice_orientation: 'axial' }),
      call(6, 'capture_screenshot', { view_type: 'banana' }),
    ];
    const env = { MCP_SLICER_SIM_SCREENSHOT_BYTES: String(12 * 1024 * 1024) };
    const direct = await transcript([process.execPath, SIM], steps, env);
    const through = await transcript(proxied([process.execPath, SIM]), steps, env);
    expect(direct.answers.get('5')!.length).toBeGreaterThan(12 * 1024 * 1024);
    for (const [id, line] of direct.answers) expect(through.answers.get(id) === line, `answer to ${id}`).toBe(true);
  }, 90_000);

  it('a 2026-07-28 server and client (no initialize, _meta on every request): every answer is byte-identical', async () => {
    const MODERN = resolve(ROOT, 'fixtures/servers/modern-server/server.mjs');
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const steps: Step[] = [
      { jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: meta } },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } },
      call(2, 'run', { code: 'héllo ✓' }, { _meta: meta }),
      call('three', 'read_notes', {}, { _meta: { ...meta, 'com.example/trace': [1, 2] } }),
      call(4, 'no-such-tool', {}, { _meta: meta }),
      call(5, 'run', { code: 42 }, { _meta: meta }),
      { jsonrpc: '2.0', id: 6, method: 'no/such/method', params: { _meta: meta } },
    ];
    const direct = await transcript([process.execPath, MODERN], steps);
    const through = await transcript(proxied([process.execPath, MODERN]), steps);
    for (const [id, line] of direct.answers) expect(through.answers.get(id), `answer to ${id}`).toBe(line);
    expect(JSON.parse(direct.answers.get('2')!)).toMatchObject({ result: { resultType: 'complete', content: [{ text: 'ran: héllo ✓' }] } });
  }, 60_000);
});
