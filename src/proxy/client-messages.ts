/**
 * Messages from the client. Every line is parsed (a copy, to decide) and checked: not JSON is a
 * parse error, duplicate member names are refused (the server might read the other value). What
 * passes is forwarded as the exact bytes the client sent; only tools/call is held for a decision.
 */
import { isUtf8 } from 'node:buffer';
import { BatchReply } from './batch-reply.js';
import type { ProxyContext, Reply } from './context.js';
import { hasDuplicateKeys } from './duplicate-keys.js';
import { readEnvelope } from './envelope.js';
import { idJsonOf, idKeyFromValue } from './ids.js';
import { isWhitespaceOnly, skipWhitespace } from './json-scan.js';
import type { OversizedLine } from './line-splitter.js';
import { findId, findsMethod } from './oversize.js';
import { errorReply, INTERNAL_ERROR, INVALID_REQUEST, PARSE_ERROR, resultReply } from './replies.js';
import { isObject } from './session.js';
import { cancelHeld, interceptToolCall } from './tool-call.js';
import { CANCELLED_BY_CLIENT } from './approval.js';

export function handleClientLine(ctx: ProxyContext, line: Buffer): void {
  if (isWhitespaceOnly(line)) return;
  if (line[skipWhitespace(line, 0)] === 0x5b) {
    handleBatch(ctx, line);
    return;
  }
  const reply = ctx.replyToClient;
  const parsed = parse(line);
  if ('error' in parsed) {
    ctx.log(`refused a client line that is not JSON (${parsed.error})`);
    reply(errorReply('null', PARSE_ERROR, `Parse error: ${parsed.error}`));
    return;
  }
  handleMessage(ctx, parsed, line, reply);
}

/** 2025-03-26 batches: each element is handled as its own message; the answers go back as one array. */
function handleBatch(ctx: ProxyContext, line: Buffer): void {
  const whole = parse(line);
  if ('error' in whole) {
    ctx.toClient.writeLine(errorReply('null', PARSE_ERROR, `Parse error: ${whole.error}`));
    return;
  }
  const elements = readEnvelope(line)?.elements;
  if (!elements || elements.length === 0) {
    ctx.toClient.writeLine(errorReply('null', INVALID_REQUEST, 'Invalid Request: empty batch'));
    return;
  }
  const batch = new BatchReply((out) => ctx.toClient.writeLine(out));
  for (const [start, end] of elements) {
    const bytes = line.subarray(start, end);
    const element = parse(bytes);
    const reply = batch.expect();
    if ('error' in element) reply(errorReply('null', PARSE_ERROR, `Parse error: ${element.error}`));
    else if (!handleMessage(ctx, element, bytes, reply)) batch.unexpect(reply);
  }
  batch.seal();
}

