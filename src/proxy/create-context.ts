/**
 * Builds the state the message handlers share (ProxyContext) from the parts only a running proxy
 * has: the two writers, the decider, the audit log and recording. run.ts wires it to a server
 * process; the benchmark of the proxy's work per call wires it to in-memory streams.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Decider } from '../engine/decider.js';
import type { LocalReply } from '../transport/upstream.js';
import type { Approver } from './approval/approval.js';
import { ApprovalRoundTrips } from './approval/round-trip.js';
import type { CallAuditor } from './call-audit.js';
import type { ProxyContext, ProxySettings } from './context.js';
import { DeniedTasks } from './denied-tasks.js';
import { ElicitationApprover } from './approval/elicitation-approver.js';
import { OrderedForwarder } from './in-flight/ordered-forwarder.js';
import { OwnRequests } from './in-flight/own-requests.js';
import type { Recorder } from './recorder.js';
import { ClientSession } from './session.js';
import type { StreamWriter } from './wire/stream-writer.js';
import { refreshToolsVia } from './gates/tools-refresh.js';
import { RequestsInFlight, type InFlightLimits } from './in-flight/requests-in-flight.js';
import { DEFAULT_MAX_HELD_APPROVALS, DEFAULT_MAX_IN_FLIGHT } from './limits.js';
import { PolicyHideGate, type ToolGate } from './gates/tool-gates.js';

export interface ContextParts {
  settings: ProxySettings;
  log(message: string): void;
  toClient: StreamWriter;
  serverWriter: StreamWriter;
  decider: Decider;
  auditor: CallAuditor;
  recorder?: Recorder | undefined;
  /** Gates besides the policy's hide (e.g. a lock file). */
  gates?: ToolGate[] | undefined;
  /** The approvers to try in order; default: elicitation through the client. */
  approvers?: ((builtIn: { elicitation: Approver }) => Approver[]) | undefined;
  /** Caps on requests in flight and calls waiting for approval (defaults in limits.ts). */
  limits?: Partial<InFlightLimits> | undefined;
  /** For an upstream that answers requests itself when the server cannot (src/transport/upstream.ts). */
  localReply?: ((id: string | number) => LocalReply | undefined) | undefined;
}

export function createProxyContext(parts: ContextParts): ProxyContext {
  const { settings, log, toClient, serverWriter, decider } = parts;
  const session = new ClientSession();
  const clientRequests = new OwnRequests((line) => toClient.writeLine(line));
  const serverRequests = new OwnRequests((line) => serverWriter.writeLine(line));
  const gates: ToolGate[] = [new PolicyHideGate(() => decider.policy), ...(parts.gates ?? [])];
  const elicitation = new ElicitationApprover(session, clientRequests);
  const limits: InFlightLimits = {
    maxInFlight: parts.limits?.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    maxHeldApprovals: parts.limits?.maxHeldApprovals ?? DEFAULT_MAX_HELD_APPROVALS,
  };
  return {
    settings,
    log,
    toClient,
    replyToClient: (line) => toClient.writeLine(line),
    toServer: new OrderedForwarder(serverWriter),
    serverWriter,
    inFlight: new RequestsInFlight(limits, decider, parts.auditor),
    session,
    clientRequests,
    serverRequests,
    decider,
    gates,
    approvers: parts.approvers ? parts.approvers({ elicitation }) : [elicitation],
    roundTrips: new ApprovalRoundTrips(randomBytes(32), settings.approvalTimeoutMs, randomUUID),
    deniedTasks: new DeniedTasks(),
    auditor: parts.auditor,
    auditTurn: undefined,
    recorder: parts.recorder,
    decisions: Promise.resolve(),
    decisionsWaiting: 0,
    refreshTools: refreshToolsVia(serverRequests, gates, log, () => session.ownRequestMeta()),
    stats: { allowed: 0, denied: 0, approvalAsked: 0, refused: 0 },
    localReply: parts.localReply,
  };
}
