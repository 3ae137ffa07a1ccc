/**
 * A client's tools/call: decided by the gates and the policy before anything reaches the server.
 * Allowed calls go out byte for byte with their counters reserved; denied calls are answered here;
 * calls needing approval wait for a human. Any failure while deciding denies (fail closed).
 */
import type { Decision } from '../engine/types.js';
import { CANCELLED_BY_CLIENT, requestApproval, type ApprovalAnswer } from './approval/approval.js';
import { AUDIT_TURN_CALLS, settleAuditTurn } from './audit-turn.js';
import type { AuditTurn, HeldCall, ProxyContext, Reply } from './context.js';
import { idJsonOf, type IdKey, type RequestId } from './wire/ids.js';
import type { Slot } from './in-flight/ordered-forwarder.js';
import { denialResult, errorReply, INTERNAL_ERROR, INVALID_REQUEST, resultReply, TOO_MANY_REQUESTS, type DecisionMeta } from './wire/replies.js';
import { forwardedParams, type ApprovalCall, type ApprovalRetry } from './approval/round-trip.js';
import { isModernRequest, modernElicitation } from './session.js';
import { isObject } from '../util/json.js';

export const INTERNAL_ERROR_RULE = '(internal error)';
/** The audit log records the counters each decision looked at. */
const COUNTED = { counters: true } as const;
/** Why a held call ended because the proxy is stopping (the server or the client went away). */
export const SHUTDOWN = 'the proxy is shutting down';

export interface IncomingCall extends RequestId {
  params: unknown;
  bytes: Buffer;
  key: IdKey;
  reply: Reply;
  /** A 2026-07-28 retry carrying this proxy's approval state (its `bytes` then have that state removed). */
  retry?: ApprovalRetry;
}

interface CallParams {
  [member: string]: unknown;
  name: string;
  arguments?: Record<string, unknown>;
  task?: Record<string, unknown>;
  _meta?: unknown;
}

/** What is wrong with a tools/call's params, or undefined. The proxy refuses what it cannot judge. */
export function toolCallProblem(params: unknown): string | undefined {
  if (!isObject(params)) return 'params must be an object';
  if (typeof params.name !== 'string') return 'params.name (the tool name) must be a string';
  if (params.arguments !== undefined && !isObject(params.arguments)) return 'params.arguments must be an object';
  if (params.task !== undefined && !isObject(params.task)) return 'params.task must be an object';
  return undefined;
}

export function interceptToolCall(ctx: ProxyContext, call: IncomingCall): void {
  const problem = toolCallProblem(call.params);
  if (problem) {
    ctx.log(`refused tools/call ${idJsonOf(call)}: ${problem}`);
    call.reply(errorReply(idJsonOf(call), INVALID_REQUEST, `Invalid tools/call: ${problem}`));
    return;
  }
  const params = call.params as CallParams;
  const args = params.arguments ?? {};
  ctx.session.noteRequestMeta(params._meta);
  const retry = ctx.roundTrips.readRetry(params, Date.now);
  // The proxy's own state never reaches the server, whatever the decision.
  if (retry) call = { ...call, retry, bytes: toolCallBytes(idJsonOf(call), forwardedParams(params, retry.claims)) };
  if (ctx.decisionsWaiting === 0) {
    const decision = decideNow(ctx, params.name, args);
    if (!(decision instanceof Promise)) {
      conclude(ctx, call, params, decision, undefined, undefined);
      return;
    }
    waitFor(ctx, call, params, decision);
    return;
  }
  // Decisions are made one at a time, in the order the calls arrived: the first call the client
  // sent gets the last unit of a budget, and each audit line's counter values are exact.
  waitFor(ctx, call, params, ctx.decisions.then(() => decideNow(ctx, params.name, args)));
}

