/**
 * ISO 8601 date-times with a time zone, e.g. `2026-11-24T10:00:00.123Z` or `2026-11-24T11:00:00+01:00`.
 * A zone is required: a time without one would mean a different instant on every machine, and
 * windows are aligned to UTC. Seconds and fractions are optional; fractions beyond milliseconds are cut.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export const ISO_TIME_HINT = 'an ISO 8601 time with a time zone, e.g. "2026-11-24T10:00:00Z"';

/** Milliseconds since the Unix epoch, or undefined when `text` is not such a time (or names a day that does not exist). */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(utc).getUTCDate() !== day) return undefined;
  if (m[8]) return utc;
  const offsetHours = Number(m[10]);
  const offsetMinutes = Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  return utc - (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * The canonical form used in output: UTC with milliseconds. Times cluster within seconds (a replay
 * prints one per call, the audit log two per call), so the text up to the second is reused
 * (toISOString costs ~0.5-1 µs). Give each kind of time its own formatter: two that alternate
 * between seconds (now, and a window's end) would keep replacing each other's prefix.
 */
export class IsoTimeFormatter {
  private second = Number.NaN;
  private prefix = '';

  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      const iso = new Date(ms).toISOString();
      // Years beyond 9999 have a longer, signed form: no caching for them.
      if (iso.length !== 24) return iso;
      this.second = second;
      this.prefix = iso.slice(0, 20);
    }
    const millis = ms - second * 1000;
    return `${this.prefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}

const shared = new IsoTimeFormatter();

/** `new Date(ms).toISOString()`, through a shared formatter. */
export function formatIsoTime(ms: number): string {
  return shared.format(ms);
}
