/** Small text formatters shared by the `top` screen and its plain summary. All times are UTC, like the log. */

export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `HH:MM:SS` in UTC. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `HH:MM` in UTC. */
export function formatClockMinute(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** `2026-11-24 10:00:00` in UTC. */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A duration for countdowns: `0s`, `42s`, `3m05s`, `5h03m`, `2d04h`; rounds up so a countdown never shows 0 early. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** A coarse "how long ago": `just now`, `12s ago`, `3m ago`, `5h ago`, `2d ago`. */
export function formatAgo(ms: number): string {
  if (ms < 1000) return 'just now';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A bar of `width` cells, filled in proportion to `fraction` (0..1). */
export function formatBar(fraction: number, width: number): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 1;
  const filled = Math.round(clamped * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Cuts text to `width` characters with an ellipsis. Audit text is mostly ASCII; wide characters may overrun slightly. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

/** Hard-wraps each line to `width` characters, so long argument values are shown in full rather than cut. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  const w = Math.max(8, width);
  for (const line of lines) {
    const flat = line.replace(/\t/g, '  ').replace(/\r$/, '');
    if (flat.length <= w) {
      out.push(flat);
      continue;
    }
    for (let i = 0; i < flat.length; i += w) out.push(flat.slice(i, i + w));
  }
  return out;
}