/** A decision that is not ready yet (a remote counter store, a lock refresh): the call holds its place in the order. */
function waitFor(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Promise<Decision>): void {
  const slot = ctx.toServer.reserve();
  const held: HeldCall = {};
  ctx.inFlight.held.set(call.key, held);
  ctx.decisionsWaiting++;
  const settled = decision.then(
    (value) => value,
    (error: unknown) => internalError(ctx, params.name, error),
  );
  ctx.decisions = settled.then(() => undefined);
  void settled
    .then((value) => {
      ctx.decisionsWaiting--;
      if (ctx.inFlight.held.get(call.key) === held) ctx.inFlight.held.delete(call.key);
      conclude(ctx, call, params, value, slot, held);
    })
    .catch((error: unknown) => {
      // Only a bug gets here; the call must still end, and not reach the server.
      ctx.log(`internal error on tools/call ${idJsonOf(call)}: ${(error as Error).stack ?? String(error)}`);
      ctx.toServer.release(slot);
      call.reply(errorReply(idJsonOf(call), INTERNAL_ERROR, 'policylayer could not handle this call; it was not forwarded'));
    });
}

function conclude(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision, slot: Slot | undefined, held: HeldCall | undefined): void {
  const tool = params.name;
  const args = params.arguments ?? {};
  // A 2026-07-28 retry that carries the proxy's approval state is the same call again: recorded once.
  if (!call.retry) record(ctx, call, tool, args);
  if (held?.cancelled !== undefined) {
    if (slot) ctx.toServer.release(slot);
    endHeldCall(ctx, call, tool, args, decision, held.cancelled);
    return;
  }
  if (decision.outcome === 'deny') {
    if (slot) ctx.toServer.release(slot);
    ctx.stats.denied++;
    if (!audited(ctx, call, tool, args, decision, {})) return;
    deny(ctx, call, params, decision.message, meta(decision), decision.logMessage);
    return;
  }
  if (decision.outcome === 'approval_required') {
    if (slot) ctx.toServer.release(slot);
    if (call.retry && modernElicitation(params._meta)?.ok && answeredInRetry(ctx, call, params, decision)) return;
    void approve(ctx, call, params, decision);
    return;
  }
  if (ctx.auditTurn && ctx.auditor.enabled) {
    forwardAfterAudit(ctx, call, tool, args, decision, slot ?? ctx.toServer.reserve(), ctx.auditTurn);
    if (ctx.auditTurn.length >= AUDIT_TURN_CALLS) settleAuditTurn(ctx);
    return;
  }
  if (!audited(ctx, call, tool, args, decision, {})) {
    if (slot) ctx.toServer.release(slot);
    return;
  }
  forward(ctx, call, tool, decision, slot);
}

/**
 * Inside one chunk of input the call lines of all allowed calls are written together when the
 * chunk is done; each call keeps its place in the order (a slot) and goes out only once its line is
 * on file. If the write fails, the calls are denied instead (fail closed) and never leave.
 */
function forwardAfterAudit(ctx: ProxyContext, call: IncomingCall, tool: string, args: unknown, decision: Decision, slot: Slot, turn: AuditTurn): void {
  try {
    ctx.auditor.call({ grant: ctx.settings.grant, session: ctx.settings.session, id: call.id, tool, args, decision }, 'batched');
  } catch (error) {
    ctx.toServer.release(slot);
    refuseUnaudited(ctx, call, tool, decision, error);
    return;
  }
  ctx.stats.allowed++;
  ctx.inFlight.pending.set(call.key, { method: 'tools/call', id: call.id, exactIdJson: call.exactIdJson, reply: call.reply, startedMs: performance.now(), call: { tool, decision } });
  turn.push(new AuditedCall(ctx, call, tool, decision, slot));
}

/** A call allowed in this turn, waiting for its audit line (an object, not two closures per call: the hot path). */
class AuditedCall {
  constructor(
    private readonly ctx: ProxyContext,
    private readonly call: IncomingCall,
    private readonly tool: string,
    private readonly decision: Decision,
    private readonly slot: Slot,
  ) {}

  written(): void {
    this.ctx.toServer.fill(this.slot, this.call.bytes);
  }

  failed(error: unknown): void {
    const { ctx, call } = this;
    ctx.stats.allowed--;
    ctx.inFlight.pending.delete(call.key);
    ctx.toServer.release(this.slot);
    refuseUnaudited(ctx, call, this.tool, this.decision, error);
  }
}

/**
 * Ends a held call: after notifications/cancelled (`reason` CANCELLED_BY_CLIENT) or at shutdown.
 * The budget comes back at once, before the client's next message is read.
 */
