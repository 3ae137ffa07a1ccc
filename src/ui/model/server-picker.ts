/**
 * The `wrap`/`unwrap` picker as pure state: one row per server entry found, a checkbox on each that
 * can be chosen (remote servers are shown but cannot be), the cursor, and the keys.
 */
import type { WizardKey } from './wizard.js';

export interface PickerRow {
  name: string;
  /** "Cursor (user)", "Claude Code (local: /home/u/p)". */
  client: string;
  file: string;
  /** The command line or url. */
  target: string;
  /** "not wrapped", "wrapped", "remote: not wrappable yet". */
  status: string;
  selectable: boolean;
  preselected: boolean;
}

export interface PickerState {
  rows: readonly PickerRow[];
  checked: boolean[];
  cursor: number;
  /** Set when Enter was pressed with nothing checked. */
  hint?: string | undefined;
}

/** The wizard's keys without left and right, which the picker does not use. */
export type PickerKey = Omit<WizardKey, 'leftArrow' | 'rightArrow'>;

export type PickerResult = { state: PickerState; done?: { chosen: number[] } | 'quit' };

export function initialPicker(rows: readonly PickerRow[]): PickerState {
  const first = rows.findIndex((row) => row.selectable);
  return { rows, checked: rows.map((row) => row.selectable && row.preselected), cursor: Math.max(0, first) };
}

export function chosenRows(state: PickerState): number[] {
  return state.checked.flatMap((checked, i) => (checked ? [i] : []));
}

export function pickerKey(state: PickerState, key: PickerKey): PickerResult {
  const count = state.rows.length;
  const settled = state.hint ? { ...state, hint: undefined } : state;
  if ((key.ctrl && key.input === 'c') || key.escape || key.input === 'q') return { state: settled, done: 'quit' };
  if (count === 0) return { state: settled };
  const move = (to: number) => ({ state: { ...settled, cursor: Math.max(0, Math.min(count - 1, to)) } });
  if (key.upArrow || key.input === 'k') return { state: { ...settled, cursor: (settled.cursor - 1 + count) % count } };
  if (key.downArrow || key.input === 'j' || key.tab) return { state: { ...settled, cursor: (settled.cursor + 1) % count } };
  if (key.pageUp) return move(settled.cursor - 10);
  if (key.pageDown) return move(settled.cursor + 10);
  if (key.input === ' ' || key.input === 'x') {
    if (!settled.rows[settled.cursor]!.selectable) return { state: { ...settled, hint: `${settled.rows[settled.cursor]!.name}: ${settled.rows[settled.cursor]!.status}` } };
    const checked = [...settled.checked];
    checked[settled.cursor] = !checked[settled.cursor];
    return { state: { ...settled, checked } };
  }
  if (key.input === 'a') {
    const selectable = settled.rows.map((row) => row.selectable);
    const all = selectable.every((ok, i) => !ok || settled.checked[i]);
    return { state: { ...settled, checked: selectable.map((ok) => ok && !all) } };
  }
  if (key.return) {
    const chosen = chosenRows(settled);
    if (chosen.length === 0) return { state: { ...settled, hint: 'nothing chosen: Space chooses a server, q quits' } };
    return { state: settled, done: { chosen } };
  }
  return { state: settled };
}

/** The rows that fit `height`, keeping the cursor in view. */
export function visibleWindow(state: PickerState, height: number): { start: number; end: number } {
  const size = Math.max(1, height);
  const start = Math.max(0, Math.min(state.cursor - Math.floor(size / 2), state.rows.length - size));
  return { start, end: Math.min(state.rows.length, start + size) };
}
