/**
 * Keys from the wrong format: PolicyLayer's catalogue FAQ boilerplate (`rate_limit` blocks with a
 * numeric `window`, `action: deny`, `reason`) and Intercept's YAML (`rules`, `name`, `state`).
 * Neither is PolicyLayer's JSON v1 (policy-format.md §3.6, §4, §8); instead of a bare "unknown key",
 * say what to write. Pure; used by schema-findings for `unrecognized_keys` issues.
 */

import type { ObjectKind } from '../policy/object-kind.js';

export const FOREIGN_SYNTAX_RULE_ID = 'foreign-syntax';

const SECONDS_TO_WINDOW: Record<number, string> = { 60: 'minute', 3600: 'hour', 86400: 'day' };
const WINDOW_WORDS = ['minute', 'hour', 'day'];

/** The window a FAQ-style number of seconds or an Intercept-style word means, if any. */
export function windowFor(value: unknown): string | undefined {
  if (typeof value === 'number') return SECONDS_TO_WINDOW[value];
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase().replace(/s$/, '');
    return WINDOW_WORDS.includes(word) ? word : undefined;
  }
  return undefined;
}

/** `{max: 10, window: 60}` or `"10/minute"` → the equivalent limit object, as JSON text. */
function limitFromRateLimit(counter: string, value: unknown): string {
  let max: unknown;
  let window: string | undefined;
  if (typeof value === 'string') {
    const match = /^\s*(\d+)\s*\/\s*(\w+)\s*$/.exec(value);
    if (match) {
      max = Number(match[1]);
      window = windowFor(match[2]);
    }
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const block = value as Record<string, unknown>;
    max = block.max ?? block.limit ?? block.calls;
    window = windowFor(block.window ?? block.per ?? block.period);
  }
  const maxText = typeof max === 'number' && Number.isSafeInteger(max) && max >= 0 ? String(max) : '10';
  return `{ "counter": "${counter}", "window": "${window ?? 'minute'}", "max": ${maxText}, "scope": "grant" }`;
}

/**
 * A message for a key that belongs to another format, or undefined when the key is just unknown.
 * `tool` is the tool's name when the object is (or is inside) a tool entry.
 */
export function foreignSyntaxMessage(kind: ObjectKind | undefined, key: string, value: unknown, tool: string | undefined): string | undefined {
  const name = tool ?? '<tool>';
  switch (kind) {
    case 'policy':
      if (key === 'rules') return '"rules" is Intercept\'s YAML format, not PolicyLayer JSON v1; write per-tool rules under "tools" (see docs/policy-language.md)';
      if (key === 'identities' || key === 'grants')
        return `"${key}" is not part of the policy language: identities are grants, and a limit with "scope": "grant" gives each grant its own budget`;
      if (key === 'rate_limit')
        return `"rate_limit" (from PolicyLayer's catalogue FAQ text) is not part of JSON v1; to limit every tool write "all_tools": { "limits": [${limitFromRateLimit('all_calls', value)}] }`;
      return undefined;
    case 'tool':
      switch (key) {
        case 'rate_limit':
          return `"rate_limit" (from PolicyLayer's catalogue FAQ text or Intercept) is not part of JSON v1; write "limits": [${limitFromRateLimit(`${name}_rate`, value)}]`;
        case 'action':
          if (value === 'allow') return '"action" is not part of JSON v1; an empty object {} allows the tool under "default": "deny"';
          return '"action" is not part of JSON v1; to block the tool write "deny_if": [{ "conditions": [], "on_deny": "…" }], or add it to "hide" to remove it from the tool list';
        case 'reason':
        case 'message':
          return `"${key}" is not part of JSON v1; the message the agent sees is "on_deny" inside a deny_if, require or limits entry`;
        case 'on_deny':
          return '"on_deny" belongs inside a deny_if, require or limits entry, not directly on the tool';
        case 'conditions':
          return '"conditions" belong inside a deny_if, require or require_approval entry, not directly on the tool';
        case 'rules':
          return '"rules" is Intercept\'s YAML format, not PolicyLayer JSON v1; write "deny_if", "require" and "limits" (see docs/policy-language.md)';
        case 'state':
          return '"state" is Intercept\'s counter syntax; write a "limits" entry, with "increment_from" to count an argument';
        case 'allow':
        case 'deny':
        case 'hide':
          return `"${key}" is not a tool key; ${key === 'allow' ? 'list the tool with {} to allow it' : key === 'deny' ? 'write "deny_if": [{ "conditions": [], "on_deny": "…" }] to deny it' : 'put the tool name in the top-level "hide" list'}`;
        default:
          return undefined;
      }
    case 'rule':
      if (key === 'reason' || key === 'message') return `"${key}" is not a key of a deny_if or require entry; the message is "on_deny"`;
      if (key === 'name') return 'entries have no "name"; decisions name them by their JSON Pointer, e.g. /tools/<tool>/deny_if/0';
      if (key === 'action') return '"action" is Intercept\'s syntax; an entry under "deny_if" without conditions denies every call';
      if (key === 'path' || key === 'op' || key === 'value') return `"${key}" belongs to a condition: write "conditions": [{ "path": …, "op": …, "value": … }]`;
      return undefined;
    case 'approval':
      if (key === 'on_deny' || key === 'reason') return `"${key}" is not a key of a require_approval entry; the text shown to the approver is "message"`;
      if (key === 'path' || key === 'op' || key === 'value') return `"${key}" belongs to a condition: write "conditions": [{ "path": …, "op": …, "value": … }]`;
      return undefined;
    case 'limit':
      if (key === 'reason' || key === 'message') return `"${key}" is not a key of a limit; the message is "on_deny"`;
      if (key === 'increment') return '"increment" is Intercept\'s syntax; a limit counts 1 per call, or the argument named by "increment_from"';
      return undefined;
    default:
      return undefined;
  }
}
