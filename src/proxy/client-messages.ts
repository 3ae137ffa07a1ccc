/**
 * Messages from the client. Every line is checked before anything of it moves: one message by every
 * reader's framing (wire/framing.ts), UTF-8, JSON, member names every parser reads the same way
 * (wire/member-names.ts), and a well-formed JSON-RPC request, notification or response. What passes
 * is forwarded as the exact bytes the client sent; only tools/call is held for a decision. What
 * fails is refused whole: an error to the client, a line on stderr and in the audit log, and
 * nothing forwarded.
 */
import { isUtf8 } from 'node:buffer';
import { foldName } from '../engine/args.js';
import { BatchReply } from './wire/batch-reply.js';
import type { ProxyContext, RefusalRecord, Reply } from './context.js';
import { caseVariantOf, memberNameProblem } from './wire/member-names.js';
import { readEnvelope } from './wire/envelope.js';
import { LINE_BREAK_REASON, strayLineBreak } from './wire/framing.js';
import { idJsonOf, idKeyFromValue, type IdKey } from './wire/ids.js';
import { nestsDeeperThan } from '../util/json-depth.js';
import { isWhitespaceOnly, skipWhitespace } from '../util/json-scan.js';
import type { OversizedLine } from '../util/line-splitter.js';
import { findId, findsMethod } from './wire/oversize.js';
import { errorReply, INTERNAL_ERROR, INVALID_REQUEST, PARSE_ERROR, resultReply, TOO_MANY_REQUESTS } from './wire/replies.js';
import { isObject } from '../util/json.js';
import { jsonParseProblem } from '../util/json-parse-problem.js';
import { cancelHeld, interceptToolCall } from './tool-call.js';
import { CANCELLED_BY_CLIENT } from './approval/approval.js';

export function handleClientLine(ctx: ProxyContext, line: Buffer): void {
  if (isWhitespaceOnly(line)) return;
  const reply = ctx.replyToClient;
  const breakAt = strayLineBreak(line);
  if (breakAt >= 0) {
    refuseLine(ctx, line, reply, { reason: 'line-break', detail: `the line ${LINE_BREAK_REASON} (at byte ${breakAt})` });
    return;
  }
  if (line[skipWhitespace(line, 0)] === 0x5b) {
    handleBatch(ctx, line);
    return;
  }
  const parsed = parse(line);
  if ('error' in parsed) {
    refuse(ctx, reply, { reason: parsed.reason, detail: parsed.error }, 'null', PARSE_ERROR, `Parse error: ${parsed.error}`);
    return;
  }
  handleMessage(ctx, parsed, line, reply);
}

/** 2025-03-26 batches: each element is handled as its own message; the answers go back as one array. */
function handleBatch(ctx: ProxyContext, line: Buffer): void {
  const reply: Reply = (out) => ctx.toClient.writeLine(out);
  const whole = parse(line);
  if ('error' in whole) {
    refuse(ctx, reply, { reason: whole.reason, detail: whole.error }, 'null', PARSE_ERROR, `Parse error: ${whole.error}`);
    return;
  }
  const elements = readEnvelope(line)?.elements;
  if (!elements || elements.length === 0) {
    refuse(ctx, reply, { reason: 'invalid-message', detail: 'an empty batch' }, 'null', INVALID_REQUEST, 'Invalid Request: empty batch');
    return;
  }
  const batch = new BatchReply(reply);
  for (const [start, end] of elements) {
    const bytes = line.subarray(start, end);
    const element = parse(bytes);
    const answer = batch.expect();
    if ('error' in element) refuse(ctx, answer, { reason: element.reason, detail: element.error }, 'null', PARSE_ERROR, `Parse error: ${element.error}`);
    else if (!handleMessage(ctx, element, bytes, answer)) batch.unexpect(answer);
  }
  batch.seal();
}

const ENVELOPE_NAMES = new Set(['jsonrpc', 'id', 'method', 'params', 'result', 'error']);
const CALL_PARAM_NAMES = new Set(['name', 'arguments', 'task', '_meta']);

