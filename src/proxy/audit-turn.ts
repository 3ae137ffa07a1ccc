/**
 * Calls decided while the proxy handles one chunk of input leave together once their audit lines
 * are written (src/proxy/chunks.ts). Under load a chunk holds dozens of calls, and the server sat idle
 * while the proxy chained, hashed and wrote all their lines: with --audit, throughput fell to about
 * 0.8× the proxy's without it. Settling every AUDIT_TURN_CALLS calls lets the server start on them
 * while the rest of the chunk is decided (measured in docs/dev/proxy-performance.md: 0.81× → 0.91–0.96×
 * on the SDK workload, 0.75× → 0.88× on the simulator). Each call still leaves only after its line is
 * in the operating system's hands.
 */
import type { ProxyContext } from './context.js';

export const AUDIT_TURN_CALLS = 16;

/** Writes the audit lines waiting now, then lets the calls they cover go to the server, in order. */
export function settleAuditTurn(ctx: ProxyContext): void {
  const turn = ctx.auditTurn;
  if (!turn || turn.length === 0) return;
  const failure = ctx.auditor.flush();
  for (const call of turn) failure === undefined ? call.written() : call.failed(failure);
  turn.length = 0;
  ctx.serverWriter.flush();
}
