import type { Window } from '../policy/schema.js';

const LENGTH_MS: Record<Window, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Fixed windows aligned to UTC, as PolicyLayer's Intercept does: a minute resets at :00 seconds,
 * an hour at the top of the hour, a day at 00:00 UTC. Unix time has no leap seconds, so plain
 * division is exact.
 */
export function windowStart(window: Window, nowMs: number): number {
  const length = LENGTH_MS[window];
  return Math.floor(nowMs / length) * length;
}

export function windowEnd(window: Window, nowMs: number): number {
  return windowStart(window, nowMs) + LENGTH_MS[window];
}

export function windowLengthMs(window: Window): number {
  return LENGTH_MS[window];
}