/** Returns whether the message will be answered (requests), so a batch knows how many answers to wait for. */
function handleMessage(ctx: ProxyContext, { value, text }: Parsed, bytes: Buffer, reply: Reply): boolean {
  if (!isObject(value)) {
    refuse(ctx, reply, { reason: 'invalid-message', detail: 'not a JSON object' }, 'null', INVALID_REQUEST, 'Invalid Request: a message must be a JSON object');
    return true;
  }
  const method = value.method;
  const key = value.id === undefined || value.id === null ? undefined : idKeyFromValue(value.id);

  const problem = shapeProblem(value, text);
  if (problem) {
    refuse(ctx, reply, { ...problem, ...namedIn(value, key) }, replyIdJson(value, key, bytes), INVALID_REQUEST, `Invalid Request: ${problem.detail}`);
    return true;
  }
  if (typeof method === 'string') {
    if (value.id === undefined || value.id === null) {
      if (method === 'tools/call') {
        refuse(ctx, reply, { reason: 'invalid-message', detail: 'tools/call without an id', method }, 'null', INVALID_REQUEST, 'Invalid Request: tools/call must have an id');
        return true;
      }
      if (method === 'notifications/cancelled' && cancelInFlight(ctx, value.params)) return false;
      ctx.toServer.send(bytes);
      return false;
    }
    if (key === undefined) {
      refuse(ctx, reply, { reason: 'invalid-message', detail: 'the id is neither a string nor a number', method: shortName(method) }, 'null', INVALID_REQUEST, 'Invalid Request: id must be a string or an integer');
      return true;
    }
    const id = value.id as string | number;
    const exactIdJson = exactIdJsonOf(id, bytes);
    const tool = method === 'tools/call' && isObject(value.params) && typeof value.params.name === 'string' ? shortName(value.params.name) : undefined;
    const busy = ctx.serverRequests.owns(id) ? { reason: 'id-in-flight' as const, message: 'Invalid Request: this id is reserved by policylayer' } : ctx.inFlight.refusal(key);
    if (busy) {
      refuse(ctx, reply, { reason: busy.reason, detail: busy.message, ...namedIn(value, key), ...(tool ? { tool } : {}) }, replyIdJson(value, key, bytes), busy.reason === 'id-in-flight' ? INVALID_REQUEST : TOO_MANY_REQUESTS, busy.message);
      return true;
    }
    if (method === 'tools/call') {
      interceptToolCall(ctx, { params: value.params, bytes, id, exactIdJson, key, reply });
      return true;
    }
    if (method === 'tasks/get' || method === 'tasks/result' || method === 'tasks/cancel') {
      const answer = ctx.deniedTasks.answer(method, value.params, Date.now());
      if (answer) {
        reply('result' in answer ? resultReply(replyIdJson(value, key, bytes), answer.result) : errorReply(replyIdJson(value, key, bytes), answer.error.code, answer.error.message));
        return true;
      }
    }
    if (method === 'initialize') ctx.session.noteInitializeRequest(value.params);
    ctx.inFlight.pending.set(key, { method, id, exactIdJson, reply, startedMs: performance.now() });
    ctx.toServer.send(bytes);
    return true;
  }
  // A response to a request from the server (sampling, elicitation, roots) or from the proxy itself.
  if (ctx.clientRequests.owns(value.id)) {
    // An answer to the proxy's own request (an approval prompt): never forwarded, even when late.
    const ownKey = idKeyFromValue(value.id);
    if (ownKey !== undefined) ctx.clientRequests.deliver(ownKey, value);
    return false;
  }
  ctx.toServer.send(bytes);
  return false;
}

// The two below are made only when a message is refused or answered by the proxy: most are not,
// and String(id) of every id would outlive scavenges in V8's number-string cache
// (docs/dev/proxy-performance.md).

/** The id for the proxy's own answer: the request's, when the message is a request the proxy could read. */
function replyIdJson(value: Record<string, unknown>, key: IdKey | undefined, bytes: Buffer): string {
  if (typeof value.method !== 'string' || key === undefined) return 'null';
  const id = value.id as string | number;
  return idJsonOf({ id, exactIdJson: exactIdJsonOf(id, bytes) });
}

/** The id and method a refusal names. */
function namedIn(value: Record<string, unknown>, key: IdKey | undefined): Pick<RefusalRecord, 'id' | 'method'> {
  const method = value.method;
  return { ...(key !== undefined ? { id: value.id as string | number } : {}), ...(typeof method === 'string' ? { method: shortName(method) } : {}) };
}

/**
 * Deeper messages are refused. No MCP tool takes arguments nested this deep, and servers differ past
 * it (Python's json module raises RecursionError near 1,000 levels; JSON.parse goes on).
 */
const MAX_NESTING = 512;

/**
 * What makes a message unsafe or meaningless to forward: member names parsers disagree on, and
 * anything that is not exactly one well-formed JSON-RPC 2.0 request, notification or response (a
 * server reading `"Method"` as `method`, or a response that also names a method, must not receive
 * what the proxy read as something else).
 */
function shapeProblem(value: Record<string, unknown>, text: string): Omit<RefusalRecord, 'id' | 'method'> | undefined {
  // Before anything walks it recursively (the arguments' hash for the audit log would overflow the
  // stack near 5,000 levels and the call would be refused without its line).
  if (nestsDeeperThan(value, text, MAX_NESTING)) return { reason: 'invalid-message', detail: `the message nests objects and arrays more than ${MAX_NESTING} levels deep` };
  const names = memberNameProblem(text, value);
  if (names === 'duplicate') return { reason: 'duplicate-member', detail: 'an object in this message has the same member twice' };
  if (names === 'case-variant') return { reason: 'case-variant-member', detail: 'an object in this message has two members whose names differ only in case' };
  const variant = caseVariantOf(value, ENVELOPE_NAMES) ?? (value.method === 'tools/call' && isObject(value.params) ? caseVariantOf(value.params, CALL_PARAM_NAMES) : undefined);
  if (variant !== undefined) return { reason: 'case-variant-member', detail: `"${shortName(variant)}" is not a JSON-RPC or MCP member name, but some servers read it as "${foldName(variant)}"` };
  if (value.jsonrpc !== '2.0') return { reason: 'invalid-message', detail: 'jsonrpc must be "2.0"' };
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if ('method' in value) {
    if (typeof value.method !== 'string') return { reason: 'invalid-message', detail: 'method must be a string' };
    if (hasResult || hasError) return { reason: 'invalid-message', detail: 'a message with a method cannot carry a result or an error' };
    return undefined;
  }
  if (!('id' in value)) return { reason: 'invalid-message', detail: 'a message needs a method (request, notification) or an id (response)' };
  if (hasResult === hasError) return { reason: 'invalid-message', detail: 'a response carries exactly one of result and error' };
  return undefined;
}

