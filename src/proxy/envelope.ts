import type { IdKey } from './ids.js';
import { forEachElement, forEachMember, readValue, skipWhitespace, type Range } from './json-scan.js';

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

const SDK_HEAD = Buffer.from('{"result":');
const SDK_TAIL = Buffer.from(',"jsonrpc":"2.0","id":');

/**
 * The common case at no cost: a result exactly as the TypeScript SDK writes it,
 * `{"result":…,"jsonrpc":"2.0","id":7}` — recognised from its first and last bytes, without
 * scanning the result. Anything else (other member orders, spaces, escaped ids) returns undefined
 * and goes through readEnvelope.
 */
export function readSdkResult(buf: Buffer): Envelope | undefined {
  const idStart = sdkResultIdStart(buf, 0, buf.length);
  if (idStart < 0) return undefined;
  return { kind: 'response', id: [idStart, buf.length - 1], result: [SDK_HEAD.length, idStart - SDK_TAIL.length] };
}

/**
 * Where the id starts when `buf[start, end)` is a result in the SDK's shape; -1 otherwise. Byte
 * loops, not Buffer#compare/lastIndexOf/subarray: each of those is a call into C++ that costs more
 * than the few bytes it looks at (this runs on every answer the server sends).
 */
export function sdkResultIdStart(buf: Buffer, start: number, end: number): number {
  if (end - start < SDK_HEAD.length + SDK_TAIL.length + 3 || buf[end - 1] !== 0x7d || !bytesAt(buf, start, SDK_HEAD)) return -1;
  let idStart: number;
  const last = end - 2;
  if (buf[last] === 0x22) {
    idStart = last - 1;
    while (idStart > start && buf[idStart] !== 0x22) {
      if (buf[idStart] === 0x5c) return -1;
      idStart--;
    }
    if (idStart <= start) return -1;
  } else {
    let i = last;
    while (i > start && buf[i]! >= 0x30 && buf[i]! <= 0x39) i--;
    if (i === last) return -1;
    if (buf[i] === 0x2d) i--;
    idStart = i + 1;
  }
  const tailStart = idStart - SDK_TAIL.length;
  if (tailStart <= start + SDK_HEAD.length || !bytesAt(buf, tailStart, SDK_TAIL)) return -1;
  return idStart;
}

/** The id key of an SDK-shaped result in `buf[start, end)`, read from its bytes; undefined for anything else. */
export function sdkResultKey(buf: Buffer, start: number, end: number): IdKey | undefined {
  const idStart = sdkResultIdStart(buf, start, end);
  if (idStart < 0) return undefined;
  const idEnd = end - 1;
  if (buf[idStart] === 0x22) return buf.toString('utf8', idStart + 1, idEnd - 1);
  const negative = buf[idStart] === 0x2d;
  const digitsStart = negative ? idStart + 1 : idStart;
  // Up to 15 digits are exact as a double; longer ids take the normal path.
  if (idEnd - digitsStart > 15) return undefined;
  let value = 0;
  for (let i = digitsStart; i < idEnd; i++) value = value * 10 + (buf[i]! - 0x30);
  return negative ? -value : value;
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
    end = forEachMember(buf, start, ({ key, value }) => {
      if (key === 'id') id = value;
      else if (key === 'method') method = readString(buf, value);
      else if (key === 'result') result = value;
      else if (key === 'error') error = value;
    });
    const hasId = id !== undefined && buf[id[0]] !== 0x6e; // `"id": null` is no id
    envelope = {
      kind: method !== undefined ? (hasId ? 'request' : 'notification') : result !== undefined || error !== undefined ? 'response' : 'other',
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

/** The members of a result object that the proxy looks at: isError (audit) and tools (tools/list filtering). */
export function readResultMembers(buf: Buffer, result: Range): { isError?: boolean; tools?: Range } | undefined {
  let isError: boolean | undefined;
  let tools: Range | undefined;
  const end = forEachMember(buf, result[0], ({ key, value }) => {
    if (key === 'isError') isError = buf[value[0]] === 0x74; // true
    else if (key === 'tools') tools = value;
  });
  if (end < 0) return undefined;
  return { ...(isError !== undefined ? { isError } : {}), ...(tools ? { tools } : {}) };
}
