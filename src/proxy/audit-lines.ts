/**
 * The text of the audit log's call and result lines, built by hand: they are written for every
 * call the proxy forwards, and JSON.stringify of a fresh object per line (with its spread members,
 * and an object per counter) was most of `--audit`'s cost per call (bench/proxy-work.bench.mjs).
 * The text is exactly what JSON.stringify writes for the object docs/audit-log.md describes: the
 * same members in the same order, strings and numbers through JSON.stringify.
 * test/proxy/audit-lines.test.ts checks that against JSON.stringify of the object, for random lines.
 *
 * Each function returns the members after the writer's `{"v":…,"prev":…,` start: `"event":…}`.
 */
import type { AuditCallEntry, AuditCounter } from '../audit/types.js';
import { parseCounterKey } from '../engine/keys.js';
import type { Decision, Reservation } from '../engine/types.js';
import { IsoTimeFormatter } from '../util/time.js';

const str = JSON.stringify;

/** What a call line says besides the decision itself. */
export interface CallLine {
  grant: string;
  session: string;
  id: string | number;
  tool: string;
  decision: Decision;
  /** The message the line keeps (never the argument values a decision's message may name). */
  message: string;
  argKeys: readonly string[];
  /** `args_sha256`, or with an audit key `args_hmac_sha256`, and its hex value. */
  argsMember: 'args_sha256' | 'args_hmac_sha256';
  argsHash: string;
  /** False when the reservations were given back before this line (a refused approval). */
  reservationsKept: boolean;
  approval: AuditCallEntry['approval'] | undefined;
}

export function callLineMembers(line: CallLine): string {
  const d = line.decision;
  let text = `"event":"call","grant":${str(line.grant)},"session":${str(line.session)},"request_id":${str(line.id)},"tool":${str(line.tool)},"outcome":"${d.outcome}","enforced":true,"rule":${str(d.rule)},"message":${str(line.message)}`;
  if (d.retryAfterMs !== undefined) text += `,"retry_after_ms":${str(d.retryAfterMs)}`;
  text += `,"arg_keys":${stringArray(line.argKeys)},"${line.argsMember}":"${line.argsHash}"`;
  const counters = countersText(d, line.reservationsKept);
  if (counters !== '') text += `,"counters":[${counters}]`;
  if (d.stateUnavailable) text += `,"state_unavailable":{"fail_mode":"${d.stateUnavailable.failMode}","error":${str(d.stateUnavailable.error)}}`;
  if (line.approval !== undefined) text += `,"approval":"${line.approval}"`;
  return `${text}}`;
}

export interface ResultLine {
  id: string | number;
  tool: string;
  latencyMs: number;
  error: string | null;
  errorCode: number | undefined;
  ending: string;
  isError: boolean | undefined;
  rolledBack: boolean;
}

export function resultLineMembers(r: ResultLine): string {
  let text = `"event":"result","request_id":${str(r.id)},"tool":${str(r.tool)},"latency_ms":${str(Math.round(r.latencyMs * 1000) / 1000)},"error":${str(r.error)}`;
  if (r.errorCode !== undefined) text += `,"error_code":${str(r.errorCode)}`;
  text += `,"ending":"${r.ending}"`;
  if (r.isError !== undefined) text += `,"is_error":${r.isError}`;
  return `${text},"rolled_back":${r.rolledBack}}`;
}

/**
 * Each limit the decision looked at, with its value after this call: from the decision's trace
 * (denials, and stores that trace), or from the reservations and the store's values once all of
 * them were made (`counterValues`). A limit that counts an argument's value has its path instead
 * of its sum, which would reveal the values.
 */
export function countersOf(decision: Decision, kept: boolean): AuditCounter[] {
  const text = countersText(decision, kept);
  return text === '' ? [] : (JSON.parse(`[${text}]`) as AuditCounter[]);
}

const windowEnds = new IsoTimeFormatter();

function countersText(decision: Decision, kept: boolean): string {
  if (decision.trace) return countersFromTrace(decision, kept);
  const values = decision.counterValues;
  if (!values) return '';
  const { reservations } = decision;
  let text = '';
  for (let i = 0; i < reservations.length; i++) {
    const r = reservations[i]!;
    // A limit that shares its counter with a later one (all_tools and the tool's own) shows the
    // value before that later one, as the trace does.
    let used = values[i]!;
    for (let j = kept ? i + 1 : i; j < reservations.length; j++) if (reservations[j]!.key === r.key) used -= reservations[j]!.amount;
    if (i > 0) text += ',';
    // A reservation of one unit is one object per window and scope (engine), so its text up to the
    // value is made once per window, not per call.
    let head = headOfReservation.get(r);
    if (head === undefined) {
      head = counterHead(r.counter, r.scope, r.scopeId, r.window, r.windowEndMs);
      headOfReservation.set(r, head);
    }
    text += counterTail(head, used, r.max, r.countedPath);
  }
  return text;
}

const headOfReservation = new WeakMap<Reservation, string>();

function countersFromTrace(decision: Decision, kept: boolean): string {
  const reserved = new Set(kept ? decision.reservations.map((r: Reservation) => r.key) : []);
  let text = '';
  for (const step of decision.trace!) {
    if (step.kind !== 'limit' || !step.counter) continue;
    const key = parseCounterKey(step.counter.key);
    if (!key) continue;
    if (text !== '') text += ',';
    const used = step.counter.used + (reserved.has(step.counter.key) ? step.counter.amount : 0);
    text += counterText(key.counter, key.scope, key.scopeId, key.window, step.counter.windowEndMs, used, step.counter.max, step.counter.byValue);
  }
  return text;
}

function counterText(counter: string, scope: string, scopeId: string, window: string, windowEndMs: number, used: number, max: number, countedPath: string | undefined): string {
  return counterTail(counterHead(counter, scope, scopeId, window, windowEndMs), used, max, countedPath);
}

function counterHead(counter: string, scope: string, scopeId: string, window: string, windowEndMs: number): string {
  return `{"counter":${str(counter)},"scope":"${scope}","scope_id":${str(scopeId)},"window":"${window}","resets_at":"${windowEnds.format(windowEndMs)}"`;
}

function counterTail(head: string, used: number, max: number, countedPath: string | undefined): string {
  return countedPath === undefined ? `${head},"used":${str(used)},"max":${str(max)}}` : `${head},"max":${str(max)},"counted":${str(countedPath)}}`;
}

function stringArray(items: readonly string[]): string {
  if (items.length === 0) return '[]';
  let text = str(items[0]);
  for (let i = 1; i < items.length; i++) text += `,${str(items[i])}`;
  return `[${text}]`;
}
