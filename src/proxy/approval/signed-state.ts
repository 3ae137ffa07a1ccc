/**
 * The `requestState` of the proxy's own 2026-07-28 approval round trip (MRTR). The client must echo
 * it byte for byte on its retry, and it is attacker-controlled, so it carries everything the proxy
 * needs to judge the retry and an HMAC-SHA256 over it under a key that lives only in this proxy
 * process: the tool, a digest of the arguments, the rule that asked, grant and session, an expiry
 * and a nonce (one use). A server's own requestState and inputResponses that came with the call are
 * carried inside, so they reach the server when the approved call does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isObject } from '../../util/json.js';

const PREFIX = 'policylayer-approval.v1.';

export interface ApprovalClaims {
  tool: string;
  argsSha256: string;
  /** The require_approval rule (JSON Pointer) the human was asked about. */
  rule: string;
  grant: string;
  session: string;
  expiresMs: number;
  nonce: string;
  /** The server's requestState on the call the proxy intercepted, restored when it is forwarded. */
  serverState?: string;
  /** The server's inputResponses on that call, restored likewise. */
  serverResponses?: Record<string, unknown>;
}

export type StateReading = { ok: true; claims: ApprovalClaims } | { ok: false; problem: string };

/** Whether a requestState is one this proxy issued (whether or not it verifies). */
export function isApprovalState(state: unknown): state is string {
  return typeof state === 'string' && state.startsWith(PREFIX);
}

export function signApprovalState(claims: ApprovalClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}${payload}.${mac(payload, key)}`;
}

export function readApprovalState(state: string, key: Buffer, nowMs: number): StateReading {
  const body = state.slice(PREFIX.length);
  const dot = body.indexOf('.');
  if (!state.startsWith(PREFIX) || dot < 0) return { ok: false, problem: 'it is malformed' };
  const payload = body.slice(0, dot);
  const given = Buffer.from(body.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(payload, key), 'base64url');
  // A proxy that restarted has a new key: its earlier approvals no longer verify.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'it was not issued by this proxy process' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'it is malformed' };
  }
  if (!isClaims(claims)) return { ok: false, problem: 'it is malformed' };
  if (claims.expiresMs <= nowMs) return { ok: false, problem: 'the time to answer it ran out' };
  return { ok: true, claims };
}

function mac(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(PREFIX).update(payload).digest('base64url');
}

function isClaims(value: unknown): value is ApprovalClaims {
  if (!isObject(value)) return false;
  const strings = ['tool', 'argsSha256', 'rule', 'grant', 'session', 'nonce'] as const;
  return (
    strings.every((name) => typeof value[name] === 'string') &&
    typeof value.expiresMs === 'number' &&
    (value.serverState === undefined || typeof value.serverState === 'string') &&
    (value.serverResponses === undefined || isObject(value.serverResponses))
  );
}
