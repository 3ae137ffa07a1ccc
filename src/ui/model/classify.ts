import type { AuditCallEntry } from '../../audit/types.js';

/**
 * What `top` counts a decided call as. `limited` is a deny by a limit rule (it carries a retry
 * time); `approved` and `refused` are calls a human was asked about; `asked` is an approval request
 * whose answer the line does not carry (also the question of a 2026-07-28 round trip, `requested`:
 * its answer comes on the retry's own line).
 */
export const CALL_CLASSES = ['allowed', 'denied', 'limited', 'approved', 'refused', 'asked'] as const;
export type CallClass = (typeof CALL_CLASSES)[number];

const LIMIT_RULE = /^\/(tools\/.+|all_tools)\/limits\/\d+$/;

export function classifyCall(entry: Pick<AuditCallEntry, 'outcome' | 'rule' | 'retry_after_ms' | 'approval'>): CallClass {
  if (entry.approval !== undefined && entry.approval !== 'requested') return entry.approval === 'accepted' ? 'approved' : 'refused';
  if (entry.outcome === 'allow') return 'allowed';
  if (entry.outcome === 'approval_required') return 'asked';
  // A retry time means a limit, unless the rule is a label such as (state unavailable).
  const byLimit = LIMIT_RULE.test(entry.rule) || (entry.retry_after_ms !== undefined && !entry.rule.startsWith('('));
  return byLimit ? 'limited' : 'denied';
}
