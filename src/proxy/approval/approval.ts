/**
 * Asking a human to approve one call (policy `require_approval`). Approvers are pluggable: the
 * proxy asks through the client with MCP elicitation; a terminal prompt (`--approve-tty`) can be
 * added as another Approver. They are tried in order; one that cannot ask (no capability, no
 * terminal) answers `unavailable` and the next is tried. Whatever happens, only `accepted` lets
 * the call through, and an approval covers that one call only.
 */
export type ApprovalAnswer = 'accepted' | 'declined' | 'cancelled' | 'timeout' | 'unavailable';

export interface ApprovalRequest {
  tool: string;
  args: unknown;
  /** The require_approval rule (JSON Pointer) and its message for the approver. */
  rule: string;
  message: string;
  grant: string;
  session: string;
  /** `params._meta` of the tools/call, for approvers that depend on the protocol era. */
  requestMeta: unknown;
  /** Aborted when the wait times out or the client cancels the call; approvers must stop asking then. */
  signal: AbortSignal;
  /** When the wait times out (Date.now() scale), for countdowns. */
  deadlineMs: number;
}

export interface ApprovalResult {
  answer: ApprovalAnswer;
  /** For the denial message: why the call did not get approval (empty for accepted). */
  reason: string;
}

export interface Approver {
  readonly name: string;
  ask(request: ApprovalRequest): Promise<ApprovalResult>;
}

export const CANCELLED_BY_CLIENT = 'the client cancelled the call';

/**
 * Runs the approvers in order with one deadline. Resolves `cancelled` with `byClient` when the
 * client's notifications/cancelled ended the wait (the call then gets no answer at all).
 */
export async function requestApproval(
  approvers: readonly Approver[],
  request: Omit<ApprovalRequest, 'signal' | 'deadlineMs'>,
  timeoutMs: number,
  clientCancel: AbortSignal,
): Promise<ApprovalResult & { byClient: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(`no answer within ${formatSeconds(timeoutMs)}`), timeoutMs);
  const onCancel = (): void => controller.abort(CANCELLED_BY_CLIENT);
  clientCancel.addEventListener('abort', onCancel, { once: true });
  if (clientCancel.aborted) onCancel();
  const reasons: string[] = [];
  try {
    for (const approver of approvers) {
      if (controller.signal.aborted) break;
      const result = await approver.ask({ ...request, signal: controller.signal, deadlineMs: Date.now() + timeoutMs });
      if (controller.signal.aborted) break;
      if (result.answer !== 'unavailable') return { ...result, byClient: false };
      reasons.push(result.reason);
    }
    if (controller.signal.aborted) {
      const reason = String(controller.signal.reason);
      if (reason === CANCELLED_BY_CLIENT) return { answer: 'cancelled', reason, byClient: true };
      return { answer: 'timeout', reason, byClient: false };
    }
    return { answer: 'unavailable', reason: reasons.length > 0 ? reasons.join('; ') : 'no way to ask a human is configured', byClient: false };
  } finally {
    clearTimeout(timer);
    clientCancel.removeEventListener('abort', onCancel);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