/**
 * notifications/cancelled. A call the proxy holds (deciding or awaiting approval) ends here — not
 * forwarded (the server never saw the call), not answered, its budget given back. A request already
 * forwarded stays in flight, its id taken, until the server answers (the answer is then dropped) or
 * exits: the server may be running it, so a call keeps its budget unless the answer proves it did
 * not run. The notification goes on to the server.
 */
function cancelInFlight(ctx: ProxyContext, params: unknown): boolean {
  if (!isObject(params)) return false;
  const key = idKeyFromValue(params.requestId);
  if (key === undefined) return false;
  const held = ctx.inFlight.held.get(key);
  if (held) {
    ctx.inFlight.held.delete(key);
    cancelHeld(held, CANCELLED_BY_CLIENT);
    return true;
  }
  ctx.inFlight.cancel(key);
  return false;
}

/**
 * A client line over the size limit: not forwarded. A request gets an error answer; an answer to a
 * server's request is replaced by an error to the server, so neither side waits forever.
 */
export function handleOversizedClientLine(ctx: ProxyContext, line: OversizedLine): void {
  const idJson = findId(line);
  const message = `message of ${line.length} bytes exceeds policylayer's limit of 64 MiB; it was not forwarded`;
  const request = findsMethod(line);
  refuseQuietly(ctx, { reason: 'too-large', detail: `a ${message}` });
  if (idJson === undefined) return;
  if (request) ctx.toClient.writeLine(errorReply(idJson, INVALID_REQUEST, `Invalid Request: ${message}`));
  else ctx.serverWriter.writeLine(errorReply(idJson, INTERNAL_ERROR, `the client's response was dropped: ${message}`));
}

/** A refused line that failed a framing check: its id is read (JSON.parse takes "\r" as whitespace) only to answer it. */
function refuseLine(ctx: ProxyContext, line: Buffer, reply: Reply, refusal: RefusalRecord): void {
  const parsed = parse(line);
  const value = 'error' in parsed ? undefined : parsed.value;
  const key = isObject(value) && typeof value.method === 'string' && value.id !== undefined && value.id !== null ? idKeyFromValue(value.id) : undefined;
  const id = key === undefined ? undefined : (value as { id: string | number }).id;
  const idJson = id === undefined ? 'null' : idJsonOf({ id, exactIdJson: exactIdJsonOf(id, line) });
  const method = isObject(value) && typeof value.method === 'string' ? shortName(value.method) : undefined;
  refuse(ctx, reply, { ...refusal, ...(id !== undefined ? { id } : {}), ...(method ? { method } : {}) }, idJson, INVALID_REQUEST, `Invalid Request: the message was refused because ${LINE_BREAK_REASON}`);
}

/** Refuses a client message: an error answer, a stderr line, an audit line; nothing forwarded. */
function refuse(ctx: ProxyContext, reply: Reply, refusal: RefusalRecord, idJson: string, code: number, message: string): void {
  refuseQuietly(ctx, refusal);
  reply(errorReply(idJson, code, message));
}

function refuseQuietly(ctx: ProxyContext, refusal: RefusalRecord): void {
  ctx.stats.refused++;
  const what = [refusal.method, refusal.tool, refusal.id === undefined ? undefined : `id ${JSON.stringify(refusal.id)}`].filter(Boolean).join(' ');
  ctx.log(`refused a client message${what ? ` (${what})` : ''}: ${refusal.detail}`);
  ctx.auditor.refused(ctx.settings.grant, ctx.settings.session, refusal);
}

/** Method and tool names are the client's strings: logs and audit lines keep at most 100 characters. */
function shortName(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

/** The message parsed, with the text it was parsed from (the member-name check reads it). */
interface Parsed {
  value: unknown;
  text: string;
}

function parse(bytes: Buffer): Parsed | { error: string; reason: 'not-utf8' | 'not-json' } {
  if (!isUtf8(bytes)) return { error: 'the message is not valid UTF-8', reason: 'not-utf8' };
  const text = bytes.toString('utf8');
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    return { error: jsonParseProblem(error), reason: 'not-json' };
  }
}

/** A number id's text as the client wrote it, when JSON.parse could not hold the number exactly; otherwise undefined (idJsonOf spells it). */
function exactIdJsonOf(id: string | number, bytes: Buffer): string | undefined {
  if (typeof id !== 'number' || Number.isSafeInteger(id)) return undefined;
  const range = readEnvelope(bytes)?.id;
  return range ? bytes.toString('utf8', range[0], range[1]) : undefined;
}
