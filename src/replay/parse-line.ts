/**
 * One line of a recording → the calls it holds. Three line forms are read (docs/recordings.md):
 * our recording lines (`{"tool": …}`), MCP JSON-RPC messages as a client sends them (only
 * `tools/call` requests are calls; a batch array may hold several), and the proxy's audit log
 * lines (`event: "call"` lines are calls, with argument keys but never values; `event: "result"`
 * lines say how a forwarded call ended, so a replay can give back the budget of one that failed).
 */
import { AUDIT_APPROVALS } from '../audit/types.js';
import type { Outcome } from '../engine/types.js';
import { describeValue } from '../policy/describe.js';
import { didYouMean } from '../util/suggest.js';
import { jsonSyntaxError } from '../util/json-error.js';
import { ISO_TIME_HINT, parseIsoTime } from '../util/time.js';
import { endingOfResultLine } from '../audit/result-ending.js';
import { givesBudgetBack } from '../engine/call-end.js';
import { isObject } from '../util/json.js';

export type LineFormat = 'recording' | 'jsonrpc' | 'audit';

export interface LineCall {
  tool: string;
  args: unknown;
  /** False for audit lines: `args` then holds the argument keys with null values. */
  argsKnown: boolean;
  grant?: string;
  session?: string;
  tsMs?: number;
  expect?: Outcome;
  format: LineFormat;
  /** Audit lines: the request id's JSON text, which the call's `result` line names. */
  requestId?: string;
  /** Audit lines: the call needed approval and did not get it, so the proxy kept none of its budget. */
  notApproved?: boolean;
}

/** An audit `result` line: how the forwarded call with this request id ended. */
export interface LineSettled {
  requestId: string;
  /** The proxy gave the call's budget back (the server answered with an error, or died). */
  rolledBack: boolean;
  tsMs: number;
}

export type ParsedLine = { calls: LineCall[]; settled?: LineSettled; problem?: undefined } | { problem: string; calls?: undefined; settled?: undefined };

const NOTHING: ParsedLine = { calls: [] };
const OUTCOMES: readonly Outcome[] = ['allow', 'deny', 'approval_required'];
/** How an approval ended without the call running (every audit value but `accepted`). */
const NOT_APPROVED: ReadonlySet<unknown> = new Set(AUDIT_APPROVALS.filter((approval) => approval !== 'accepted'));
const RECORDING_KEYS = ['ts', 'tool', 'args', 'grant', 'session', 'expect', 'id', 'comment'];

export function parseRecordingLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (text.trim() === '') return NOTHING;
    const error = jsonSyntaxError(text);
    return { problem: error ? `invalid JSON at column ${error.column}: ${error.message}` : 'invalid JSON' };
  }
  if (Array.isArray(value)) return jsonRpcBatch(value);
  if (typeof value !== 'object' || value === null) return { problem: `expected a JSON object, not ${describeValue(value)}` };
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, 'jsonrpc')) return jsonRpcMessage(record);
  if (Object.hasOwn(record, 'event') && Object.hasOwn(record, 'seq')) return auditLine(record);
  if (Object.hasOwn(record, 'tool')) return recordingLine(record);
  return { problem: 'not a recorded call: expected a "tool" member, a JSON-RPC tools/call request, or an audit log line' };
}

function recordingLine(record: Record<string, unknown>): ParsedLine {
  for (const key of Object.keys(record)) {
    if (RECORDING_KEYS.includes(key)) continue;
    const suggestion = didYouMean(key, RECORDING_KEYS);
    return { problem: `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ` (known keys: ${RECORDING_KEYS.join(', ')})`}` };
  }
  const { tool, args, grant, session, ts, expect } = record;
  if (typeof tool !== 'string' || tool === '') return { problem: `"tool" must be a non-empty string, not ${describeValue(tool)}` };
  if (args !== undefined && !isObject(args)) return { problem: `"args" must be an object (MCP tool arguments), not ${describeValue(args)}` };
  const call: LineCall = { tool, args: args ?? {}, argsKnown: true, format: 'recording' };
  for (const [name, field] of [['grant', grant], ['session', session]] as const) {
    if (field === undefined) continue;
    if (typeof field !== 'string' || field === '') return { problem: `"${name}" must be a non-empty string, not ${describeValue(field)}` };
    call[name] = field;
  }
  if (ts !== undefined) {
    const tsMs = timeOf(ts);
    if (tsMs === undefined) return { problem: `"ts" must be ${ISO_TIME_HINT}, or Unix milliseconds; not ${describeValue(ts)}` };
    call.tsMs = tsMs;
  }
  if (expect !== undefined) {
    if (typeof expect !== 'string' || !(OUTCOMES as readonly string[]).includes(expect)) {
      const suggestion = typeof expect === 'string' ? didYouMean(expect, OUTCOMES) : undefined;
      return { problem: `"expect" must be one of ${OUTCOMES.join(', ')}, not ${describeValue(expect)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` };
    }
    call.expect = expect as Outcome;
  }
  return { calls: [call] };
}

