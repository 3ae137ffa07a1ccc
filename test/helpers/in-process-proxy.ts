/**
 * The proxy's chunk handlers in this process, without child processes or pipes: for tests that
 * must control exactly how the bytes are cut into chunks. What each side is sent is collected.
 */
import { Writable } from 'node:stream';
import { compilePolicy } from '../../src/engine/compile.js';
import { createDecider } from '../../src/engine/decider.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { AuditWriter } from '../../src/audit/writer.js';
import { CallAuditor } from '../../src/proxy/call-audit.js';
import { chunkHandlers, type ChunkOptions } from '../../src/proxy/chunks.js';
import { createProxyContext } from '../../src/proxy/create-context.js';
import { StreamWriter } from '../../src/proxy/wire/stream-writer.js';

export function collecting(onWrite?: (chunk: Buffer) => void): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        onWrite?.(chunk);
        chunks.push(Buffer.from(chunk));
        callback();
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/** `onServerWrite` sees each write to the server as it happens (what was on file at that moment can be checked). */
export function inProcessProxy(policy: PolicyDocument, options: ChunkOptions & { auditPath?: string; onServerWrite?: (chunk: Buffer) => void } = {}) {
  const toClient = collecting();
  const toServer = collecting(options.onServerWrite);
  const logs: string[] = [];
  const ctx = createProxyContext({
    settings: { grant: 'local', session: 'test', approvalTimeoutMs: 1000 },
    log: (message) => logs.push(message),
    toClient: new StreamWriter(toClient.stream),
    serverWriter: new StreamWriter(toServer.stream),
    decider: createDecider(compilePolicy(policy)),
    auditor: new CallAuditor(options.auditPath === undefined ? undefined : AuditWriter.open(options.auditPath)),
  });
  return { ctx, chunks: chunkHandlers(ctx, options), toClient, toServer, logs, auditPath: options.auditPath };
}

/** `bytes` cut at the given offsets (taken modulo its length + 1) into the non-empty pieces between them, in order. */
export function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const ends = [...new Set([...offsets.map((offset) => offset % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end)).filter((piece) => piece.length > 0);
}
