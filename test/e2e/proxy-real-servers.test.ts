/**
 * Real MCP servers from npm behind the BUILT binary, driven by the SDK Client.
 * - server-filesystem: read tools allowed, write_file denied (no file appears), move_file hidden.
 * - server-everything: progress, cancellation, and the server's own requests (sampling,
 *   elicitation, roots) all pass through a proxy whose policy allows them; a tool hidden by the
 *   policy stays hidden after the server's notifications/tools/list_changed.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'policylayer-real-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILESYSTEM = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const EVERYTHING = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
});

function writePolicy(name: string, policy: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

/** Connects through the proxy; `seen` collects every message the client receives (to check what did not arrive). */
async function connect(policy: string, server: string[], client: Client, extraEnv: Record<string, string> = {}): Promise<JSONRPCMessage[]> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--policy', policy, '--', ...server],
    env: { PATH: process.env.PATH ?? '', ...extraEnv },
    stderr: 'pipe',
  });
  const seen: JSONRPCMessage[] = [];
  clients.push(client);
  await client.connect(transport);
  const handler = transport.onmessage!;
  transport.onmessage = (message) => {
    seen.push(message);
    handler(message);
  };
  return seen;
}

describe('@modelcontextprotocol/server-filesystem behind the proxy', () => {
  const files = join(dir, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, 'notes.txt'), 'scan protocol v2\n');
  const policy = writePolicy('filesystem.json', {
    version: '1',
    default: 'deny',
    hide: ['move_file'],
    tools: {
      read_text_file: {},
      read_file: {},
      read_multiple_files: {},
      list_directory: {},
      list_allowed_directories: {},
      get_file_info: {},
      search_files: {},
      directory_tree: {},
      write_file: { deny_if: [{ on_deny: 'This agent may only read files.' }] },
    },
  });

  it('allows the read tools, denies write_file without creating the file, hides move_file', async () => {
    const client = new Client({ name: 'fs-test', version: '1' });
    await connect(policy, [process.execPath, FILESYSTEM, files], client);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('write_file');
    expect(names).toContain('read_text_file');
    expect(names).not.toContain('move_file');

    const read = await client.callTool({ name: 'read_text_file', arguments: { path: join(files, 'notes.txt') } });
    expect(read.isError).toBeFalsy();
    expect(JSON.stringify(read.content)).toContain('scan protocol v2');

    const target = join(files, 'written.txt');
    const write = await client.callTool({ name: 'write_file', arguments: { path: target, content: 'should never exist' } });
    expect(write).toMatchObject({ isError: true, content: [{ type: 'text', text: '[POLICY DENIED] This agent may only read files.' }] });
    expect(existsSync(target)).toBe(false);

    const move = await client.callTool({ name: 'move_file', arguments: { source: join(files, 'notes.txt'), destination: join(files, 'moved.txt') } });
    expect(move).toMatchObject({ isError: true, _meta: { 'policylayer/decision': { rule: '(hidden)' } } });
    expect(existsSync(join(files, 'notes.txt'))).toBe(true);
    expect(existsSync(join(files, 'moved.txt'))).toBe(false);
  }, 60_000);
});

describe('@modelcontextprotocol/server-everything behind the proxy', () => {
  const policy = writePolicy('everything.json', { version: '1', default: 'allow', hide: ['get-roots-list'] });

  async function everything(): Promise<{ client: Client; seen: JSONRPCMessage[]; rootsAsked: Promise<void>; listChanged: Promise<void> }> {
    const client = new Client({ name: 'everything-test', version: '1' }, { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } });
    let rootsAsked!: () => void;
    let listChanged!: () => void;
    const rootsPromise = new Promise<void>((done) => (rootsAsked = done));
    const listChangedPromise = new Promise<void>((done) => (listChanged = done));
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      rootsAsked();
      return { roots: [{ uri: `file://${dir}`, name: 'test folder' }] };
    });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      role: 'assistant',
      model: 'test-model',
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    }));
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      expect(request.params.message).toBe('Please provide inputs for the following fields:'); // the server's own, not the proxy's
      return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => listChanged());
    const seen = await connect(policy, [process.execPath, EVERYTHING], client, { POLICYLAYER_TEST_MARKER: 'passed-through' });
    return { client, seen, rootsAsked: rootsPromise, listChanged: listChangedPromise };
  }

  it('passes the server\'s roots, sampling and elicitation requests and their answers, and the environment', async () => {
    const { client, rootsAsked } = await everything();
    await rootsAsked;
    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello there', maxTokens: 10 } });
    expect(JSON.stringify(sampled.content)).toContain('sampled:');
    expect(JSON.stringify(sampled.content)).toContain('hello there');
    const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(elicited.content)).toContain('Ada Lovelace');
    const env = await client.callTool({ name: 'get-env', arguments: {} });
    expect(JSON.stringify(env.content)).toContain('passed-through');
  }, 60_000);

  it('passes progress notifications for a request with a progress token', async () => {
    const { client, seen } = await everything();
    const progress: number[] = [];
    const result = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.6, steps: 3 } }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(JSON.stringify(result.content)).toContain('completed');
    // On the wire: all three, with the token the SDK chose. (The SDK client itself may drop the last
    // one when the result overtakes it in its own queue — that happens without the proxy too.)
    const onWire = seen.filter((message) => 'method' in message && message.method === 'notifications/progress').map((message) => (message as unknown as { params: { progress: number } }).params.progress);
    expect(onWire).toEqual([1, 2, 3]);
    expect(progress.slice(0, 2)).toEqual([1, 2]);
  }, 60_000);

  it('passes a cancellation: the server stops, so no answer to the cancelled call ever arrives', async () => {
    const { client, seen } = await everything();
    const controller = new AbortController();
    const cancelled = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1.5, steps: 3 } }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort('changed my mind'), 300);
    await expect(cancelled).rejects.toThrow();
    await new Promise((done) => setTimeout(done, 2500));
    // The SDK server suppresses the answer of a request it was told to cancel; through the proxy
    // that only happens if notifications/cancelled reached it with the right id.
    const answers = seen.filter((message) => 'id' in message && ('result' in message || 'error' in message));
    expect(answers.some((message) => JSON.stringify(message).includes('Long running operation completed'))).toBe(false);
    // The session is fine afterwards.
    expect(JSON.stringify((await client.callTool({ name: 'echo', arguments: { message: 'still here' } })).content)).toContain('still here');
  }, 60_000);

  it('keeps a hidden tool hidden after the server announces that its tools changed', async () => {
    const { client, listChanged } = await everything();
    await listChanged; // server-everything registers capability-dependent tools (get-roots-list among them) after initialize
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('trigger-sampling-request');
    expect(names).not.toContain('get-roots-list');
    const call = await client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(call).toMatchObject({ isError: true, _meta: { 'policylayer/decision': { rule: '(hidden)' } } });
  }, 60_000);
});
