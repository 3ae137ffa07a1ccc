/**
 * What a transport must know about the messages it carries, and how an HTTP payload becomes one
 * stdio line. Client lines are parsed (the proxy already decided on them; they are mostly small);
 * server lines are only scanned for their envelope, so a 64 MiB result is never built as a value.
 */
// The byte scanner lives with the proxy today; it is a generic JSON helper (issue 19 moves such helpers to src/util/).
import { forEachElement, forEachMember, readValue, skipWhitespace, type Range } from '../util/json-scan.js';
import { joinData, type SseEvent } from './sse.js';
import { idKeyOf } from './upstream.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

export interface ClientRequest {
  /** idKeyOf(id). */
  key: string;
  /** The id as JSON text, for replies made up here. */
  idJson: string;
  method: string;
}

/** One line from the proxy, read. */
export interface ClientMessage {
  line: Buffer;
  /** Requests in it (one, or several in a 2025-03-26 batch). */
  requests: ClientRequest[];
  isInitialize: boolean;
  isInitialized: boolean;
  /** Ids of requests the client cancels (`notifications/cancelled`). */
  cancels: string[];
  /** The line is not JSON the transport can read; it is still sent. */
  unreadable: boolean;
}

export function readClientMessage(line: Buffer): ClientMessage {
  const message: ClientMessage = { line, requests: [], isInitialize: false, isInitialized: false, cancels: [], unreadable: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    message.unreadable = true;
    return message;
  }
  for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, method, params } = item as { id?: unknown; method?: unknown; params?: { requestId?: unknown } };
    if (typeof method !== 'string') continue;
    if (typeof id === 'string' || typeof id === 'number') {
      message.requests.push({ key: idKeyOf(id), idJson: JSON.stringify(id), method });
      if (method === 'initialize') message.isInitialize = true;
    } else if (method === 'notifications/initialized') message.isInitialized = true;
    else if (method === 'notifications/cancelled') {
      const requestId = params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') message.cancels.push(idKeyOf(requestId));
    }
  }
  return message;
}

/** What the transport needs from a server line: the ids it answers. */
export interface ServerEnvelope {
  /** Keys of the requests this line answers (responses, also inside a batch). */
  answers: string[];
  /** For a batch: where each element is in the line, and the key it answers (if it is a response). */
  elements?: Array<{ range: Range; answers: string | undefined }>;
}

/** Scans a server line's top level (and a batch's elements) for responses and their ids. */
export function readServerEnvelope(line: Buffer): ServerEnvelope {
  const answers: string[] = [];
  const start = skipWhitespace(line, 0);
  const readObject = (at: number): string | undefined => {
    let id: Range | undefined;
    let isRequest = false;
    let isResponse = false;
    forEachMember(line, at, ({ key, value }) => {
      if (key === 'id') id = value;
      else if (key === 'method') isRequest = true;
      else if (key === 'result' || key === 'error') isResponse = true;
    });
    if (!isResponse || isRequest || !id) return undefined;
    try {
      const value = readValue(line, id);
      if (typeof value === 'string' || typeof value === 'number') {
        const key = idKeyOf(value);
        answers.push(key);
        return key;
      }
    } catch {
      // An unreadable id answers nothing we sent.
    }
    return undefined;
  };
  if (line[start] !== 0x5b) {
    readObject(start);
    return { answers };
  }
  const elements: NonNullable<ServerEnvelope['elements']> = [];
  forEachElement(line, start, (range) => elements.push({ range, answers: readObject(range[0]) }));
  return { answers, elements };
}

/**
 * An SSE event's data as one line. Multi-line data was the payload's own line breaks, which in
 * JSON can only be whitespace between tokens (a string cannot hold a raw newline), so each becomes
 * a space: the same JSON, on one line, joined once from the body's chunks.
 */
export function lineFromEvent(event: SseEvent): Buffer {
  return joinData(event, SPACE);
}

/**
 * A JSON response body as one line: a leading BOM dropped, CR and LF (whitespace here, as above)
 * made spaces in place. 0x0A and 0x0D never occur inside a multi-byte UTF-8 character. The buffer
 * is the caller's to give away.
 */
export function lineFromJsonBody(body: Buffer): Buffer {
  let line = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
  for (let at = line.indexOf(LF); at >= 0; at = line.indexOf(LF, at + 1)) line[at] = SPACE;
  for (let at = line.indexOf(CR); at >= 0; at = line.indexOf(CR, at + 1)) line[at] = SPACE;
  const first = skipWhitespace(line, 0);
  let end = line.length;
  while (end > first && (line[end - 1] === SPACE || line[end - 1] === 0x09)) end--;
  line = line.subarray(first, end);
  return line;
}

/** A JSON-RPC error reply for request `idJson`, as one line. */
export function errorLine(idJson: string, code: number, message: string, data?: unknown): Buffer {
  const error = data === undefined ? { code, message } : { code, message, data };
  return Buffer.from(`{"jsonrpc":"2.0","id":${idJson},"error":${JSON.stringify(error)}}`);
}

/** The protocol version an `initialize` result names. */
export function protocolVersionOf(line: Buffer): string | undefined {
  try {
    const version = (JSON.parse(line.toString('utf8')) as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