export function cancelHeld(held: HeldCall, reason: string): void {
  if (held.cancelled !== undefined) return;
  held.cancelled = reason;
  held.giveBack?.();
  held.controller?.abort(reason);
}

/** Rolls a decision's reservations back exactly once, however many paths end the call. */
function onceGiveBack(ctx: ProxyContext, decision: Decision): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    ctx.decider.rollback(decision);
  };
}

async function approve(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision): Promise<void> {
  const tool = params.name;
  const args = params.arguments ?? {};
  if (!ctx.inFlight.startApproval()) {
    tooManyApprovals(ctx, call, tool, args, decision);
    return;
  }
  const controller = new AbortController();
  const giveBack = onceGiveBack(ctx, decision);
  const held: HeldCall = { controller, giveBack };
  ctx.inFlight.held.set(call.key, held);
  ctx.stats.approvalAsked++;
  ctx.log(`asking for approval: ${tool} (${decision.rule})`);
  let result: Awaited<ReturnType<typeof requestApproval>>;
  try {
    result = await requestApproval(
      ctx.approvers,
      { tool, args, rule: decision.rule, message: decision.message, grant: ctx.settings.grant, session: ctx.settings.session, requestMeta: params._meta },
      ctx.settings.approvalTimeoutMs,
      controller.signal,
    );
  } finally {
    ctx.inFlight.endApproval();
  }
  if (ctx.inFlight.held.get(call.key) === held) ctx.inFlight.held.delete(call.key);
  if (held.cancelled !== undefined) {
    endHeldCall(ctx, call, tool, args, decision, held.cancelled, 'cancelled', giveBack);
    return;
  }
  if (result.answer === 'accepted') {
    approved(ctx, call, params, decision);
    return;
  }
  giveBack();
  if (result.answer === 'unavailable' && modernElicitation(params._meta)?.ok) {
    askInRoundTrip(ctx, call, params, decision);
    return;
  }
  notApproved(ctx, call, params, decision, result.answer, result.reason);
}

/** Past the cap on calls waiting for a human: not asked, not forwarded, its budget given back, a JSON-RPC error. */
function tooManyApprovals(ctx: ProxyContext, call: IncomingCall, tool: string, args: unknown, decision: Decision): void {
  ctx.decider.rollback(decision);
  ctx.stats.denied++;
  const message = `policylayer: too many calls are waiting for approval (the limit is ${ctx.inFlight.limits.maxHeldApprovals}); this one was not forwarded`;
  ctx.log(`refused ${tool}: ${message}`);
  try {
    ctx.auditor.call({ ...base(ctx, call, tool, args), decision, approval: 'unavailable', message, reservationsKept: false });
  } catch (error) {
    ctx.log(`cannot write the audit log: ${(error as Error).message}`);
  }
  call.reply(errorReply(idJsonOf(call), TOO_MANY_REQUESTS, message));
}

/** The human approved the call: on file first, then forwarded. */
function approved(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision): void {
  ctx.log(`approved: ${params.name}`);
  if (audited(ctx, call, params.name, params.arguments ?? {}, decision, { approval: 'accepted' })) forward(ctx, call, params.name, decision, undefined);
}

/** The call did not get approval (its reservations already given back): denied, saying why. */
function notApproved(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision, answer: Exclude<ApprovalAnswer, 'accepted'>, reason: string): void {
  ctx.stats.denied++;
  const notApprovedBecause = (text: string) => `${/[.!?]$/.test(text) ? text : `${text}.`} Not approved: ${reason}.`;
  const message = notApprovedBecause(decision.message);
  const logMessage = decision.logMessage === undefined ? message : notApprovedBecause(decision.logMessage);
  ctx.log(`not approved: ${params.name}: ${reason}`);
  if (audited(ctx, call, params.name, params.arguments ?? {}, decision, { approval: answer, message: logMessage, reservationsKept: false })) {
    deny(ctx, call, params, message, { ...meta(decision), approval: answer }, logMessage);
  }
}

/**
 * A 2026-07-28 retry that answers the question asked about this very call: accept forwards it,
 * decline or cancel deny it. Returns false (and says why) when the answer cannot be used: the
 * call is then asked about again.
 */
