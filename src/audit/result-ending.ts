/**
 * How an audit `result` line's call ended, for readers that settle budgets as the proxy did
 * (replay). Lines carry `ending` since the proxy applies src/engine/call-end.ts's rule; older lines
 * are read from their `error`, `rolled_back` and `latency_ms` (a call the proxy held and never
 * forwarded has latency 0), and a server error without its code is taken to keep the budget.
 */
import type { CallEnding, CallEndingKind } from '../engine/call-end.js';

const KINDS: ReadonlySet<string> = new Set<CallEndingKind>(['result', 'error', 'not-forwarded', 'cancelled', 'server-gone', 'answer-lost']);

export function endingOfResultLine(record: Record<string, unknown>): CallEnding {
  const code = record.error_code;
  if (typeof record.ending === 'string' && KINDS.has(record.ending)) {
    const kind = record.ending as CallEndingKind;
    return kind === 'error' || kind === 'cancelled' ? { kind, code } : ({ kind } as CallEnding);
  }
  const { error } = record;
  if (error === null || error === undefined) return { kind: 'result' };
  if (error === 'cancelled') return record.rolled_back === true ? { kind: 'not-forwarded' } : { kind: 'cancelled' };
  if (error === 'proxy stopped') return record.latency_ms === 0 ? { kind: 'not-forwarded' } : { kind: 'server-gone' };
  if (error === 'server exited') return { kind: 'server-gone' };
  if (error === 'response too large') return { kind: 'answer-lost' };
  return { kind: 'error', code };
}
