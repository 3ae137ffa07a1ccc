import { summarizeArguments } from './arg-summary.js';
import type { ApprovalRequest, ApprovalResult, Approver } from './approval.js';
import type { OwnRequests } from '../in-flight/own-requests.js';
import { type ClientSession } from '../session.js';
import { isObject } from '../../util/json.js';
import { visibleText } from '../../util/visible-text.js';

/**
 * Asks the human through the client: an `elicitation/create` form with one required boolean,
 * `approve`. Only for a client that declared the elicitation capability in a session negotiated at
 * 2025-06-18 or later (the spec forbids sending it otherwise). Accept with `approve: true` is the
 * only yes; decline, cancel, `approve: false`, a malformed answer or a JSON-RPC error are no.
 */
export class ElicitationApprover implements Approver {
  readonly name = 'elicitation';

  constructor(
    private readonly session: ClientSession,
    private readonly requests: OwnRequests,
  ) {}

  async ask(request: ApprovalRequest): Promise<ApprovalResult> {
    const support = this.session.elicitation(request.requestMeta);
    if (!support.ok) return { answer: 'unavailable', reason: support.reason };
    const answer = await this.requests.request('elicitation/create', approvalForm(request, support.sendMode), request.signal);
    if ('closed' in answer) return { answer: 'cancelled', reason: answer.closed };
    if ('error' in answer) {
      const message = typeof answer.error.message === 'string' ? answer.error.message : 'unknown error';
      return { answer: 'unavailable', reason: `the client could not show the approval request (${message})` };
    }
    return readApprovalAnswer(answer.result);
  }
}

/** What the proxy shows the human: the params of its `elicitation/create`, in either protocol era. */
export type ApprovalSubject = Pick<ApprovalRequest, 'tool' | 'args' | 'rule' | 'message' | 'grant'>;

export function approvalForm(request: ApprovalSubject, sendMode: boolean): Record<string, unknown> {
  return {
    ...(sendMode ? { mode: 'form' } : {}),
    message: approvalMessage(request),
    requestedSchema: {
      type: 'object',
      properties: {
        approve: { type: 'boolean', title: `Allow this call to ${request.tool}?`, description: 'Approves this one call only.' },
      },
      required: ['approve'],
    },
  };
}

/** An ElicitResult read as an answer: accept with `approve: true` is the only yes. */
export function readApprovalAnswer(result: unknown): ApprovalResult {
  if (!isObject(result)) return { answer: 'declined', reason: 'the client answered the approval request with something that is not a result' };
  if (result.action === 'accept') {
    if (isObject(result.content) && result.content.approve === true) return { answer: 'accepted', reason: '' };
    return { answer: 'declined', reason: 'the user did not approve it' };
  }
  if (result.action === 'decline') return { answer: 'declined', reason: 'the user declined' };
  if (result.action === 'cancel') return { answer: 'cancelled', reason: 'the user dismissed the approval request' };
  return { answer: 'declined', reason: `the client answered with action ${JSON.stringify(result.action)}` };
}

/** Escaped like the terminal prompt: a client's dialog must not show other code than would run (a CR, a bidi override). */
function approvalMessage(request: ApprovalSubject): string {
  return [
    `policylayer: the policy asks you to approve this call before it runs.`,
    ``,
    `Tool: ${visibleText(request.tool)}`,
    `Arguments:`,
    visibleText(summarizeArguments(request.args), { keepNewlines: true })
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
    ``,
    `Why: ${visibleText(request.message)} (rule ${request.rule})`,
    `Grant: ${visibleText(request.grant)}`,
  ].join('\n');
}
