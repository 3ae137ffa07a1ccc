/**
 * The client's requests in flight, and the one way each ends. A request is in flight from the
 * moment the proxy accepts it until the server answers it (or the proxy does, for calls it holds),
 * whatever its method. While it is, its id belongs to it: another request with that id is refused,
 * so a late answer can never be matched to a newer request (issue 15: a cancelled call's late
 * "Request cancelled" error gave a new call's budget back). A cancelled request stays in flight
 * until the server answers it or exits; its answer is then dropped, not passed on.
 *
 * Every forwarded tools/call ends here, once: its budget kept or given back by the engine's rule
 * (src/engine/call-end.ts) and its audit `result` line written. Held calls (being decided, or
 * waiting for a human) have not reached the server; tool-call.ts ends them, giving the budget back.
 *
 * Memory is bounded: at most `maxInFlight` requests in flight and `maxHeldApprovals` calls waiting
 * for approval; past either a request is refused and nothing is forwarded.
 */
import { givesBudgetBack, type CallEnding } from '../../engine/call-end.js';
import { SlotMap } from '../../util/slot-map.js';
import type { CallAuditor } from '../call-audit.js';
import type { HeldCall, PendingRequest } from '../context.js';
import type { Decider } from '../../engine/decider.js';
import type { IdKey } from '../wire/ids.js';

export interface InFlightLimits {
  maxInFlight: number;
  maxHeldApprovals: number;
}

/** How the answer to a forwarded request is told apart, for the audit log. */
export interface EndDetail {
  /** null for a result; otherwise what went wrong (the server's error message, `server exited`, …). */
  error: string | null;
  /** The JSON-RPC error code, when the server answered with one. */
  errorCode?: number;
  isError?: boolean;
}

export class RequestsInFlight {
  /** Forwarded to the server, not answered yet (cancelled ones included). */
  readonly pending = new SlotMap<IdKey, PendingRequest>();
  /** tools/call the proxy holds: being decided, or waiting for a human. */
  readonly held = new SlotMap<IdKey, HeldCall>();
  private approvals = 0;

  constructor(
    readonly limits: InFlightLimits,
    private readonly decider: Decider,
    private readonly auditor: CallAuditor,
  ) {}

  has(key: IdKey): boolean {
    return this.pending.has(key) || this.held.has(key);
  }

  get size(): number {
    return this.pending.size + this.held.size;
  }

  /** Why a request with this id cannot start now; undefined when it can. */
  refusal(key: IdKey): { reason: 'id-in-flight' | 'too-many-in-flight'; message: string } | undefined {
    if (this.has(key)) return { reason: 'id-in-flight', message: 'Invalid Request: this id is already used by a request in progress' };
    if (this.size >= this.limits.maxInFlight) {
      return { reason: 'too-many-in-flight', message: `policylayer: too many requests in flight (the limit is ${this.limits.maxInFlight}); try again when some are answered` };
    }
    return undefined;
  }

  /** A call starts waiting for a human; false when too many already are. */
  startApproval(): boolean {
    if (this.approvals >= this.limits.maxHeldApprovals) return false;
    this.approvals++;
    return true;
  }

  endApproval(): void {
    this.approvals--;
  }

  get waitingForApproval(): number {
    return this.approvals;
  }

  /**
   * The client cancelled a forwarded request: it stays in flight until the server answers (the
   * server may be running it); that answer will be dropped. Returns false when no such request is forwarded.
   */
  cancel(key: IdKey): boolean {
    const pending = this.pending.get(key);
    if (!pending) return false;
    if (!pending.cancelled) {
      pending.cancelled = true;
      // An answer the client gave up on must not hold back the rest of its batch.
      pending.reply.abandon?.();
    }
    return true;
  }

  /** A forwarded request ended: settle its call (budget and audit) and forget it. The caller passes the answer on, or not. */
  end(key: IdKey, pending: PendingRequest, ending: CallEnding, detail: EndDetail, nowMs: number = performance.now()): void {
    this.pending.delete(key);
    const call = pending.call;
    if (!call) return;
    const effective: CallEnding = pending.cancelled ? { kind: 'cancelled', ...('code' in ending ? { code: ending.code } : {}) } : ending;
    const back = givesBudgetBack(effective);
    if (back) this.decider.rollback(call.decision);
    else this.decider.commit(call.decision);
    if (!this.auditor.enabled) return;
    this.auditor.result({
      id: pending.id,
      tool: call.tool,
      ending: effective.kind,
      latencyMs: nowMs - pending.startedMs,
      error: pending.cancelled ? 'cancelled' : detail.error,
      ...(detail.errorCode !== undefined ? { errorCode: detail.errorCode } : {}),
      ...(detail.isError !== undefined ? { isError: detail.isError } : {}),
      rolledBack: back && call.decision.reservations.length > 0,
    });
  }
}
