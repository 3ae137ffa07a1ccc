/** Shows the approval prompt on a terminal's streams and resolves with the human's answer. */
import { render, Text } from 'ink';
import { formatClock } from '../model/format.js';
import { ApprovalApp, type ApprovalDetails } from './ApprovalApp.js';

export interface PromptApprovalOptions {
  /** The terminal, opened for this prompt (never the process's stdin/stdout: those carry MCP). */
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  details: ApprovalDetails;
  /** Aborted on timeout or when the client cancels the call: the prompt closes unanswered. */
  signal: AbortSignal;
  armAfterMs?: number;
}

export type PromptAnswer = 'accepted' | 'declined' | 'aborted';

export function promptApproval(options: PromptApprovalOptions): Promise<PromptAnswer> {
  const { input, output, details, signal } = options;
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    let finished = false;
    const finish = (answer: PromptAnswer, line: string, color: string) => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', onAbort);
      // Out of the key handler first: the prompt is replaced by one line that stays as a record.
      setImmediate(() => {
        instance.rerender(<Text color={color}>{line}</Text>);
        instance.unmount();
        void instance.waitUntilExit().finally(() => resolve(answer));
      });
    };
    const onAbort = () => finish('aborted', `policylayer: ${details.tool} not approved: ${String(signal.reason ?? 'the wait ended')} (${formatClock(Date.now())} UTC)`, 'yellow');
    const onAnswer = (answer: 'accepted' | 'declined') =>
      answer === 'accepted'
        ? finish('accepted', `policylayer: approved ${details.tool} (${formatClock(Date.now())} UTC)`, 'green')
        : finish('declined', `policylayer: denied ${details.tool} (${formatClock(Date.now())} UTC)`, 'red');
    // The bell: the human may be looking at another window.
    output.write('\u0007');
    const instance = render(
      <ApprovalApp details={details} columns={output.columns || 80} rows={output.rows || 24} onAnswer={onAnswer} {...(options.armAfterMs !== undefined ? { armAfterMs: options.armAfterMs } : {})} />,
      { stdin: input, stdout: output, stderr: output, exitOnCtrlC: false, patchConsole: false },
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
