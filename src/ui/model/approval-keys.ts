/**
 * The approval prompt's keys as a pure state transition. Approving takes two deliberate keys (`y`
 * or an arrow to focus Approve, then Enter); denying takes one (`n`, Esc, Ctrl+C). Deny has the
 * focus at first, pasted text is ignored, and keys typed before the prompt was armed (typeahead
 * meant for something else on the same terminal) do nothing: a stray key must never approve.
 */
export type ApprovalChoice = 'approve' | 'deny';

export interface ApprovalUiState {
  focus: ApprovalChoice;
  /** First argument line shown, for arguments longer than the screen. */
  scroll: number;
}

export const INITIAL_APPROVAL_UI: ApprovalUiState = { focus: 'deny', scroll: 0 };

export interface ApprovalKey {
  input: string;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export type ApprovalKeyResult = { state: ApprovalUiState; answer?: 'accepted' | 'declined' };

export interface ApprovalKeyContext {
  /** How far the argument lines can scroll (lines − visible lines). */
  maxScroll: number;
  visibleLines: number;
  /** False during the short delay after the prompt appears. */
  armed: boolean;
}

export function approvalKey(state: ApprovalUiState, key: ApprovalKey, context: ApprovalKeyContext): ApprovalKeyResult {
  if (key.ctrl && key.input === 'c') return { state, answer: 'declined' };
  if (!context.armed) return { state };
  if (key.escape) return { state, answer: 'declined' };
  if (key.return) return { state, answer: state.focus === 'approve' ? 'accepted' : 'declined' };
  const { maxScroll, visibleLines } = context;
  const scrollTo = (scroll: number) => ({ state: { ...state, scroll: Math.max(0, Math.min(maxScroll, scroll)) } });
  if (key.upArrow) return scrollTo(state.scroll - 1);
  if (key.downArrow) return scrollTo(state.scroll + 1);
  if (key.pageUp) return scrollTo(state.scroll - Math.max(1, visibleLines - 1));
  if (key.pageDown) return scrollTo(state.scroll + Math.max(1, visibleLines - 1));
  if (key.leftArrow || key.rightArrow || key.tab) return { state: { ...state, focus: state.focus === 'approve' ? 'deny' : 'approve' } };
  switch (key.input) {
    case 'y':
    case 'Y':
      return { state: { ...state, focus: 'approve' } };
    case 'n':
    case 'N':
      return { state, answer: 'declined' };
    default:
      return { state };
  }
}
