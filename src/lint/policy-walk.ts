import type { ApprovalRule, Condition, Limit, PolicyDocument, Rule, ToolRules } from '../policy/schema.js';
import { toPointer } from '../policy/pointer.js';

/** Iteration helpers over a schema-valid policy, with the JSON Pointer of every part. Pure. */

export interface ToolEntry {
  name: string;
  pointer: string;
  rules: ToolRules;
}

/** Each walk is computed once per policy: every rule iterates the same tools, and policies can list thousands. */
function once<T>(compute: (policy: PolicyDocument) => T): (policy: PolicyDocument) => T {
  const cache = new WeakMap<PolicyDocument, T>();
  return (policy) => {
    let value = cache.get(policy);
    if (value === undefined) cache.set(policy, (value = compute(policy)));
    return value;
  };
}

export const toolEntries: (policy: PolicyDocument) => readonly ToolEntry[] = once((policy) =>
  Object.entries(policy.tools ?? {}).map(([name, rules]) => ({ name, pointer: toPointer(['tools', name]), rules })),
);

export type RuleList = 'deny_if' | 'require' | 'require_approval';

export interface ConditionEntry {
  tool: ToolEntry;
  list: RuleList;
  pointer: string;
  condition: Condition;
}

export const conditionEntries: (policy: PolicyDocument) => readonly ConditionEntry[] = once((policy) => {
  const found: ConditionEntry[] = [];
  for (const tool of toolEntries(policy)) {
    for (const list of ['deny_if', 'require', 'require_approval'] as const) {
      const entries: Array<Rule | ApprovalRule> = tool.rules[list] ?? [];
      entries.forEach((entry, i) =>
        (entry.conditions ?? []).forEach((condition, j) => found.push({ tool, list, pointer: `${tool.pointer}/${list}/${i}/conditions/${j}`, condition })),
      );
    }
  }
  return found;
});

export interface LimitEntry {
  /** Absent for `all_tools.limits`. */
  tool?: ToolEntry;
  pointer: string;
  limit: Limit;
}

export const limitEntries: (policy: PolicyDocument) => readonly LimitEntry[] = once((policy) => {
  const found: LimitEntry[] = (policy.all_tools?.limits ?? []).map((limit, i) => ({ pointer: `/all_tools/limits/${i}`, limit }));
  for (const tool of toolEntries(policy)) (tool.rules.limits ?? []).forEach((limit, i) => found.push({ tool, pointer: `${tool.pointer}/limits/${i}`, limit }));
  return found;
});

export function hiddenNames(policy: PolicyDocument): { all: boolean; names: ReadonlySet<string> } {
  const hide = policy.hide ?? [];
  return { all: hide.includes('*'), names: new Set(hide) };
}

const hiddenOnce = once(hiddenNames);

export function isHidden(policy: PolicyDocument, tool: string): boolean {
  const hidden = hiddenOnce(policy);
  return hidden.all || hidden.names.has(tool);
}

/** Index of the first deny_if entry without conditions (it denies every call), or -1. */
export function unconditionalDenyIndex(rules: ToolRules): number {
  return (rules.deny_if ?? []).findIndex((entry) => (entry.conditions ?? []).length === 0);
}

/**
 * Whether some call to the tool can be allowed without a human: not hidden, listed or under default
 * allow, and not denied or sent for approval on every call.
 */
export function reachableWithoutApproval(policy: PolicyDocument, tool: string): boolean {
  if (isHidden(policy, tool)) return false;
  const rules = toolRules(policy, tool);
  if (!rules) return policy.default === 'allow' && !(policy.all_tools?.limits ?? []).some(blocksEveryCall);
  if (unconditionalDenyIndex(rules) >= 0) return false;
  if ([...(policy.all_tools?.limits ?? []), ...(rules.limits ?? [])].some(blocksEveryCall)) return false;
  if ((rules.require_approval ?? []).some((entry) => (entry.conditions ?? []).length === 0)) return false;
  return true;
}

/** A limit of 0 calls: nothing fits. (With increment_from, a call with amount 0 still fits.) */
export function blocksEveryCall(limit: Limit): boolean {
  return limit.max === 0 && limit.increment_from === undefined;
}

/** The tool's rules, without ever reading an inherited property (`constructor`, `__proto__`). */
export function toolRules(policy: PolicyDocument, tool: string): ToolRules | undefined {
  return policy.tools && Object.hasOwn(policy.tools, tool) ? policy.tools[tool] : undefined;
}
