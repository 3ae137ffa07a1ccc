/** The approval prompt's behaviour: keys, the countdown, and the short delay before keys count. */
import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { approvalKey, INITIAL_APPROVAL_UI, type ApprovalUiState } from '../model/approval-keys.js';
import { wrapLines } from '../model/format.js';
import { ApprovalPrompt } from './ApprovalPrompt.js';

export interface ApprovalDetails {
  tool: string;
  rule: string;
  message: string;
  grant: string;
  /** The arguments as text, one member a line (src/proxy/arg-summary.ts). */
  argumentsText: string;
  /** When the wait ends (Date.now() scale). */
  deadlineMs: number;
}

export interface ApprovalAppProps {
  details: ApprovalDetails;
  columns: number;
  rows: number;
  onAnswer(answer: 'accepted' | 'declined'): void;
  /** Keys typed within this many milliseconds of the prompt appearing are ignored. */
  armAfterMs?: number;
  now?: () => number;
}

/** Lines the prompt needs besides the arguments: border, title, fields, headings, buttons, help. */
const CHROME_LINES = 14;

export function ApprovalApp({ details, columns, rows, onAnswer, armAfterMs = 400, now = Date.now }: ApprovalAppProps) {
  const [ui, setUi] = useState<ApprovalUiState>(INITIAL_APPROVAL_UI);
  const current = useRef(ui);
  const answered = useRef(false);
  const [shownAt] = useState(now);
  const [, tick] = useState(0);
  const width = Math.max(40, Math.min(columns, 120));
  const argLines = wrapLines(details.argumentsText.split('\n'), width - 6);
  const visibleLines = Math.max(3, rows - CHROME_LINES);
  const armed = now() - shownAt >= armAfterMs;

  useEffect(() => {
    const clock = setInterval(() => tick((n) => n + 1), 1000);
    const arm = setTimeout(() => tick((n) => n + 1), armAfterMs);
    return () => {
      clearInterval(clock);
      clearTimeout(arm);
    };
  }, [armAfterMs]);

  useInput((input, key) => {
    if (answered.current) return;
    const result = approvalKey(current.current, { input, ...key }, { maxScroll: Math.max(0, argLines.length - visibleLines), visibleLines, armed: now() - shownAt >= armAfterMs });
    current.current = result.state;
    setUi(result.state);
    if (result.answer) {
      answered.current = true;
      onAnswer(result.answer);
    }
  });

  return (
    <ApprovalPrompt
      tool={details.tool}
      rule={details.rule}
      message={details.message}
      grant={details.grant}
      argLines={argLines}
      scroll={ui.scroll}
      visibleLines={visibleLines}
      focus={ui.focus}
      remainingMs={details.deadlineMs - now()}
      armed={armed}
      width={width}
    />
  );
}
