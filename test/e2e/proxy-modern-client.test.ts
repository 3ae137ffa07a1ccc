/**
 * A 2026-07-28 client through the BUILT binary: the v2 SDK's Client, pinned to that revision, in
 * front of a v2 SDK server (fixtures/servers/modern-server). No initialize, capabilities on each
 * request, and require_approval as an input-required round trip that the client's own
 * multi-round-trip driver fulfils through its elicitation handler.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

const SERVER = join(ROOT, 'fixtures/servers/modern-server/server.mjs');
const dir = mkdtempSync(join(tmpdir(), 'policylayer-modern-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const policy = join(dir, 'policy.json');
writeFileSync(policy, JSON.stringify({ version: '1', default: 'deny', hide: ['read_notes'], tools: { run: { require_approval: [{ message: 'Runs code' }] } } }));

const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
});

type Answer = { action: 'accept'; content: { approve: boolean } } | { action: 'decline' | 'cancel' };

/** Connects through the proxy; `answer` is the human at the client (undefined: no elicitation capability). */
async function connect(answer: Answer | undefined, asked: string[] = [], proxyOptions: string[] = ['--policy', policy]): Promise<Client> {
  const client = new Client(
    { name: 'policylayer-e2e-modern', version: '1' },
    { capabilities: answer ? { elicitation: {} } : {}, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  if (answer) {
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(String((request.params as { message: string }).message));
      return answer;
    });
  }
  clients.push(client);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'proxy', ...proxyOptions, '--', process.execPath, SERVER], stderr: 'pipe' }));
  return client;
}

const text = (result: unknown): string => ((result as { content: Array<{ text: string }> }).content[0]!.text);

describe('a 2026-07-28 client (v2 SDK) through `policylayer proxy` (built binary)', () => {
  it('lists only the visible tools, and runs a call once the human approves it in the round trip', async () => {
    const asked: string[] = [];
    const client = await connect({ action: 'accept', content: { approve: true } }, asked);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['run']);
    const result = await client.callTool({ name: 'run', arguments: { code: 'x = 1' } });
    expect(text(result)).toBe('ran: x = 1');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('Tool: run');
    expect(asked[0]).toContain('Why: Runs code');
  });

  it('denies the call when the human declines, with the reason and the decision for tools', async () => {
    const client = await connect({ action: 'decline' });
    const result = await client.callTool({ name: 'run', arguments: { code: 'x = 1' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('[POLICY DENIED] Runs code. Not approved: the user declined.');
    expect(result._meta?.['policylayer/decision']).toMatchObject({ outcome: 'approval_required', approval: 'declined' });
  });

  it('denies without asking a client that declares no elicitation, and a hidden tool stays denied', async () => {
    const client = await connect(undefined);
    expect(text(await client.callTool({ name: 'run', arguments: { code: 'x' } }))).toBe('[POLICY DENIED] Runs code. Not approved: the client did not declare the elicitation capability.');
    expect(text(await client.callTool({ name: 'read_notes', arguments: {} }))).toBe('[POLICY DENIED] Tool "read_notes" is hidden by policy');
  });

  it('speaks the client\'s era in its own requests: with --lock, its tools/list carries the 2026-07-28 _meta', async () => {
    // Without that _meta the v2 server reads the proxy's tools/list as the 2025 era and answers the
    // client's call without resultType, which this client rejects.
    const lock = join(dir, 'policylayer.lock.json');
    const pinned = spawnSync(process.execPath, [BIN, 'pin', '--lock', lock, '--', process.execPath, SERVER], { encoding: 'utf8' });
    expect(pinned.status).toBe(0);
    const allowAll = join(dir, 'allow.json');
    writeFileSync(allowAll, JSON.stringify({ version: '1', default: 'allow' }));
    const client = await connect(undefined, [], ['--policy', allowAll, '--lock', lock]);
    // Called before any tools/list from the client: the lock makes the proxy list the tools itself.
    expect(text(await client.callTool({ name: 'run', arguments: { code: 'y = 2' } }))).toBe('ran: y = 2');
  });
});
