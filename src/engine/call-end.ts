/**
 * How a call that reserved budget ended, and whether that budget comes back. A reservation is given
 * back only when the call provably did not run: the proxy never forwarded it, or the server refused
 * it with a JSON-RPC error that MCP servers send before running anything. Everything else keeps it
 * spent: a result (also `isError: true`: the tool ran and failed), an internal or server-defined
 * error (the tool may have run part way), a call the client cancelled after it left (the server may
 * be running it), a server that died or a connection that dropped with the call in flight, and an
 * answer the proxy could not pass on. One rule for the proxy and for replay (docs/proxy.md).
 */
export type CallEnding =
  | { kind: 'result' }
  | { kind: 'error'; code: unknown }
  | { kind: 'not-forwarded' }
  | { kind: 'cancelled'; code?: unknown }
  | { kind: 'server-gone' }
  | { kind: 'answer-lost' };

export type CallEndingKind = CallEnding['kind'];

/** Parse error, invalid request, method not found, invalid params: the request was refused, not run. */
export const NOT_RUN_ERROR_CODES: ReadonlySet<number> = new Set([-32700, -32600, -32601, -32602]);

export function givesBudgetBack(ending: CallEnding): boolean {
  if (ending.kind === 'not-forwarded') return true;
  if (ending.kind === 'error' || ending.kind === 'cancelled') return typeof ending.code === 'number' && NOT_RUN_ERROR_CODES.has(ending.code);
  return false;
}
