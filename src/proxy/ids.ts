/**
 * Request ids. JSON-RPC ids are strings or integers, compared by value; the proxy keys its tables
 * by a normalised text so that the client's `7` and the server's echoed `7` meet. Replies the proxy
 * writes itself echo the id's original JSON text, so integers beyond 2^53 keep their exact digits.
 */
export type IdKey = string;

/** Key of a parsed id (from JSON.parse, or from `notifications/cancelled`'s requestId). */
export function idKeyFromValue(id: unknown): IdKey | undefined {
  if (typeof id === 'string') return `s:${id}`;
  if (typeof id === 'number' && Number.isFinite(id)) return `n:${id}`;
  return undefined;
}

/** Key of an id given as its JSON text (as found in a message's bytes). */
export function idKeyFromJson(json: string): IdKey | undefined {
  const text = json.trim();
  if (text.startsWith('"')) {
    try {
      return `s:${JSON.parse(text) as string}`;
    } catch {
      return undefined;
    }
  }
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return undefined;
  return `n:${Number(text)}`;
}
