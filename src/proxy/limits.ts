/** The proxy's default caps on what it holds in memory (in-flight/requests-in-flight.ts); `--max-in-flight`, `--max-held-approvals`. */
export const DEFAULT_MAX_IN_FLIGHT = 4096;
export const DEFAULT_MAX_HELD_APPROVALS = 64;
