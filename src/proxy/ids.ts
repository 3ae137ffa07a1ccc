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
