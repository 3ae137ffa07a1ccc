/**
 * The two byte streams into the proxy, chunk by chunk. Each chunk is split into lines and handled
 * while the writers are held, so everything one chunk produces leaves together, audit lines first:
 * the calls allowed in a chunk go to the server only once their lines are written (or are denied if
 * they cannot be). No I/O of its own: run.ts feeds it the streams' chunks, and the benchmark of the
 * proxy's work per call (bench/proxy-work.bench.mjs) feeds it directly.
 */
import { handleClientLine, handleOversizedClientLine } from './client-messages.js';
import type { AuditTurn, ProxyContext } from './context.js';
import { LineSplitter } from '../util/line-splitter.js';
import { handleLargeServerLine, handleOversizedServerLine, handleServerLine, passSdkResults } from './server-messages.js';

export interface ChunkHandlers {
  client(chunk: Buffer): void;
  /** The client's stream ended: a last line without a newline still counts. */
  clientEnd(): void;
  server(chunk: Buffer): void;
  serverEnd(): void;
}

export interface ChunkOptions {
  /**
   * Pass a chunk on as it came when its lines all pass unchanged: SDK-shaped results from the server
   * (passSdkResults), lines the client sent that all went to the server (StreamWriter#collapseInto).
   * Off only to compare against the line-by-line way in tests.
   */
  passWholeChunks?: boolean;
  /** Longest message accepted from either side (default MAX_MESSAGE_BYTES, 64 MiB); tests make it small. */
  maxMessageBytes?: number;
}

export function chunkHandlers(ctx: ProxyContext, options: ChunkOptions = {}): ChunkHandlers {
  const passWholeChunks = options.passWholeChunks ?? true;
  const clientLines = new LineSplitter({
    line: (line) => {
      // Not through guarded(): no closure per line.
      try {
        handleClientLine(ctx, line);
      } catch (error) {
        internalError(ctx, error);
      }
    },
    oversized: (line) => handleOversizedClientLine(ctx, line),
  }, options.maxMessageBytes);
  const serverLines = new LineSplitter({
    line: (line) => guarded(ctx, () => handleServerLine(ctx, line)),
    oversized: (line) => handleOversizedServerLine(ctx, line),
    large: (parts, length) => handleLargeServerLine(ctx, parts, length),
  }, options.maxMessageBytes);
  return {
    client: (chunk) =>
      held(ctx, () => {
        clientLines.push(chunk);
        // Every line of the chunk went to the server as it came (the usual case): pass the chunk, not a copy.
        if (passWholeChunks) ctx.serverWriter.collapseInto(chunk);
      }),
    clientEnd: () => held(ctx, () => clientLines.end()),
    server: (chunk) =>
      held(ctx, () => {
        // A chunk of whole answers in an SDK's shape passes as it came; anything else line by line.
        let passed = false;
        if (passWholeChunks && serverLines.pendingBytes === 0) guarded(ctx, () => (passed = passSdkResults(ctx, chunk)));
        if (!passed) serverLines.push(chunk);
      }),
    serverEnd: () => held(ctx, () => serverLines.end()),
  };
}

function held(ctx: ProxyContext, work: () => void): void {
  ctx.toClient.hold();
  ctx.serverWriter.hold();
  ctx.auditor.hold();
  const turn: AuditTurn = [];
  ctx.auditTurn = turn;
  try {
    work();
  } finally {
    ctx.auditTurn = undefined;
    const failure = ctx.auditor.release();
    for (const call of turn) failure === undefined ? call.written() : call.failed(failure);
    ctx.serverWriter.release();
    ctx.toClient.release();
  }
}

function guarded(ctx: ProxyContext, work: () => void): void {
  try {
    work();
  } catch (error) {
    internalError(ctx, error);
  }
}

function internalError(ctx: ProxyContext, error: unknown): void {
  ctx.log(`internal error: ${(error as Error).stack ?? String(error)}`);
}
