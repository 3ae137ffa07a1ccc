/**
 * Reads the envelope of a JSON-RPC message straight from its bytes, without building the value:
 * the proxy must know a server message's id and kind (and, for a few results, a member or two), but
 * parsing a 10 MiB tool result only to read its id would cost more than forwarding it.
 *
 * The scanner follows JSON's structure (strings with escapes, nesting) but does not validate
 * values it skips: server messages are forwarded as they are, and the client validates them.
 * Strings are skipped with Buffer#indexOf (native memchr), so a large base64 image costs one call.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

export type Range = [start: number, end: number];

export function skipWhitespace(buf: Uint8Array, i: number): number {
  while (i < buf.length) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** `i` is at an opening quote; returns the index after the closing quote, or -1. */
export function skipString(buf: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = buf.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; k > i && buf[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Skips one JSON value starting at `i` (no leading whitespace); returns the index after it, or -1. */
export function skipValue(buf: Buffer, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return skipString(buf, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (i < buf.length) {
      const c = buf[i]!;
      if (c === QUOTE) {
        i = skipString(buf, i);
        if (i < 0) return -1;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // Number or literal: runs to the next delimiter.
  const start = i;
  while (i < buf.length) {
    const c = buf[i]!;
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i > start ? i : -1;
}

export interface Member {
  /** The member name, decoded. */
  key: string;
  value: Range;
}

/**
 * Calls `visit` for each member of the object at `i` (which must be `{`), in order; `visit` may
 * return false to stop early. Returns the index after the object, or -1 when it is malformed
 * (or -2 when stopped early).
 */
export function forEachMember(buf: Buffer, i: number, visit: (member: Member) => boolean | void): number {
  if (buf[i] !== OPEN_BRACE) return -1;
  i = skipWhitespace(buf, i + 1);
  if (buf[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) return -1;
    const keyEnd = skipString(buf, i);
    if (keyEnd < 0) return -1;
    const key = decodeKey(buf, i, keyEnd);
    if (key === undefined) return -1;
    i = skipWhitespace(buf, keyEnd);
    if (buf[i] !== COLON) return -1;
    const valueStart = skipWhitespace(buf, i + 1);
    const valueEnd = skipValue(buf, valueStart);
    if (valueEnd < 0) return -1;
    if (visit({ key, value: [valueStart, valueEnd] }) === false) return -2;
    i = skipWhitespace(buf, valueEnd);
    if (buf[i] === COMMA) {
      i = skipWhitespace(buf, i + 1);
      continue;
    }
    return buf[i] === CLOSE_BRACE ? i + 1 : -1;
  }
}

/** Calls `visit` with the range of each element of the array at `i`; returns the index after it, or -1. */
export function forEachElement(buf: Buffer, i: number, visit: (element: Range) => void): number {
  if (buf[i] !== OPEN_BRACKET) return -1;
  i = skipWhitespace(buf, i + 1);
  if (buf[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = skipValue(buf, i);
    if (end < 0) return -1;
    visit([i, end]);
    i = skipWhitespace(buf, end);
    if (buf[i] === COMMA) {
      i = skipWhitespace(buf, i + 1);
      continue;
    }
    return buf[i] === CLOSE_BRACKET ? i + 1 : -1;
  }
}

function decodeKey(buf: Buffer, start: number, end: number): string | undefined {
  // Fast path: no escapes (the usual case) decodes as plain UTF-8.
  if (buf.subarray(start + 1, end - 1).indexOf(BACKSLASH) < 0) return buf.toString('utf8', start + 1, end - 1);
  try {
    return JSON.parse(buf.toString('utf8', start, end)) as string;
  } catch {
    return undefined;
  }
}

/** Decodes a small JSON value found by the scanner (an id, a method name, a literal). */
export function readValue(buf: Buffer, range: Range): unknown {
  return JSON.parse(buf.toString('utf8', range[0], range[1]));
}

export function isWhitespaceOnly(buf: Buffer): boolean {
  return skipWhitespace(buf, 0) === buf.length;
}
