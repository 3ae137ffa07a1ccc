/**
 * Request ids. JSON-RPC ids are strings or integers, compared by value; the proxy keys its tables
 * by the value itself (a number or a string: `7` and `"7"` stay distinct), so the client's `7` and
 * the server's echoed `7` meet without building a key. Replies the proxy writes itself echo the
 * id's original JSON text, so integers beyond 2^53 keep their exact digits.
 */
export type IdKey = string | number;

/** Key of a parsed id (from JSON.parse, or from `notifications/cancelled`'s requestId). */
export function idKeyFromValue(id: unknown): IdKey | undefined {
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return undefined;
}

/** Key of an id given as its JSON text (as found in a message's bytes). */
export function idKeyFromJson(json: string): IdKey | undefined {
  const first = json.charCodeAt(0);
  if (first === 0x22 /* " */) {
    // Most string ids have no escapes: slice instead of parsing.
    if (json.indexOf('\\') < 0) return json.charCodeAt(json.length - 1) === 0x22 && json.length >= 2 ? json.slice(1, -1) : undefined;
    try {
      return JSON.parse(json) as string;
    } catch {
      return undefined;
    }
  }
  const n = Number(json);
  return json.length > 0 && Number.isFinite(n) && (first === 0x2d /* - */ || (first >= 0x30 && first <= 0x39)) ? n : undefined;
}

/** A request's id as the proxy keeps it: the parsed value, and its text only where the value cannot give it back. */
export interface RequestId {
  id: string | number;
  /** The id's JSON text as the client wrote it: kept only for numbers JSON.parse cannot hold exactly (beyond 2^53). */
  exactIdJson: string | undefined;
}

/**
 * The id's JSON text, for replies the proxy writes itself. Made when needed, not per call: an
 * allowed call never needs it, and String() of each new id leaves the string in V8's number-string
 * cache, where it outlives two scavenges (0.1-0.2 µs of garbage collection per call).
 */
export function idJsonOf(request: RequestId): string {
  if (request.exactIdJson !== undefined) return request.exactIdJson;
  // String() is JSON's spelling of a safe integer.
  return typeof request.id === 'number' ? String(request.id) : JSON.stringify(request.id);
}
