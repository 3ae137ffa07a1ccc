/**
 * Parses one audit log line (src/audit/types.ts) for readers such as `policylayer top`. It checks
 * the fields a reader relies on, by hand rather than with a schema: `top` parses thousands of lines
 * a second and must say exactly why a line is unreadable. Hash-chain checking is `audit verify`'s job.
 */
import { AUDIT_APPROVALS, AUDIT_FORMAT_VERSION, AUDIT_REFUSAL_REASONS, type AuditCallEntry, type AuditCounter, type AuditEntry } from './types.js';

export type ParsedAuditLine = { ok: true; entry: AuditEntry } | { ok: false; reason: string };

const OUTCOMES = new Set(['allow', 'deny', 'approval_required']);
const APPROVALS: ReadonlySet<string> = new Set(AUDIT_APPROVALS);
const SCOPES = new Set(['grant', 'session', 'global']);
const WINDOWS = new Set(['minute', 'hour', 'day']);
const LIFECYCLE = new Set(['start', 'reload', 'stop']);
const REFUSAL_REASONS: ReadonlySet<string> = new Set(AUDIT_REFUSAL_REASONS);

export function parseAuditLine(line: string): ParsedAuditLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  if (record.v !== AUDIT_FORMAT_VERSION) return { ok: false, reason: `unsupported format version ${JSON.stringify(record.v)}` };
  if (typeof record.seq !== 'number' || !Number.isSafeInteger(record.seq)) return { ok: false, reason: '"seq" is not an integer' };
  if (typeof record.ts !== 'string' || Number.isNaN(Date.parse(record.ts))) return { ok: false, reason: '"ts" is not a time' };
  switch (record.event) {
    case 'call':
      return checkCall(record);
    case 'result':
      if (typeof record.tool !== 'string') return { ok: false, reason: 'result line without "tool"' };
      if (typeof record.latency_ms !== 'number') return { ok: false, reason: 'result line without "latency_ms"' };
      if (record.error !== null && typeof record.error !== 'string') return { ok: false, reason: 'result line with a non-string "error"' };
      return { ok: true, entry: record as unknown as AuditEntry };
    case 'checkpoint':
    case 'seal':
      if (typeof record.count !== 'number' || typeof record.head !== 'string') return { ok: false, reason: `${record.event} line without "count" and "head"` };
      return { ok: true, entry: record as unknown as AuditEntry };
    case 'refused':
      if (typeof record.reason !== 'string' || !REFUSAL_REASONS.has(record.reason)) return { ok: false, reason: `refused line with reason ${JSON.stringify(record.reason)}` };
      return { ok: true, entry: record as unknown as AuditEntry };
    default:
      if (typeof record.event === 'string' && LIFECYCLE.has(record.event)) return { ok: true, entry: record as unknown as AuditEntry };
      return { ok: false, reason: `unknown event ${JSON.stringify(record.event)}` };
  }
}

function checkCall(record: Record<string, unknown>): ParsedAuditLine {
  if (typeof record.tool !== 'string') return { ok: false, reason: 'call line without "tool"' };
  if (typeof record.outcome !== 'string' || !OUTCOMES.has(record.outcome)) return { ok: false, reason: `call line with outcome ${JSON.stringify(record.outcome)}` };
  if (typeof record.rule !== 'string') return { ok: false, reason: 'call line without "rule"' };
  if (typeof record.message !== 'string') return { ok: false, reason: 'call line without "message"' };
  if (record.approval !== undefined && !(typeof record.approval === 'string' && APPROVALS.has(record.approval))) {
    return { ok: false, reason: `call line with approval ${JSON.stringify(record.approval)}` };
  }
  if (record.retry_after_ms !== undefined && typeof record.retry_after_ms !== 'number') return { ok: false, reason: '"retry_after_ms" is not a number' };
  if (record.counters !== undefined) {
    if (!Array.isArray(record.counters)) return { ok: false, reason: '"counters" is not an array' };
    for (const counter of record.counters) {
      if (!isCounter(counter)) return { ok: false, reason: 'a counter lacks counter, scope, window, resets_at, used or max' };
    }
  }
  return { ok: true, entry: record as unknown as AuditCallEntry };
}

function isCounter(value: unknown): value is AuditCounter {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.counter === 'string' &&
    typeof c.scope === 'string' &&
    SCOPES.has(c.scope) &&
    typeof c.scope_id === 'string' &&
    typeof c.window === 'string' &&
    WINDOWS.has(c.window) &&
    typeof c.resets_at === 'string' &&
    !Number.isNaN(Date.parse(c.resets_at)) &&
    (typeof c.used === 'number' || (c.used === undefined && typeof c.counted === 'string')) &&
    typeof c.max === 'number'
  );
}
