/**
 * The audit log: JSON Lines, one object a line, appended and flushed as written, hash-chained
 * (with a key: a chain of HMACs), each proxy run ending with a seal line.
 * Documented in docs/audit-log.md. Argument values never appear here (only their keys and a
 * SHA-256 of their canonical JSON); `--record` writes full calls separately.
 */
import type { CallEndingKind } from '../engine/call-end.js';
import type { Outcome } from '../engine/types.js';

export const AUDIT_FORMAT_VERSION = 1;

/**
 * How a call that needed approval ended: the human's answer, or `requested` when a 2026-07-28
 * client was sent the question in an input-required result (its retry, a new request, carries
 * the answer). Every value but `accepted` means the call did not run and kept no budget.
 */
export const AUDIT_APPROVALS = ['accepted', 'declined', 'cancelled', 'timeout', 'unavailable', 'requested'] as const;

interface AuditBase {
  /** Format version. */
  v: typeof AUDIT_FORMAT_VERSION;
  /** ISO 8601 UTC time with milliseconds. */
  ts: string;
  /** 1, 2, 3, … across the whole file, so a removed line is visible even where hashes still chain. */
  seq: number;
  /**
   * The previous line's chain value (hex): the SHA-256 of its exact bytes without its newline, or
   * with a key their HMAC-SHA256; a run's first line always uses SHA-256; 64 zeros on the first line.
   */
  prev: string;
}

/** The state of one counter after a decision, so dashboards need not replay the policy. */
export interface AuditCounter {
  counter: string;
  scope: 'grant' | 'session' | 'global';
  scope_id: string;
  window: 'minute' | 'hour' | 'day';
  /** ISO time the window resets. */
  resets_at: string;
  /** After this call. Absent for a limit that counts an argument's value (`counted`): the sum would reveal the values. */
  used?: number;
  max: number;
  /** For a limit with increment_from: the argument path it counts (`args.amount`). */
  counted?: string;
}

/** One decided tools/call: written when the decision is made, before anything is forwarded. */
export interface AuditCallEntry extends AuditBase {
  event: 'call';
  grant: string;
  session: string;
  /** The JSON-RPC id of the client's request, as sent (string or number). */
  request_id: string | number | null;
  tool: string;
  outcome: Outcome;
  /** `true` when the proxy acted on the outcome (always, until a shadow mode exists). */
  enforced: boolean;
  /** JSON Pointer into the policy, or (hidden), (default deny), (default allow), (approval), (internal error), (state unavailable). */
  rule: string;
  message: string;
  retry_after_ms?: number;
  arg_keys: string[];
  /** SHA-256 (hex) of the canonical JSON of the arguments (keys sorted, no whitespace); without `--audit-key`. */
  args_sha256?: string;
  /** With `--audit-key`: HMAC-SHA256 of the same JSON under a key derived from the audit key, instead of `args_sha256`. */
  args_hmac_sha256?: string;
  counters?: AuditCounter[];
  /**
   * Set when the counter store (`--state`) could not be reached and the call needed counters: the
   * decision followed `--state-fail-mode` and counted nothing. `closed`: denied with rule
   * (state unavailable); `open`: allowed (or asked for approval) without its limits. docs/state.md.
   */
  state_unavailable?: { fail_mode: 'closed' | 'open'; error: string };
  /** For require_approval: how it ended (AUDIT_APPROVALS). */
  approval?: (typeof AUDIT_APPROVALS)[number];
}

/** What happened upstream to a call that was forwarded: its latency and any error; counters rolled back on error. */
export interface AuditResultEntry extends AuditBase {
  event: 'result';
  request_id: string | number | null;
  tool: string;
  latency_ms: number;
  /**
   * `null` on success; otherwise the JSON-RPC error message from the server, `server exited`,
   * `cancelled` (the client cancelled it), `response too large`, or `proxy stopped`.
   */
  error: string | null;
  /** The JSON-RPC error code, when the server answered with an error. */
  error_code?: number;
  /**
   * How the call ended (src/engine/call-end.ts): `result`, `error`, `not-forwarded` (held calls),
   * `cancelled`, `server-gone`, `answer-lost`. Absent in logs written before it existed.
   */
  ending?: CallEndingKind;
  /** The tool ran but reported failure (`isError: true`); counters are kept. */
  is_error?: boolean;
  /** Whether the call's budget was given back: only when it provably did not run (src/engine/call-end.ts). */
  rolled_back: boolean;
}

/** Why the proxy refused a client message before deciding anything (docs/audit-log.md). */
export const AUDIT_REFUSAL_REASONS = [
  'not-utf8',
  'not-json',
  'line-break',
  'duplicate-member',
  'case-variant-member',
  'invalid-message',
  'id-in-flight',
  'too-many-in-flight',
  'too-many-approvals',
  'too-large',
] as const;
export type RefusalReason = (typeof AUDIT_REFUSAL_REASONS)[number];

/** A client message the proxy refused, so nothing of it was forwarded: never its argument values. */
export interface AuditRefusedEntry extends AuditBase {
  event: 'refused';
  grant: string;
  session: string;
  reason: RefusalReason;
  detail: string;
  /** The JSON-RPC id, method and tool name, when the message had them. */
  request_id?: string | number;
  method?: string;
  tool?: string;
}

/** Proxy lifecycle: start (with the policy's SHA-256), policy reloads (accepted or rejected) and stop. */
export interface AuditLifecycleEntry extends AuditBase {
  event: 'start' | 'reload' | 'stop';
  /** The policy file as given (start, reload). */
  policy?: string;
  /** SHA-256 (hex) of the policy text (start, and accepted reloads). */
  policy_sha256?: string;
  /** start: `grant … session …`; reload: `accepted`, `unchanged` or `rejected: …`; stop: why. */
  detail?: string;
  /** start and stop: the grant and session of this proxy, so readers need not look back. */
  grant?: string;
  session?: string;
  /** start: the upstream server command line. */
  server?: string[];
  /** stop: the server's exit code (null when a signal ended it) and signal. */
  exit_code?: number | null;
  signal?: string | null;
  /**
   * On a run's first line (the start line): how this run's lines are chained. Its presence also says
   * the run ends with a seal line when it stops cleanly (logs written before seals have no `chain`).
   */
  chain?: 'sha256' | 'hmac-sha256';
  /** With chain `hmac-sha256`: which key (src/audit/key.ts), never the key itself. */
  key_id?: string;
}

/**
 * `checkpoint`: written every so many lines and seconds; `seal`: the last line of a run that stopped
 * cleanly. `head` is always the last member: the chain value of the line without it, which a reader
 * can publish elsewhere and check later (`audit verify --head`).
 */
export interface AuditMarkEntry extends AuditBase {
  event: 'checkpoint' | 'seal';
  /** The number of lines the head covers: lines 1 to `count` of the file, this one included. */
  count: number;
  head: string;
}

export type AuditEntry = AuditCallEntry | AuditResultEntry | AuditLifecycleEntry | AuditMarkEntry | AuditRefusedEntry;

export const GENESIS_HASH = '0'.repeat(64);
