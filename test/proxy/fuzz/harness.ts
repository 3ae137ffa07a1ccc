/**
 * One fuzz case against every reader: a proxy (its chunk handlers, in this process, with a real
 * audit log) between the case's bytes and a fresh session with each reader fixture. Then the
 * promise is checked for every reader:
 * - every tools/call the reader executed was allowed by the policy as the reader read it, and has
 *   an `allow` audit line with its id and tool;
 * - no limit was exceeded by what the reader executed;
 * - no tools/list answer that reached the client names a hidden tool.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AuditWriter } from '../../../src/audit/writer.js';
import { compilePolicy, type CompiledPolicy } from '../../../src/engine/compile.js';
import { decide } from '../../../src/engine/decide.js';
import { MemoryCounterStore } from '../../../src/engine/memory-store.js';
import { createDecider } from '../../../src/engine/decider.js';
import type { PolicyDocument } from '../../../src/policy/schema.js';
import { CallAuditor } from '../../../src/proxy/call-audit.js';
import { chunkHandlers } from '../../../src/proxy/chunks.js';
import { createProxyContext } from '../../../src/proxy/create-context.js';
import { StreamWriter } from '../../../src/proxy/wire/stream-writer.js';
import { cutAt } from '../../helpers/in-process-proxy.js';
import type { FuzzCase } from './grammar.js';
import { readExecuted, type ExecutedCall, type ReaderName, type ReaderPool } from './readers.js';

/** The policy every case runs under: a hidden tool, a deny_if, limits by calls and by value, approval with no way to ask. */
export const FUZZ_POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  hide: ['delete_everything'],
  tools: {
    list_nodes: {},
    execute_python_code: {
      deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'subprocess' }] }],
      limits: [{ counter: 'exec', window: 'hour', max: 3, scope: 'grant' }],
    },
    slow_job: { limits: [{ counter: 'slow', window: 'hour', max: 2, scope: 'grant' }] },
    transfer_funds: { limits: [{ counter: 'spend', window: 'hour', max: 100, scope: 'grant', increment_from: 'args.amount' }] },
    capture_screenshot: { require_approval: [{ conditions: [] }] },
  },
};

export const FUZZ_MAX_MESSAGE_BYTES = 4096;
const FUZZ_CLOCK_MS = Date.UTC(2026, 11, 7, 10, 30, 0);

export interface ReaderRun {
  reader: ReaderName;
  executed: ExecutedCall[];
  audit: Array<Record<string, unknown>>;
  toClient: string;
  logs: string[];
}

let serial = 0;

/** Runs one case through a proxy per reader, in parallel; resolves with what each reader executed and what the proxy wrote. */
export async function runCase(pool: ReaderPool, dir: string, fuzz: FuzzCase, policy: PolicyDocument = FUZZ_POLICY): Promise<ReaderRun[]> {
  const compiled = compilePolicy(policy);
  const caseDir = join(dir, `case-${++serial}`);
  mkdirSync(caseDir, { recursive: true });
  return Promise.all(pool.names.map((reader) => runOne(pool, reader, caseDir, compiled, fuzz)));
}

