/**
 * Messages the proxy writes itself: JSON-RPC errors and the policy denial. Each echoes the request's
 * id as the JSON text the client sent, so even an id beyond 2^53 comes back exactly.
 */
import type { Outcome } from '../../engine/types.js';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** Implementation-defined (JSON-RPC reserves -32000 to -32099): a request past the proxy's limits on what it holds. */
export const TOO_MANY_REQUESTS = -32000;

/** The `_meta` key of a denial: PolicyLayer's hosted gateway key (a one-label prefix; nothing MCP reserves). */
export const DECISION_META_KEY = 'policylayer/decision';
export const DENIED_PREFIX = '[POLICY DENIED] ';

export interface DecisionMeta {
  rule: string;
  outcome: Outcome;
  retry_after_ms: number | null;
  /** Set when the call needed approval: how that ended. */
  approval?: 'declined' | 'cancelled' | 'timeout' | 'unavailable';
}

export function errorReply(idJson: string, code: number, message: string, data?: unknown): Buffer {
  const error = data === undefined ? { code, message } : { code, message, data };
  return Buffer.from(`{"jsonrpc":"2.0","id":${idJson},"error":${JSON.stringify(error)}}`);
}

export function resultReply(idJson: string, result: unknown): Buffer {
  return Buffer.from(`{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify(result)}}`);
}

/** A CallToolResult the model can read and tools can parse; `modern` adds the 2026-07-28 resultType. */
export function denialResult(message: string, meta: DecisionMeta, modern: boolean): Record<string, unknown> {
  return {
    content: [{ type: 'text', text: `${DENIED_PREFIX}${message}` }],
    isError: true,
    _meta: { [DECISION_META_KEY]: meta },
    ...(modern ? { resultType: 'complete' } : {}),
  };
}
