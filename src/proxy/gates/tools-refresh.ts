import type { OwnRequests } from '../in-flight/own-requests.js';
import { isObject } from '../../util/json.js';
import type { ListedTool, ToolGate } from './tool-gates.js';

const REFRESH_TIMEOUT_MS = 10_000;
const MAX_PAGES = 100;

/**
 * The proxy's own tools/list to the server, all pages, shown to the gates: a gate that must see a
 * tool's current definition before allowing a call (the lock) gets it even when the client never
 * listed the tools. Concurrent callers share one refresh.
 */
export function refreshToolsVia(
  requests: OwnRequests,
  gates: readonly ToolGate[],
  log: (message: string) => void,
  requestMeta: () => Record<string, unknown> | undefined = () => undefined,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= refresh(requests, gates, log, requestMeta()).finally(() => {
      running = undefined;
    });
    return running;
  };
}

async function refresh(requests: OwnRequests, gates: readonly ToolGate[], log: (message: string) => void, meta: Record<string, unknown> | undefined): Promise<void> {
  const signal = AbortSignal.timeout(REFRESH_TIMEOUT_MS);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await requests.request('tools/list', { ...(cursor === undefined ? {} : { cursor }), ...(meta ? { _meta: meta } : {}) }, signal);
    if (!('result' in answer) || !isObject(answer.result) || !Array.isArray(answer.result.tools)) {
      log(`could not list the server's tools to check a call (${'error' in answer ? String(answer.error.message) : 'closed' in answer ? answer.closed : 'malformed result'})`);
      return;
    }
    const tools: ListedTool[] = answer.result.tools
      .filter((tool): tool is Record<string, unknown> => isObject(tool) && typeof tool.name === 'string')
      .map((tool) => ({ name: tool.name as string, definition: () => tool }));
    for (const gate of gates) gate.filter(tools);
    const next = answer.result.nextCursor;
    if (typeof next !== 'string') return;
    cursor = next;
  }
}