function answeredInRetry(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision): boolean {
  const tool = params.name;
  const args = params.arguments ?? {};
  const judged = ctx.roundTrips.judge(call.retry!, approvalCall(ctx, tool, args, decision), Date.now());
  if (judged.kind === 'ask-again') {
    ctx.log(`asking again to approve ${tool}: the approval its retry carries cannot be used (${judged.why})`);
    return false;
  }
  const { answer, reason } = judged.result;
  if (answer === 'accepted') {
    approved(ctx, call, params, decision);
    return true;
  }
  ctx.decider.rollback(decision);
  notApproved(ctx, call, params, decision, answer, reason);
  return true;
}

/**
 * Asks a 2026-07-28 client that declared elicitation: the question goes back as an input-required
 * result (approval/round-trip.ts), and its retry carries the answer. The caller has given the
 * reservations back: nothing waits in between, and the retry is decided afresh.
 */
function askInRoundTrip(ctx: ProxyContext, call: IncomingCall, params: CallParams, decision: Decision): void {
  const tool = params.name;
  const args = params.arguments ?? {};
  ctx.log(`approval for ${tool}: the question went back in an input-required result; the client's retry carries the answer`);
  if (!audited(ctx, call, tool, args, decision, { approval: 'requested', reservationsKept: false })) return;
  const question = ctx.roundTrips.ask(approvalCall(ctx, tool, args, decision), params, call.retry, Date.now());
  call.reply(resultReply(idJsonOf(call), question));
}

function approvalCall(ctx: ProxyContext, tool: string, args: unknown, decision: Decision): ApprovalCall {
  return { tool, args, rule: decision.rule, message: decision.message, grant: ctx.settings.grant, session: ctx.settings.session };
}

function toolCallBytes(idJson: string, params: Record<string, unknown>): Buffer {
  return Buffer.from(`{"jsonrpc":"2.0","id":${idJson},"method":"tools/call","params":${JSON.stringify(params)}}`);
}

/** A held call ends without reaching the server: cancelled by the client (no answer at all) or cut by shutdown (an error). */
function endHeldCall(
  ctx: ProxyContext,
  call: IncomingCall,
  tool: string,
  args: unknown,
  decision: Decision,
  reason: string,
  approval?: 'cancelled',
  giveBack: () => void = onceGiveBack(ctx, decision),
): void {
  giveBack();
  try {
    ctx.auditor.call({ ...base(ctx, call, tool, args), decision, ...(approval ? { approval } : {}), reservationsKept: false });
  } catch (error) {
    ctx.log(`cannot write the audit log: ${(error as Error).message}`);
  }
  ctx.auditor.result({ id: call.id, tool, ending: 'not-forwarded', latencyMs: 0, error: reason === CANCELLED_BY_CLIENT ? 'cancelled' : 'proxy stopped', rolledBack: decision.reservations.length > 0 });
  if (reason !== CANCELLED_BY_CLIENT) call.reply(errorReply(idJsonOf(call), INTERNAL_ERROR, `policylayer: the call was not forwarded: ${reason}`));
}

function forward(ctx: ProxyContext, call: IncomingCall, tool: string, decision: Decision, slot: Slot | undefined): void {
  ctx.stats.allowed++;
  // The start time only feeds the audit log's latency: no clock read per call without one.
  const startedMs = ctx.auditor.enabled ? performance.now() : 0;
  ctx.inFlight.pending.set(call.key, { method: 'tools/call', id: call.id, exactIdJson: call.exactIdJson, reply: call.reply, startedMs, call: { tool, decision } });
  if (slot) ctx.toServer.fill(slot, call.bytes);
  else ctx.toServer.send(call.bytes);
}

/** `logMessage`: the message without the argument values it names, for stderr (the client gets `message`). */
function deny(ctx: ProxyContext, call: IncomingCall, params: CallParams, message: string, decisionMeta: DecisionMeta, logMessage = message): void {
  ctx.log(`denied ${params.name} by ${decisionMeta.rule}: ${logMessage}`);
  if (params.task !== undefined) {
    call.reply(resultReply(idJsonOf(call), ctx.deniedTasks.create(message, decisionMeta, params.task.ttl, Date.now())));
    return;
  }
  call.reply(resultReply(idJsonOf(call), denialResult(message, decisionMeta, isModernRequest(params))));
}

