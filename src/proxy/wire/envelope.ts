import type { IdKey } from './ids.js';
import { forEachElement, forEachMember, readValue, skipWhitespace, type Range } from '../../util/json-scan.js';

/** What one line is, read from its bytes: enough to route it without parsing it. */
export interface Envelope {
  kind: 'request' | 'notification' | 'response' | 'batch' | 'other';
  /** Where the id's JSON text is (requests and responses). */
  id?: Range;
  method?: string;
  result?: Range;
  error?: Range;
  /** Batch elements. */
  elements?: Range[];
}

const TS_HEAD = Buffer.from('{"result":');
const TS_TAIL = Buffer.from(',"jsonrpc":"2.0","id":');
const PY_HEAD = Buffer.from('{"jsonrpc":"2.0","id":');
const PY_MIDDLE = Buffer.from(',"result":');

/**
 * The common case at no cost: a result exactly as an SDK writes it — the TypeScript SDK's
 * `{"result":…,"jsonrpc":"2.0","id":7}` or the Python SDK's (FastMCP's, so MCP-Slicer's)
 * `{"jsonrpc":"2.0","id":7,"result":…}` — recognised from its first and last bytes and the id,
 * without scanning the result. Anything else (other member orders, spaces, escaped ids) returns
 * undefined and goes through readEnvelope.
 */
export function readSdkResult(buf: Buffer): Envelope | undefined {
  const id = sdkResultId(buf, 0, buf.length);
  if (!id) return undefined;
  const result: Range = buf[2] === 0x72 /* {"r */ ? [TS_HEAD.length, id[0] - TS_TAIL.length] : [id[1] + PY_MIDDLE.length, buf.length - 1];
  return { kind: 'response', id, result };
}

/** The id key of an SDK-shaped result in `buf[start, end)`, read from its bytes; undefined for anything else. */
export function sdkResultKey(buf: Buffer, start: number, end: number): IdKey | undefined {
  const id = sdkResultId(buf, start, end);
  if (!id) return undefined;
  const [idStart, idEnd] = id;
  if (buf[idStart] === 0x22) return buf.toString('utf8', idStart + 1, idEnd - 1);
  const negative = buf[idStart] === 0x2d;
  const digitsStart = negative ? idStart + 1 : idStart;
  // Up to 15 digits are exact as a double; longer ids take the normal path.
  if (idEnd - digitsStart > 15) return undefined;
  let value = 0;
  for (let i = digitsStart; i < idEnd; i++) value = value * 10 + (buf[i]! - 0x30);
  return negative ? -value : value;
}

/**
 * Where the id is when `buf[start, end)` is a result in either SDK's shape; undefined otherwise.
 * Byte loops, not Buffer#compare/lastIndexOf/subarray: each of those is a call into C++ that costs
 * more than the few bytes it looks at (this runs on every answer the server sends).
 */
function sdkResultId(buf: Buffer, start: number, end: number): Range | undefined {
  if (end - start < TS_HEAD.length + TS_TAIL.length + 3 || buf[end - 1] !== 0x7d) return undefined;
  if (bytesAt(buf, start, TS_HEAD)) {
    const idStart = idStartBefore(buf, start, end - 1);
    const tailStart = idStart - TS_TAIL.length;
    if (idStart < 0 || tailStart <= start + TS_HEAD.length || !bytesAt(buf, tailStart, TS_TAIL)) return undefined;
    return [idStart, end - 1];
  }
  if (bytesAt(buf, start, PY_HEAD)) {
    const idStart = start + PY_HEAD.length;
    const idEnd = idEndAfter(buf, idStart, end);
    if (idEnd < 0 || idEnd + PY_MIDDLE.length >= end - 1 || !bytesAt(buf, idEnd, PY_MIDDLE)) return undefined;
    return [idStart, idEnd];
  }
  return undefined;
}

