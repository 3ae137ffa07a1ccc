/** What each key does in `policylayer top`, as a pure state transition (tested without a terminal). */
import { cycle, nextToolFilter, OUTCOME_FILTERS, type TopFilter } from './top-view.js';

export interface TopUiState {
  filter: TopFilter;
  paused: boolean;
}

export const INITIAL_TOP_UI: TopUiState = { filter: { outcome: 'all' }, paused: false };

export interface KeyPress {
  input: string;
  escape?: boolean;
  ctrl?: boolean;
}

export type TopKeyResult = { state: TopUiState; quit?: boolean };

export const TOP_KEY_HELP = 'q quit  p pause  t/T tool  o/O outcome  c clear filters';

export function topKey(state: TopUiState, key: KeyPress, toolNames: readonly string[]): TopKeyResult {
  if (key.ctrl && key.input === 'c') return { state, quit: true };
  if (key.escape) return { state: { ...state, filter: { outcome: 'all' } } };
  switch (key.input) {
    case 'q':
      return { state, quit: true };
    case 'p':
    case ' ':
      return { state: { ...state, paused: !state.paused } };
    case 't':
    case 'T':
      return { state: withTool(state, nextToolFilter(toolNames, state.filter.tool, key.input === 't' ? 1 : -1)) };
    case 'o':
    case 'O':
      return { state: { ...state, filter: { ...state.filter, outcome: cycle(OUTCOME_FILTERS, state.filter.outcome, key.input === 'o' ? 1 : -1) } } };
    case 'c':
      return { state: { ...state, filter: { outcome: 'all' } } };
    default:
      return { state };
  }
}

function withTool(state: TopUiState, tool: string | undefined): TopUiState {
  const filter: TopFilter = { outcome: state.filter.outcome };
  if (tool !== undefined) filter.tool = tool;
  return { ...state, filter };
}