function jsonRpcBatch(items: unknown[]): ParsedLine {
  const calls: LineCall[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item) || !Object.hasOwn(item, 'jsonrpc')) return { problem: `item ${i} of the JSON-RPC batch is not a JSON-RPC message` };
    const parsed = jsonRpcMessage(item);
    if (parsed.problem !== undefined) return { problem: `item ${i} of the JSON-RPC batch: ${parsed.problem}` };
    calls.push(...parsed.calls);
  }
  return { calls };
}

/** Requests other than tools/call, responses and notifications are part of a captured stream, not errors. */
function jsonRpcMessage(message: Record<string, unknown>): ParsedLine {
  if (message.method !== 'tools/call') return NOTHING;
  const params = message.params;
  if (!isObject(params)) return { problem: `tools/call without "params" (an object)` };
  const { name, arguments: args } = params;
  if (typeof name !== 'string' || name === '') return { problem: `tools/call "params.name" must be a non-empty string, not ${describeValue(name)}` };
  if (args !== undefined && !isObject(args)) return { problem: `tools/call "params.arguments" must be an object, not ${describeValue(args)}` };
  return { calls: [{ tool: name, args: args ?? {}, argsKnown: true, format: 'jsonrpc' }] };
}

/** Audit lines other than decided calls carry no call; `result` lines settle one (start, reload and stop lines are skipped). */
function auditLine(record: Record<string, unknown>): ParsedLine {
  if (record.event === 'result') return auditResult(record);
  if (record.event !== 'call') return NOTHING;
  const { tool, ts, grant, session, arg_keys: argKeys, request_id: requestId } = record;
  if (typeof tool !== 'string' || tool === '') return { problem: `audit call line: "tool" must be a non-empty string, not ${describeValue(tool)}` };
  const tsMs = typeof ts === 'string' ? parseIsoTime(ts) : undefined;
  if (tsMs === undefined) return { problem: `audit call line: "ts" must be ${ISO_TIME_HINT}` };
  if (typeof grant !== 'string' || typeof session !== 'string') return { problem: 'audit call line: "grant" and "session" must be strings' };
  if (!Array.isArray(argKeys) || !argKeys.every((key) => typeof key === 'string')) return { problem: 'audit call line: "arg_keys" must be an array of strings' };
  const args: Record<string, null> = {};
  for (const key of argKeys as string[]) Object.defineProperty(args, key, { value: null, enumerable: true, writable: true, configurable: true });
  const call: LineCall = { tool, args, argsKnown: false, grant, session, tsMs, format: 'audit' };
  if (typeof requestId === 'string' || typeof requestId === 'number') call.requestId = JSON.stringify(requestId);
  if (NOT_APPROVED.has(record.approval)) call.notApproved = true;
  return { calls: [call] };
}

function auditResult(record: Record<string, unknown>): ParsedLine {
  const { ts, request_id: requestId, rolled_back: rolledBack } = record;
  const tsMs = typeof ts === 'string' ? parseIsoTime(ts) : undefined;
  if (tsMs === undefined) return { problem: `audit result line: "ts" must be ${ISO_TIME_HINT}` };
  if (typeof requestId !== 'string' && typeof requestId !== 'number') return { problem: `audit result line: "request_id" must be a string or a number, not ${describeValue(requestId)}` };
  if (typeof rolledBack !== 'boolean') return { problem: `audit result line: "rolled_back" must be true or false, not ${describeValue(rolledBack)}` };
  // The proxy's rule, applied again: a log written before it gave budgets back on any error.
  return { calls: [], settled: { requestId: JSON.stringify(requestId), rolledBack: givesBudgetBack(endingOfResultLine(record)), tsMs } };
}

function timeOf(ts: unknown): number | undefined {
  if (typeof ts === 'string') return parseIsoTime(ts);
  if (typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0) return ts;
  return undefined;
}