/** Returns whether the message will be answered (requests), so a batch knows how many answers to wait for. */
function handleMessage(ctx: ProxyContext, { value, text }: Parsed, bytes: Buffer, reply: Reply): boolean {
  if (!isObject(value)) {
    reply(errorReply('null', INVALID_REQUEST, 'Invalid Request: a message must be a JSON object'));
    return true;
  }
  const hasId = value.id !== undefined && value.id !== null;
  if (hasDuplicateKeys(text, value)) {
    const key = hasId ? idKeyFromValue(value.id) : undefined;
    const idJson = key === undefined ? 'null' : idJsonOf({ id: key, exactIdJson: exactIdJsonOf(key, bytes) });
    ctx.log(`refused a client message with duplicate member names (id ${idJson})`);
    reply(errorReply(idJson, INVALID_REQUEST, 'Invalid Request: an object in this message has the same member twice'));
    return true;
  }
  const method = value.method;
  if (typeof method === 'string') {
    if (!hasId) {
      if (method === 'tools/call') {
        ctx.log('refused a tools/call without an id');
        reply(errorReply('null', INVALID_REQUEST, 'Invalid Request: tools/call must have an id'));
        return true;
      }
      if (method === 'notifications/cancelled' && cancelHeldCall(ctx, value.params)) return false;
      ctx.toServer.send(bytes);
      return false;
    }
    const key = idKeyFromValue(value.id);
    if (key === undefined) {
      reply(errorReply('null', INVALID_REQUEST, 'Invalid Request: id must be a string or an integer'));
      return true;
    }
    const id = value.id as string | number;
    const exactIdJson = exactIdJsonOf(id, bytes);
    if (method === 'tools/call') {
      interceptToolCall(ctx, { params: value.params, bytes, id, exactIdJson, key, reply });
      return true;
    }
    if (method === 'tasks/get' || method === 'tasks/result' || method === 'tasks/cancel') {
      const answer = ctx.deniedTasks.answer(method, value.params, Date.now());
      if (answer) {
        const idJson = idJsonOf({ id, exactIdJson });
        reply('result' in answer ? resultReply(idJson, answer.result) : errorReply(idJson, answer.error.code, answer.error.message));
        return true;
      }
    }
    if (method === 'initialize') ctx.session.noteInitializeRequest(value.params);
    ctx.pending.set(key, { method, id, exactIdJson, reply, startedMs: performance.now() });
    ctx.toServer.send(bytes);
    return true;
  }
  if (hasId && ('result' in value || 'error' in value) && ctx.clientRequests.owns(value.id)) {
    // An answer to the proxy's own request (an approval prompt): never forwarded, even when late.
    const key = idKeyFromValue(value.id);
    if (key !== undefined) ctx.clientRequests.deliver(key, value);
    return false;
  }
  ctx.toServer.send(bytes);
  return false;
}

/**
 * notifications/cancelled for a call the proxy holds (deciding or awaiting approval): it ends here
 * — not forwarded (the server never saw the call), not answered. For a call already forwarded the
 * notification goes on to the server and the call's bookkeeping ends (its counters stay used: the
 * tool may have run).
 */
function cancelHeldCall(ctx: ProxyContext, params: unknown): boolean {
  if (!isObject(params)) return false;
  const key = idKeyFromValue(params.requestId);
  if (key === undefined) return false;
  const held = ctx.held.get(key);
  if (held) {
    ctx.held.delete(key);
    cancelHeld(held, CANCELLED_BY_CLIENT);
    return true;
  }
  const pending = ctx.pending.get(key);
  if (pending) {
    ctx.pending.delete(key);
    if (pending.call) {
      ctx.decider.commit(pending.call.decision);
      ctx.auditor.result({ id: pending.id, tool: pending.call.tool, latencyMs: performance.now() - pending.startedMs, error: 'cancelled', rolledBack: false });
    }
  }
  return false;
}

/**
 * A client line over the size limit: not forwarded. A request gets an error answer; an answer to a
 * server's request is replaced by an error to the server, so neither side waits forever.
 */
export function handleOversizedClientLine(ctx: ProxyContext, line: OversizedLine): void {
  const idJson = findId(line);
  const message = `message of ${line.length} bytes exceeds policylayer's limit of 64 MiB; it was not forwarded`;
  ctx.log(`refused a client ${message}`);
  if (idJson === undefined) return;
  if (findsMethod(line)) ctx.toClient.writeLine(errorReply(idJson, INVALID_REQUEST, `Invalid Request: ${message}`));
  else ctx.serverWriter.writeLine(errorReply(idJson, INTERNAL_ERROR, `the client's response was dropped: ${message}`));
}

/** The message parsed, with the text it was parsed from (the duplicate-member check reads it). */
interface Parsed {
  value: unknown;
  text: string;
}

function parse(bytes: Buffer): Parsed | { error: string } {
  if (!isUtf8(bytes)) return { error: 'the message is not valid UTF-8' };
  const text = bytes.toString('utf8');
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A number id's text as the client wrote it, when JSON.parse could not hold the number exactly; otherwise undefined (idJsonOf spells it). */
function exactIdJsonOf(id: string | number, bytes: Buffer): string | undefined {
  if (typeof id !== 'number' || Number.isSafeInteger(id)) return undefined;
  const range = readEnvelope(bytes)?.id;
  return range ? bytes.toString('utf8', range[0], range[1]) : undefined;
}