async function runOne(pool: ReaderPool, reader: ReaderName, dir: string, compiled: CompiledPolicy, fuzz: FuzzCase): Promise<ReaderRun> {
  const executedLog = join(dir, `${reader}.executed.jsonl`);
  const auditPath = join(dir, `${reader}.audit.jsonl`);
  const socket = await pool.connect(reader, executedLog);
  const toClient: Buffer[] = [];
  const clientOut = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      toClient.push(Buffer.from(chunk));
      callback();
    },
  });
  const logs: string[] = [];
  const auditWriter = AuditWriter.open(auditPath);
  const ctx = createProxyContext({
    settings: { grant: 'local', session: 'fuzz', approvalTimeoutMs: 200 },
    log: (line) => logs.push(line),
    toClient: new StreamWriter(clientOut),
    serverWriter: new StreamWriter(socket),
    // A fixed clock: a case that straddled the hour would get a second budget and look like a breach.
    decider: createDecider(compiled, new MemoryCounterStore(), { now: () => FUZZ_CLOCK_MS }),
    auditor: new CallAuditor(auditWriter, (line) => logs.push(line)),
  });
  const chunks = chunkHandlers(ctx, { maxMessageBytes: FUZZ_MAX_MESSAGE_BYTES });
  socket.on('data', (chunk: Buffer) => chunks.server(chunk));

  for (const chunk of cutAt(fuzz.bytes, fuzz.cuts)) {
    chunks.client(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // A last request the reader surely answers, after a newline that ends any line left open.
  const end = `fuzz-end-${serial}`;
  chunks.client(Buffer.from(`\n{"jsonrpc":"2.0","id":"${end}","method":"ping"}\n`));
  await until(() => Buffer.concat(toClient).includes(`"${end}"`), 3000);
  // Calls still running (slow_job) finish; a cancelled one the server never answers stays.
  await until(() => ctx.inFlight.pending.values().every((pending) => pending.cancelled), 1000);
  await closeSocket(socket);
  auditWriter.close();
  // The reader writes its log line before it runs a call, and the proxy forwarded nothing more.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    reader,
    executed: readExecuted(executedLog),
    audit: readFileSync(auditPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    toClient: Buffer.concat(toClient).toString('utf8'),
    logs,
  };
}

/** What broke the promise in one reader's run; empty when it held. */
export function violations(run: ReaderRun, policy: PolicyDocument = FUZZ_POLICY): string[] {
  const compiled = compilePolicy(policy);
  const problems: string[] = [];
  const allowed = run.audit.filter((line) => line.event === 'call' && (line.outcome === 'allow' || line.approval === 'accepted'));
  const used = new Set<number>();
  const zero = { get: () => 0 };
  for (const call of run.executed) {
    const view = decide(compiled, { tool: call.tool, args: call.args, grant: 'local', session: 'fuzz' }, zero, FUZZ_CLOCK_MS);
    if (view.outcome !== 'allow') problems.push(`${run.reader} executed ${call.tool} ${JSON.stringify(call.args)} (id ${JSON.stringify(call.id)}), which the policy does not allow: ${view.rule}`);
    const index = allowed.findIndex((line, i) => !used.has(i) && line.tool === call.tool && JSON.stringify(line.request_id) === JSON.stringify(call.id));
    if (index < 0) problems.push(`${run.reader} executed ${call.tool} (id ${JSON.stringify(call.id)}) with no allow line in the audit log`);
    else used.add(index);
  }
  for (const [name, rules] of Object.entries(policy.tools ?? {})) {
    for (const limit of rules.limits ?? []) {
      const mine = run.executed.filter((call) => call.tool === name);
      const spent = limit.increment_from ? mine.reduce((sum, call) => sum + (call.args[limit.increment_from!.slice(5)] as number), 0) : mine.length;
      if (spent > limit.max) problems.push(`${run.reader} executed ${name} ${mine.length} times, spending ${spent} of counter ${limit.counter} (max ${limit.max})`);
    }
  }
  for (const hidden of policy.hide ?? []) {
    for (const line of run.toClient.split('\n')) {
      if (listsTool(line, hidden)) problems.push(`${run.reader}: a tools/list answer naming hidden ${hidden} reached the client: ${line.slice(0, 200)}`);
    }
  }
  return problems;
}

function listsTool(line: string, name: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return line.includes(name) && line.includes('"tools"');
  }
  const messages = Array.isArray(message) ? message : [message];
  return messages.some((m) => {
    const tools = (m as { result?: { tools?: unknown } } | null)?.result?.tools;
    return Array.isArray(tools) && tools.some((tool) => (tool as { name?: unknown } | null)?.name === name);
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 500);
  });
}
