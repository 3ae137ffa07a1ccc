/**
 * The plain summary `policylayer top --once` prints (and `top` without a terminal): the same figures
 * as the live screen, as text for people and CI logs or as JSON for scripts. No ink here: it runs in
 * the CLI bundle, where ink cannot load.
 */
import { formatClock, formatCount, formatDateTime, formatDuration, truncate } from './format.js';
import type { ToolStats } from './top-model.js';
import type { CounterRow, TopView } from './top-view.js';

export const SUMMARY_DECISIONS = 10;

interface Column<T> {
  title: string;
  value: (row: T) => string;
  right?: boolean;
}

function table<T>(columns: Array<Column<T>>, rows: T[]): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)];
}

export function toolColumns(showAsked: boolean): Array<Column<ToolStats>> {
  const n = (pick: (s: ToolStats) => number) => (s: ToolStats) => formatCount(pick(s));
  return [
    { title: 'TOOL', value: (s) => s.tool },
    { title: 'CALLS', value: n((s) => s.calls), right: true },
    { title: 'ALLOWED', value: n((s) => s.allowed), right: true },
    { title: 'DENIED', value: n((s) => s.denied), right: true },
    { title: 'LIMITED', value: n((s) => s.limited), right: true },
    { title: 'APPROVED', value: n((s) => s.approved), right: true },
    { title: 'REFUSED', value: n((s) => s.refused), right: true },
    ...(showAsked ? [{ title: 'ASKED', value: n((s) => s.asked), right: true }] : []),
    { title: 'ERRORS', value: n((s) => s.errors), right: true },
  ];
}

export function counterUsage(row: CounterRow): string {
  return `${formatCount(row.used)}/${formatCount(row.max)}`;
}

export function proxyLine(view: TopView): string {
  const { proxy } = view;
  const parts: string[] = [];
  if (proxy.status === 'unknown') parts.push('no start line seen');
  else if (proxy.status === 'running') parts.push(`running since ${formatSince(proxy.startedMs ?? 0, view.nowMs)} UTC`);
  else parts.push('stopped');
  if (proxy.policy !== undefined) parts.push(`policy ${proxy.policy}${proxy.policySha256 ? ` (sha256 ${proxy.policySha256.slice(0, 12)})` : ''}`);
  if (proxy.lastReload) parts.push(`last reload ${formatClock(proxy.lastReload.tsMs)}: ${proxy.lastReload.detail}`);
  return parts.join(', ');
}

/** A time of the same UTC day as `nowMs` without its date. */
function formatSince(ms: number, nowMs: number): string {
  return new Date(ms).toISOString().slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10) ? formatClock(ms) : formatDateTime(ms);
}

