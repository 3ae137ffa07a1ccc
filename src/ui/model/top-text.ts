/** The words of the live `top` screen's title, status and filter lines, and the colour level of a budget: pure, so the ink components only lay them out. */
import { formatAgo, formatClockMinute, formatCount } from './format.js';
import { proxyLine } from './summary.js';
import type { CounterRow, TopFilter, TopView } from './top-view.js';

/** The right end of the title line: the pause state, or the call rate and the clock. */
export function titleStatus(view: TopView, paused: boolean, unseenLines: number): string {
  return paused ? `PAUSED · ${formatCount(unseenLines)} new lines` : `${view.rate.toFixed(1)} calls/s · ${formatClockMinute(view.nowMs)} UTC`;
}

/** The second line: what the proxy said about itself and when the last event happened. */
export function statusLine(view: TopView, file: string): string {
  if (view.health.exists === false) return `waiting for ${file} to appear`;
  const last = view.proxy.lastEventMs === undefined ? 'never' : formatAgo(view.nowMs - view.proxy.lastEventMs);
  return `${proxyLine(view)} · last event ${last}`;
}

export function filterLine(filter: TopFilter): { text: string; active: boolean } {
  return { text: `tool: ${filter.tool ?? 'all'}  outcome: ${filter.outcome}`, active: filter.tool !== undefined || filter.outcome !== 'all' };
}

/** How close a counter is to its limit: spent, low (a fifth or less left) or fine. */
export function budgetLevel(row: Pick<CounterRow, 'left' | 'max'>): 'spent' | 'low' | 'fine' {
  if (row.left === 0) return 'spent';
  return row.left / (row.max || 1) <= 0.2 ? 'low' : 'fine';
}
