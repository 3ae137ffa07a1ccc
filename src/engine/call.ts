import type { Call } from './types.js';

/** The grant of a call that names none: PolicyLayer's identity label for "this machine". */
export const DEFAULT_GRANT = 'local';
/** The session of a call that names none (explain, test cases, recordings without `session`). */
export const DEFAULT_SESSION = 'default';

/** When a call that names no time is decided (replay, policy tests): a UTC day, hour and minute boundary, plainly synthetic. */
export const DEFAULT_START_MS = Date.UTC(2000, 0, 1);

/** A call with the documented defaults: no arguments is `{}`, grant `local`, session `default`. */
export function makeCall(tool: string, options: { args?: unknown; grant?: string; session?: string } = {}): Call {
  return { tool, args: options.args ?? {}, grant: options.grant ?? DEFAULT_GRANT, session: options.session ?? DEFAULT_SESSION };
}