/** A decision's rule relative to its tool's rules (`limits/0`, `require_approval/0`), which is what fits on a screen. */
export function shortRule(rule: string, tool: string): string {
  const prefix = `/tools/${tool.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (rule === prefix) return '(tool entry)';
  if (rule.startsWith(`${prefix}/`)) return rule.slice(prefix.length + 1);
  return rule;
}

export function healthLine(view: TopView): string {
  const h = view.health;
  const parts = [
    `${formatCount(h.lines)} lines`,
    `${formatCount(h.calls)} calls`,
    `${formatCount(h.results)} results`,
    `${formatCount(h.unreadable)} unreadable${h.lastUnreadable ? ` (last: line ${h.lastUnreadable.line}, ${h.lastUnreadable.reason})` : ''}`,
  ];
  if (h.seqGaps > 0) parts.push(`${formatCount(h.missingLines)} missing in ${formatCount(h.seqGaps)} sequence gap${h.seqGaps === 1 ? '' : 's'}`);
  if (h.seqRestarts > 0) parts.push(`sequence restarted ${h.seqRestarts}×`);
  if (h.rotations > 0) parts.push(`rotated ${h.rotations}×`);
  if (h.truncations > 0) parts.push(`truncated ${h.truncations}×`);
  if (h.readError !== undefined) parts.push(`read error: ${h.readError}`);
  return parts.join(', ');
}

export function formatSummaryText(view: TopView, file: string): string {
  const out: string[] = [];
  out.push(`policylayer top: ${file} at ${formatDateTime(view.nowMs)} UTC`);
  out.push(`proxy: ${proxyLine(view)}`);
  out.push(`log: ${healthLine(view)}`);
  out.push('');
  if (view.tools.length === 0) out.push('No calls yet.');
  else out.push(...table(toolColumns(view.totals.asked > 0), [...view.tools, view.totals]));
  out.push('');
  if (view.counters.length === 0) out.push('No counters reported.');
  else {
    out.push(
      ...table<CounterRow>(
        [
          { title: 'COUNTER', value: (c) => c.counter },
          { title: 'SCOPE', value: (c) => c.scope },
          { title: 'WINDOW', value: (c) => c.window },
          { title: 'USED/MAX', value: counterUsage, right: true },
          { title: 'LEFT', value: (c) => formatCount(c.left), right: true },
          { title: 'RESETS IN', value: (c) => formatDuration(c.resetsInMs), right: true },
        ],
        view.counters,
      ),
    );
  }
  if (view.decisions.length > 0) {
    out.push('');
    out.push(`LAST ${view.decisions.length} DECISIONS`);
    out.push(
      ...table(
        [
          { title: 'TIME', value: (d) => formatClock(d.tsMs) },
          { title: 'OUTCOME', value: (d) => d.cls },
          { title: 'TOOL', value: (d) => d.tool },
          { title: 'RULE', value: (d) => d.rule },
          { title: 'MESSAGE', value: (d) => truncate(d.message, 120) },
        ],
        view.decisions,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The JSON summary: stable field names in snake_case like the audit log, times as ISO strings. */
export function formatSummaryJson(view: TopView, file: string): string {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const summary = {
    version: 1,
    file,
    generated_at: iso(view.nowMs),
    proxy: {
      status: view.proxy.status,
      policy: view.proxy.policy ?? null,
      policy_sha256: view.proxy.policySha256 ?? null,
      started_at: iso(view.proxy.startedMs),
      last_event_at: iso(view.proxy.lastEventMs),
      last_reload: view.proxy.lastReload ? { at: iso(view.proxy.lastReload.tsMs), detail: view.proxy.lastReload.detail } : null,
    },
    log: {
      lines: view.health.lines,
      calls: view.health.calls,
      results: view.health.results,
      unreadable: view.health.unreadable,
      last_unreadable: view.health.lastUnreadable ?? null,
      sequence_gaps: view.health.seqGaps,
      missing_lines: view.health.missingLines,
      sequence_restarts: view.health.seqRestarts,
      rotations: view.health.rotations,
      truncations: view.health.truncations,
    },
    tools: view.tools.map(toolJson),
    totals: toolJson(view.totals),
    counters: view.counters.map((c) => ({
      counter: c.counter,
      scope: c.scope,
      window: c.window,
      used: c.used,
      max: c.max,
      left: c.left,
      resets_in_ms: c.resetsInMs,
      tools: c.tools,
    })),
    recent: view.decisions.map((d) => ({
      seq: d.seq,
      ts: iso(d.tsMs),
      tool: d.tool,
      outcome: d.cls,
      rule: d.rule,
      message: d.message,
      grant: d.grant,
      ...(d.retryAfterMs !== undefined ? { retry_after_ms: d.retryAfterMs } : {}),
      ...(d.approval !== undefined ? { approval: d.approval } : {}),
    })),
  };
  return `${JSON.stringify(summary, null, 2)}\n`;
}

function toolJson(s: ToolStats) {
  return {
    tool: s.tool,
    calls: s.calls,
    allowed: s.allowed,
    denied: s.denied,
    limited: s.limited,
    approved: s.approved,
    refused: s.refused,
    asked: s.asked,
    errors: s.errors,
  };
}