/** Start of a plain id (an integer, or a string without escapes) that ends just before `idEnd`; -1 if there is none. */
function idStartBefore(buf: Buffer, start: number, idEnd: number): number {
  const last = idEnd - 1;
  if (buf[last] === 0x22) {
    let i = last - 1;
    while (i > start && buf[i] !== 0x22) {
      if (buf[i] === 0x5c) return -1;
      i--;
    }
    return i > start ? i : -1;
  }
  let i = last;
  while (i > start && buf[i]! >= 0x30 && buf[i]! <= 0x39) i--;
  if (i === last) return -1;
  return buf[i] === 0x2d ? i : i + 1;
}

/** End of a plain id (an integer, or a string without escapes) that starts at `idStart`; -1 if there is none. */
function idEndAfter(buf: Buffer, idStart: number, end: number): number {
  if (buf[idStart] === 0x22) {
    for (let i = idStart + 1; i < end; i++) {
      if (buf[i] === 0x22) return i + 1;
      if (buf[i] === 0x5c) return -1;
    }
    return -1;
  }
  let i = buf[idStart] === 0x2d ? idStart + 1 : idStart;
  const digitsStart = i;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  return i > digitsStart ? i : -1;
}

function bytesAt(buf: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (buf[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Reads the top level of a message. Returns undefined when the bytes are not one JSON object or
 * array (a server that prints text to stdout).
 */
export function readEnvelope(buf: Buffer): Envelope | undefined {
  const start = skipWhitespace(buf, 0);
  const first = buf[start];
  let end: number;
  let envelope: Envelope;
  if (first === 0x5b) {
    const elements: Range[] = [];
    end = forEachElement(buf, start, (range) => elements.push(range));
    envelope = { kind: 'batch', elements };
  } else if (first === 0x7b) {
    let id: Range | undefined;
    let method: string | undefined;
    let result: Range | undefined;
    let error: Range | undefined;
    let repeated = false;
    let hasMethod = false;
    end = forEachMember(buf, start, ({ key, value }) => {
      if (key === 'id') {
        repeated ||= id !== undefined;
        id = value;
      } else if (key === 'method') {
        repeated ||= hasMethod;
        hasMethod = true;
        method = readString(buf, value);
      } else if (key === 'result') {
        repeated ||= result !== undefined;
        result = value;
      } else if (key === 'error') {
        repeated ||= error !== undefined;
        error = value;
      }
    });
    const hasId = id !== undefined && buf[id[0]] !== 0x6e; // `"id": null` is no id
    // A member named twice, a method that is not a string, or a method beside a result or error:
    // readers would disagree on what the message is.
    const ambiguous = repeated || (hasMethod && (method === undefined || result !== undefined || error !== undefined));
    envelope = {
      kind: ambiguous ? 'other' : method !== undefined ? (hasId ? 'request' : 'notification') : result !== undefined || error !== undefined ? 'response' : 'other',
      ...(id ? { id } : {}),
      ...(method !== undefined ? { method } : {}),
      ...(result ? { result } : {}),
      ...(error ? { error } : {}),
    };
  } else {
    return undefined;
  }
  if (end < 0 || skipWhitespace(buf, end) !== buf.length) return undefined;
  return envelope;
}

function readString(buf: Buffer, range: Range): string | undefined {
  if (buf[range[0]] !== 0x22) return undefined;
  try {
    return readValue(buf, range) as string;
  } catch {
    return undefined;
  }
}

/** The members of a result object that the proxy looks at: isError (audit) and tools (tools/list filtering). Undefined when either is named twice. */
export function readResultMembers(buf: Buffer, result: Range): { isError?: boolean; tools?: Range } | undefined {
  let isError: boolean | undefined;
  let tools: Range | undefined;
  let repeated = false;
  const end = forEachMember(buf, result[0], ({ key, value }) => {
    if (key === 'isError') {
      repeated ||= isError !== undefined;
      isError = buf[value[0]] === 0x74; // true
    } else if (key === 'tools') {
      repeated ||= tools !== undefined;
      tools = value;
    }
  });
  if (end < 0 || end !== result[1] || repeated) return undefined;
  return { ...(isError !== undefined ? { isError } : {}), ...(tools ? { tools } : {}) };
}