/**
 * Writes the call's audit line before the proxy acts on it. If the line cannot be written the call
 * is refused: a call the audit log does not show must not run.
 */
function audited(
  ctx: ProxyContext,
  call: IncomingCall,
  tool: string,
  args: unknown,
  decision: Decision,
  extra: { approval?: 'accepted' | 'requested' | Exclude<ApprovalAnswer, 'accepted'>; message?: string; reservationsKept?: boolean },
): boolean {
  if (!ctx.auditor.enabled) return true;
  try {
    // Denials inside a chunk are written with the chunk's other lines, before their answers leave.
    ctx.auditor.call({ ...base(ctx, call, tool, args), decision, ...extra }, ctx.auditTurn && decision.outcome === 'deny' ? 'batched' : 'now');
    return true;
  } catch (error) {
    refuseUnaudited(ctx, call, tool, decision, error);
    return false;
  }
}

function refuseUnaudited(ctx: ProxyContext, call: IncomingCall, tool: string, decision: Decision, error: unknown): void {
  const reason = `the audit log could not be written (${(error as Error).message})`;
  ctx.log(`denied ${tool}: ${reason}`);
  ctx.decider.rollback(decision);
  call.reply(resultReply(idJsonOf(call), denialResult(`policylayer denied the call because ${reason}`, { rule: INTERNAL_ERROR_RULE, outcome: 'deny', retry_after_ms: null }, false)));
}

function base(ctx: ProxyContext, call: IncomingCall, tool: string, args: unknown): { grant: string; session: string; id: string | number; tool: string; args: unknown } {
  return { grant: ctx.settings.grant, session: ctx.settings.session, id: call.id, tool, args };
}

function meta(decision: Decision): DecisionMeta {
  return { rule: decision.rule, outcome: decision.outcome, retry_after_ms: decision.retryAfterMs ?? null };
}

function record(ctx: ProxyContext, call: IncomingCall, tool: string, args: unknown): void {
  if (!ctx.recorder) return;
  try {
    ctx.recorder.record({ ts: new Date().toISOString(), tool, args, grant: ctx.settings.grant, session: ctx.settings.session, id: call.id });
  } catch (error) {
    ctx.log(`cannot write the recording: ${(error as Error).message}`);
  }
}

/**
 * Gates first (a lock may block the tool), then the policy. Synchronous when it can be (counters in
 * memory, no gate waiting for a tools/list). Never fails: an error denies.
 */
function decideNow(ctx: ProxyContext, tool: string, args: Record<string, unknown>): Decision | Promise<Decision> {
  try {
    for (let i = 0; i < ctx.gates.length; i++) {
      const check = ctx.gates[i]!.checkCall(tool, false);
      if (check === 'unknown') return refreshThenDecide(ctx, tool, args);
      if (check !== undefined) return { outcome: 'deny', rule: check.rule, message: check.message, reservations: [] };
    }
    const decision = ctx.decider.decide({ tool, args, grant: ctx.settings.grant, session: ctx.settings.session }, ctx.auditor.enabled ? COUNTED : undefined);
    return decision instanceof Promise ? decision.catch((error: unknown) => internalError(ctx, tool, error)) : decision;
  } catch (error) {
    return internalError(ctx, tool, error);
  }
}

async function refreshThenDecide(ctx: ProxyContext, tool: string, args: Record<string, unknown>): Promise<Decision> {
  await ctx.refreshTools();
  for (const gate of ctx.gates) {
    const check = gate.checkCall(tool, true);
    if (check !== undefined && check !== 'unknown') return { outcome: 'deny', rule: check.rule, message: check.message, reservations: [] };
  }
  return ctx.decider.decide({ tool, args, grant: ctx.settings.grant, session: ctx.settings.session }, ctx.auditor.enabled ? COUNTED : undefined);
}

function internalError(ctx: ProxyContext, tool: string, error: unknown): Decision {
  ctx.log(`internal error while deciding ${tool}: ${(error as Error).stack ?? String(error)}`);
  return {
    outcome: 'deny',
    rule: INTERNAL_ERROR_RULE,
    message: `policylayer could not decide this call (${(error as Error).message}); it was denied to be safe`,
    reservations: [],
  };
}
