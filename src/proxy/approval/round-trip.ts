/**
 * require_approval for a 2026-07-28 client (multi round-trip requests). That era has no
 * server-to-client requests: the proxy answers the tools/call with an input-required result holding
 * its approval form and a signed requestState (signed-state.ts), and the client retries the call
 * under a new id with the human's answer in `inputResponses` and the state echoed. Nothing is held
 * in between; the retry is decided afresh, and the answer counts only for the call it was asked
 * about (same tool, arguments, rule, grant and session), once, before the approval timeout.
 */
import { argumentsHash } from '../call-audit.js';
import type { ApprovalResult } from './approval.js';
import { isApprovalState, readApprovalState, signApprovalState, type ApprovalClaims } from './signed-state.js';
import { approvalForm, readApprovalAnswer, type ApprovalSubject } from './elicitation-approver.js';
import { isObject } from '../../util/json.js';

/** The proxy's key in `inputRequests` and `inputResponses`. */
export const APPROVAL_INPUT_KEY = 'policylayer/approval';

/** Spent nonces are forgotten once they expire; this many may pile up before a sweep. */
const SWEEP_AFTER = 1024;

/** A retried tools/call that carries this proxy's requestState. */
export interface ApprovalRetry {
  /** Undefined when the state does not verify. */
  claims: ApprovalClaims | undefined;
  problem: string | undefined;
  /** The client's entry under APPROVAL_INPUT_KEY in `inputResponses`. */
  response: unknown;
}

export type RetryJudgement = { kind: 'answered'; result: ApprovalResult } | { kind: 'ask-again'; why: string };

export interface ApprovalCall extends ApprovalSubject {
  session: string;
}

export class ApprovalRoundTrips {
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly ttlMs: number,
    private readonly newNonce: () => string,
  ) {}

  /**
   * Reads a tools/call's params for this proxy's requestState; undefined when it carries none. The
   * clock is read only then: this runs on every call.
   */
  readRetry(params: Record<string, unknown>, clock: () => number): ApprovalRetry | undefined {
    if (!isApprovalState(params.requestState)) return undefined;
    const reading = readApprovalState(params.requestState, this.key, clock());
    const response = isObject(params.inputResponses) ? params.inputResponses[APPROVAL_INPUT_KEY] : undefined;
    return reading.ok ? { claims: reading.claims, problem: undefined, response } : { claims: undefined, problem: reading.problem, response };
  }

  /** The input-required result that asks the human about this call. */
  ask(call: ApprovalCall, params: Record<string, unknown>, retry: ApprovalRetry | undefined, nowMs: number): Record<string, unknown> {
    const claims: ApprovalClaims = {
      tool: call.tool,
      argsSha256: argumentsHash(call.args),
      rule: call.rule,
      grant: call.grant,
      session: call.session,
      expiresMs: nowMs + this.ttlMs,
      nonce: this.newNonce(),
      ...serverInput(params, retry),
    };
    return {
      resultType: 'input_required',
      inputRequests: { [APPROVAL_INPUT_KEY]: { method: 'elicitation/create', params: approvalForm(call, true) } },
      requestState: signApprovalState(claims, this.key),
    };
  }

  /** Whether the retry answers the question asked about this very call; spends the approval when it does. */
  judge(retry: ApprovalRetry, call: ApprovalCall, nowMs: number): RetryJudgement {
    const claims = retry.claims;
    if (!claims) return { kind: 'ask-again', why: retry.problem ?? 'it does not verify' };
    const other = mismatch(claims, call);
    if (other) return { kind: 'ask-again', why: `it was given for ${other}` };
    if (this.spent.has(claims.nonce)) return { kind: 'ask-again', why: 'it was already used' };
    if (retry.response === undefined) return { kind: 'ask-again', why: `the retry has no answer under inputResponses["${APPROVAL_INPUT_KEY}"]` };
    this.spend(claims, nowMs);
    return { kind: 'answered', result: readApprovalAnswer(retry.response) };
  }

  private spend(claims: ApprovalClaims, nowMs: number): void {
    if (this.spent.size >= SWEEP_AFTER) for (const [nonce, expiresMs] of this.spent) if (expiresMs <= nowMs) this.spent.delete(nonce);
    this.spent.set(claims.nonce, claims.expiresMs);
  }
}

/**
 * The params a retried call is forwarded with: the proxy's state and its answer removed, the
 * server's own requestState and inputResponses (carried in the proxy's state) put back.
 */
export function forwardedParams(params: Record<string, unknown>, claims: ApprovalClaims | undefined): Record<string, unknown> {
  const { requestState: _proxyState, inputResponses, ...rest } = params;
  const responses: Record<string, unknown> = { ...claims?.serverResponses };
  if (isObject(inputResponses)) for (const [key, value] of Object.entries(inputResponses)) if (key !== APPROVAL_INPUT_KEY) responses[key] = value;
  return {
    ...rest,
    ...(Object.keys(responses).length > 0 ? { inputResponses: responses } : {}),
    ...(claims?.serverState !== undefined ? { requestState: claims.serverState } : {}),
  };
}

/** What of the server's own round trip the call carried, to keep inside the proxy's state. */
function serverInput(params: Record<string, unknown>, retry: ApprovalRetry | undefined): Pick<ApprovalClaims, 'serverState' | 'serverResponses'> {
  if (retry) {
    const { serverState, serverResponses } = retry.claims ?? {};
    return { ...(serverState !== undefined ? { serverState } : {}), ...(serverResponses ? { serverResponses } : {}) };
  }
  return {
    ...(typeof params.requestState === 'string' ? { serverState: params.requestState } : {}),
    ...(isObject(params.inputResponses) ? { serverResponses: params.inputResponses } : {}),
  };
}

function mismatch(claims: ApprovalClaims, call: ApprovalCall): string | undefined {
  if (claims.tool !== call.tool) return `another tool (${claims.tool})`;
  if (claims.argsSha256 !== argumentsHash(call.args)) return 'other arguments';
  if (claims.rule !== call.rule) return `another rule (${claims.rule})`;
  if (claims.grant !== call.grant || claims.session !== call.session) return 'another grant or session';
  return undefined;
}
