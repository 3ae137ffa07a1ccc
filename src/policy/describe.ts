/**
 * How messages name a value and word a schema problem, in one place for every file the tool reads
 * (policies, policy tests, the lint config, catalogs): zod/mini's own messages are only "Invalid
 * input", so each issue becomes one plain sentence about the value found at its place.
 */
import type * as z from 'zod/mini';
import { didYouMean } from '../util/suggest.js';

/** `"abc"`, `number 3`, `an object`, `nothing`: a value as a message shows it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

export function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}

/** `unknown key "limit" in tool "x" (did you mean "limits"?)`. */
export function unknownKeySentence(key: string, known: readonly string[], context?: string): { message: string; suggestion?: string } {
  const suggestion = didYouMean(key, known);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
  return { message: `unknown key "${key}"${context ? ` in ${context}` : ''}${hint}`, ...(suggestion ? { suggestion } : {}) };
}

/**
 * The sentence for an issue other than an unknown or missing key: `where` names the place
 * (`"max"`, `the item at /tools/x/limits/0`), `value` is what the file holds there.
 */
export function issueSentence(issue: z.core.$ZodIssue, where: string, value: unknown): { message: string; suggestion?: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'record' ? 'object' : issue.expected === 'int' ? 'whole number' : issue.expected;
      let message = `${where} must be ${article(expected)} ${expected}, not ${describeValue(value)}`;
      const numeric = issue.expected === 'number' || issue.expected === 'int';
      if (numeric && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) message += '; remove the quotes';
      return { message };
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const suggestion = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      return {
        message: `${where} must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, not ${describeValue(value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'too_small':
      return { message: issue.origin === 'string' || issue.origin === 'array' ? `${where} cannot be empty` : `${where} must be at least ${issue.minimum}, not ${describeValue(value)}` };
    case 'too_big':
      return { message: `${where} must be at most ${issue.maximum}, not ${describeValue(value)}` };
    case 'invalid_format':
    case 'custom':
      // A refinement's message says what is expected ("must be an ISO 8601 time…").
      return { message: `${where} ${issue.message}, not ${describeValue(value)}` };
    default:
      return { message: `${where} is invalid: ${issue.message}` };
  }
}
