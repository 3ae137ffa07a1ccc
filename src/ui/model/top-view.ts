/**
 * What the `top` screen and the plain summary show, derived from a TopModel at one moment with one
 * filter: rows already sorted, counters already moved to their current window, decisions filtered.
 */
import { windowEnd } from '../../engine/windows.js';
import { formatAgo, formatClockMinute, formatDuration } from './format.js';
import type { CallClass } from './classify.js';
import type { CounterState, DecisionRecord, LogHealth, ProxyState, ToolStats, TopModel } from './top-model.js';

export const OUTCOME_FILTERS = ['all', 'allowed', 'denied', 'limited', 'approval'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export interface TopFilter {
  /** Only this tool; undefined for every tool. */
  tool?: string;
  outcome: OutcomeFilter;
}

export const NO_FILTER: TopFilter = { outcome: 'all' };

export interface CounterRow {
  counter: string;
  /** `grant local`, `session 3f2c…`, `global`. */
  scope: string;
  window: CounterState['window'];
  /** Used in the current window: 0 when the reported window has passed. */
  used: number;
  max: number;
  left: number;
  resetsInMs: number;
  /** True when the window the log reported has ended, so the budget is full again. */
  renewed: boolean;
  tools: string[];
}

export interface TopView {
  nowMs: number;
  filter: TopFilter;
  proxy: ProxyState;
  health: LogHealth;
  /** Calls per second over the last 10 seconds of log time. */
  rate: number;
  /** Every tool, busiest first. */
  tools: ToolStats[];
  totals: ToolStats;
  /** Counters (of the filtered tool), closest to exhaustion first. */
  counters: CounterRow[];
  /** Matching decisions, newest first, at most the requested number. */
  decisions: DecisionRecord[];
  /** How many of the remembered decisions match the filter. */
  matchingDecisions: number;
}

export function matchesOutcome(cls: CallClass, filter: OutcomeFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'approval') return cls === 'approved' || cls === 'refused' || cls === 'asked';
  return cls === filter;
}

export function buildTopView(model: TopModel, filter: TopFilter, nowMs: number, maxDecisions: number): TopView {
  const tools = [...model.tools.values()].sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
  const totals: ToolStats = { tool: 'TOTAL', calls: 0, allowed: 0, denied: 0, limited: 0, approved: 0, refused: 0, asked: 0, errors: 0, lastMs: 0 };
  for (const t of tools) {
    totals.calls += t.calls;
    totals.allowed += t.allowed;
    totals.denied += t.denied;
    totals.limited += t.limited;
    totals.approved += t.approved;
    totals.refused += t.refused;
    totals.asked += t.asked;
    totals.errors += t.errors;
    totals.lastMs = Math.max(totals.lastMs, t.lastMs);
  }
  const counters: CounterRow[] = [];
  for (const state of model.counters.values()) {
    if (filter.tool !== undefined && !state.tools.has(filter.tool)) continue;
    counters.push(counterRow(state, nowMs));
  }
  counters.sort((a, b) => a.left / (a.max || 1) - b.left / (b.max || 1) || a.resetsInMs - b.resetsInMs || a.counter.localeCompare(b.counter) || a.scope.localeCompare(b.scope));
  const decisions: DecisionRecord[] = [];
  let matching = 0;
  for (let i = 0; i < model.recentCount; i++) {
    const record = model.recentAt(i)!;
    if (filter.tool !== undefined && record.tool !== filter.tool) continue;
    if (!matchesOutcome(record.cls, filter.outcome)) continue;
    matching++;
    if (decisions.length < maxDecisions) decisions.push(record);
  }
  return {
    nowMs,
    filter,
    proxy: { ...model.proxy },
    health: { ...model.health },
    rate: model.callRate(nowMs),
    tools,
    totals,
    counters,
    decisions,
    matchingDecisions: matching,
  };
}

function counterRow(state: CounterState, nowMs: number): CounterRow {
  const renewed = nowMs >= state.resetsAtMs;
  const used = renewed ? 0 : state.used;
  const resetsAt = renewed ? windowEnd(state.window, nowMs) : state.resetsAtMs;
  return {
    counter: state.counter,
    scope: state.scope === 'global' ? 'global' : `${state.scope} ${state.scopeId}`,
    window: state.window,
    used,
    max: state.max,
    left: Math.max(0, state.max - used),
    resetsInMs: resetsAt - nowMs,
    renewed,
    tools: [...state.tools].sort(),
  };
}

/**
 * Everything on the screen that changes with time alone (countdowns, "last event … ago", the call
 * rate, the clock to the minute). The screen redraws each second only when this changes, so an
 * idle dashboard without counters costs nothing between minutes.
 */
export function timeDependentText(model: TopModel, nowMs: number): string {
  const parts = [formatClockMinute(nowMs), model.callRate(nowMs).toFixed(1)];
  if (model.proxy.lastEventMs !== undefined) parts.push(formatAgo(nowMs - model.proxy.lastEventMs));
  for (const state of model.counters.values()) {
    const row = counterRow(state, nowMs);
    parts.push(`${formatDuration(row.resetsInMs)}${row.renewed ? '+' : ''}`);
  }
  return parts.join('|');
}

/** The next value in a cycle: the filter keys step through tools and outcomes this way. */
export function cycle<T>(values: readonly T[], current: T, step: 1 | -1): T {
  if (values.length === 0) return current;
  const index = values.indexOf(current);
  return values[(index + step + values.length) % values.length]!;
}

/** Tool filter cycle: every tool, then each tool by name. */
export function nextToolFilter(toolNames: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  const options: Array<string | undefined> = [undefined, ...[...toolNames].sort()];
  return cycle(options, current, step);
}

export interface TopLayout {
  toolRows: number;
  counterRows: number;
  decisionRows: number;
}

/**
 * Splits the terminal's height between the three tables. Fixed lines: title, proxy status, log
 * health, the three table headings, the totals row, two blank separators and the key help. Tools
 * get what they need up to half, counters up to a quarter, decisions the rest; a short terminal
 * drops decisions first.
 */
export function layoutTop(height: number, toolCount: number, counterCount: number): TopLayout {
  const fixed = 11;
  const free = Math.max(0, height - fixed);
  const toolRows = Math.min(Math.max(toolCount, 1), Math.max(1, Math.floor(free / 2)));
  const counterRows = Math.min(Math.max(counterCount, 1), Math.max(1, Math.floor(free / 4)));
  const decisionRows = Math.max(0, free - toolRows - counterRows);
  return { toolRows, counterRows, decisionRows };
}
