import type { RefusalReason } from '../audit/types.js';
import type { Decision } from '../engine/types.js';
import type { LocalReply } from '../transport/upstream.js';
import type { Approver } from './approval/approval.js';
import type { ApprovalRoundTrips } from './approval/round-trip.js';
import type { CallAuditor } from './call-audit.js';
import type { Decider } from '../engine/decider.js';
import type { DeniedTasks } from './denied-tasks.js';
import type { RequestId } from './wire/ids.js';
import type { OrderedForwarder } from './in-flight/ordered-forwarder.js';
import type { OwnRequests } from './in-flight/own-requests.js';
import type { Recorder } from './recorder.js';
import type { ClientSession } from './session.js';
import type { StreamWriter } from './wire/stream-writer.js';
import type { ToolGate } from './gates/tool-gates.js';
import type { RequestsInFlight } from './in-flight/requests-in-flight.js';

/**
 * Where the answer to one client request goes: the client's stdout, or the array of a batch
 * (whose `abandon` says no answer will come for that member: the client cancelled it).
 */
export type Reply = ((line: Buffer) => void) & { abandon?: () => void };

/** A tools/call that was forwarded: what to commit or roll back and what to audit when it ends. */
export interface ForwardedCall {
  tool: string;
  decision: Decision;
}

/** A client request the server has not answered yet. */
export interface PendingRequest extends RequestId {
  method: string;
  reply: Reply;
  startedMs: number;
  call?: ForwardedCall;
  /** The client cancelled it after it was forwarded: its answer is dropped when it comes. */
  cancelled?: boolean;
}

/** A tools/call the proxy holds (being decided, or waiting for approval): it has not reached the server. */
export interface HeldCall {
  /** Set when the call ends before it is forwarded: the client cancelled it, or the proxy is stopping. */
  cancelled?: string;
  /** Present while a human is being asked; aborting it ends the approval request. */
  controller?: AbortController;
  /** Gives the call's reserved budget back, once; set while the reservation is held. */
  giveBack?: () => void;
}

/** Calls allowed while one chunk of input is handled, waiting for their audit lines to be written. */
export type AuditTurn = Array<{ written: () => void; failed: (error: unknown) => void }>;

export interface ProxySettings {
  grant: string;
  session: string;
  approvalTimeoutMs: number;
}

/** Everything the message handlers share. One per proxy run. */
export interface ProxyContext {
  settings: ProxySettings;
  log(message: string): void;
  /** Lines to the client (responses, server messages, the proxy's own requests). */
  toClient: StreamWriter;
  /** Reply for a request that came alone (not in a batch): straight to the client. */
  replyToClient: Reply;
  /** Client messages to the server, in order. */
  toServer: OrderedForwarder;
  /** The server's stdin without ordering (the proxy's own requests). */
  serverWriter: StreamWriter;
  /** The client's requests in flight: their ids, and the one way each ends. */
  inFlight: RequestsInFlight;
  session: ClientSession;
  clientRequests: OwnRequests;
  serverRequests: OwnRequests;
  decider: Decider;
  gates: ToolGate[];
  approvers: Approver[];
  /** require_approval for 2026-07-28 clients: input-required results and their retries. */
  roundTrips: ApprovalRoundTrips;
  deniedTasks: DeniedTasks;
  auditor: CallAuditor;
  /** Set while one chunk of input is handled: allowed calls wait here for the chunk's audit write. */
  auditTurn: AuditTurn | undefined;
  recorder: Recorder | undefined;
  /** The tail of the queue of decisions not made at once (they are made one at a time, in arrival order). */
  decisions: Promise<void>;
  decisionsWaiting: number;
  /** Lists the server's tools itself (for gates that must see a tool before allowing it). */
  refreshTools(): Promise<void>;
  stats: ProxyStats;
  /**
   * Whether the answer to a request was made up by the upstream (a remote server's connection
   * failed), and whether the request may have reached the server; reading it forgets it.
   */
  localReply: ((id: string | number) => LocalReply | undefined) | undefined;
}

/** Counted for the line the proxy logs when it stops. */
export interface ProxyStats {
  allowed: number;
  denied: number;
  approvalAsked: number;
  refused: number;
}

/** A client message refused before any decision: framing, shape, ids, limits. Never argument values. */
export interface RefusalRecord {
  reason: RefusalReason;
  detail: string;
  id?: string | number;
  method?: string;
  tool?: string;
}
