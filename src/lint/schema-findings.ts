import type * as z from 'zod/mini';
import { KNOWN_KEYS, OPERATORS, policySchema, type PolicyDocument } from '../policy/schema.js';
import { objectKindAt } from '../policy/object-kind.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
import { parentPointer, toPointer } from '../policy/pointer.js';
import { didYouMean } from '../util/suggest.js';
import type { Finding } from './finding.js';

export { objectKindAt };
import { FOREIGN_SYNTAX_RULE_ID, foreignSyntaxMessage, windowFor } from './foreign-syntax.js';

/** Syntax errors and duplicate keys: the findings that exist before the document has a value to validate. */
export function parseFindings(source: SourceDocument): Finding[] {
  const findings: Finding[] = [];
  for (const problem of source.syntaxErrors) {
    findings.push({
      ruleId: 'invalid-syntax',
      severity: 'error',
      message: problem.message,
      pointer: '',
      range: source.lines.range(problem.offset, problem.end ?? problem.offset),
    });
  }
  for (const duplicate of source.duplicates) {
    const first = source.lines.position(duplicate.first[0]);
    findings.push({
      ruleId: 'duplicate-key',
      severity: 'error',
      message: `duplicate key "${duplicate.key}" (first at line ${first.line}, column ${first.column}); parsers disagree on which one wins`,
      pointer: duplicate.pointer,
      range: source.lines.range(duplicate.duplicate[0], duplicate.duplicate[1]),
    });
  }
  return findings;
}

/** Validates the parsed value against the zod schema; every issue becomes an error with a pointer and a position. */
export function schemaFindings(source: SourceDocument): { policy?: PolicyDocument; findings: Finding[] } {
  const result = policySchema.safeParse(source.value);
  if (result.success) return { policy: result.data, findings: reservedToolNames(source) };
  const findings: Finding[] = [];
  for (const issue of result.error.issues) findings.push(...issueToFindings(issue, source));
  return { findings };
}

/** zod drops a "__proto__" key from records (it would replace the prototype), so rules under that tool name would silently vanish. */
function reservedToolNames(source: SourceDocument): Finding[] {
  const tools = (source.value as { tools?: unknown }).tools;
  if (!tools || typeof tools !== 'object' || !Object.hasOwn(tools, '__proto__')) return [];
  const pointer = '/tools/__proto__';
  return [{ ruleId: 'invalid-value', severity: 'error', message: 'a tool named "__proto__" cannot have rules: the name is reserved in JavaScript, and the engine would drop them', pointer, range: rangeOf(source, pointer, 'key') }];
}

function issueToFindings(issue: z.core.$ZodIssue, source: SourceDocument): Finding[] {
  const path = issue.path as (string | number)[];
  const pointer = toPointer(path);
  const actual = valueAt(source.value, path);
  const base = { severity: 'error' as const };

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path, source.value);
    const parent = valueAt(source.value, path).value as Record<string, unknown> | undefined;
    const tool = path[0] === 'tools' && typeof path[1] === 'string' ? path[1] : undefined;
    return issue.keys.map((key) => {
      const keyPointer = toPointer([...path, key]);
      const foreign = foreignSyntaxMessage(objectKindAt(path), key, parent?.[key], tool);
      if (foreign) return { ...base, ruleId: FOREIGN_SYNTAX_RULE_ID, message: foreign, pointer: keyPointer, range: rangeOf(source, keyPointer, 'key') };
      const suggestion = didYouMean(key, known);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
      return {
        ...base,
        ruleId: 'unknown-key',
        message: `unknown key "${key}" in ${describeLocation(path)}${hint}`,
        pointer: keyPointer,
        range: rangeOf(source, keyPointer, 'key'),
        ...(suggestion ? { suggestion } : {}),
      };
    });
  }

  const last = path[path.length - 1];
  if (path.length > 0 && actual.missing) {
    const parent = parentPointer(pointer) ?? '';
    return [
      {
        ...base,
        ruleId: 'missing-key',
        message: `${describeLocation(path.slice(0, -1))} is missing the required key "${String(last)}"`,
        pointer,
        // The whole document would underline every line: point at the policy's opening brace instead.
        range: parent === '' ? openingOf(source) : rangeOf(source, parent, 'key'),
      },
    ];
  }

  const range = rangeOf(source, pointer, 'value');
  const where = path.length === 0 ? 'the policy' : typeof last === 'number' ? `the item at ${pointer}` : `"${String(last)}"`;
  let message: string;
  let suggestion: string | undefined;
  switch (issue.code) {
    case 'invalid_type':
      message =
        path.length === 0
          ? `a policy must be ${article(issue.expected)} ${issue.expected}, not ${describeValue(actual.value)}`
          : `${where} must be ${article(issue.expected)} ${issue.expected}, not ${describeValue(actual.value)}`;
      break;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      if (typeof actual.value === 'string') suggestion = didYouMean(actual.value, issue.values.map(String));
      if (last === 'window' && typeof actual.value === 'number') suggestion = windowFor(actual.value);
      if (last === 'version' && actual.value === 1) {
        message = 'version must be the string "1"; quote it';
        suggestion = '1';
      } else if (last === 'window' && typeof actual.value === 'number') {
        message = `"window" is a word, not a number of seconds: one of ${values.join(', ')}${suggestion ? ` (${actual.value} seconds is "${suggestion}")` : ''}`;
      } else {
        message = `${where} must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, not ${describeValue(actual.value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      }
      break;
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator === 'op') {
        const op = actual.value;
        suggestion = typeof op === 'string' ? didYouMean(op, OPERATORS) : undefined;
        message = `unknown operator ${describeValue(op)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; operators: ${OPERATORS.join(', ')}`;
      } else message = `${where} has an invalid value`;
      break;
    }
    case 'too_small':
      message = issue.origin === 'string' || issue.origin === 'array' ? `${where} cannot be empty` : `${where} must be at least ${issue.minimum}, not ${describeValue(actual.value)}`;
      break;
    case 'too_big':
      message = `${where} must be at most ${issue.maximum}, not ${describeValue(actual.value)}`;
      break;
    case 'invalid_format':
      message = `${where} ${issue.message}, not ${describeValue(actual.value)}`;
      break;
    default:
      message = `${where} is invalid: ${issue.message}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') message = `${where} must be a whole number, not ${describeValue(actual.value)}`;
  const numeric = issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int');
  if (numeric && typeof actual.value === 'string' && actual.value.trim() !== '' && Number.isFinite(Number(actual.value))) message += '; remove the quotes';
  return [{ ...base, ruleId: 'invalid-value', message, pointer, range, ...(suggestion ? { suggestion } : {}) }];
}

function valueAt(root: unknown, path: (string | number)[]): { value: unknown; missing: boolean } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return { value: undefined, missing: true };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { value: current, missing: false };
}

function knownKeysAt(path: (string | number)[], _root: unknown): readonly string[] {
  const kind = objectKindAt(path);
  return kind ? KNOWN_KEYS[kind] : [];
}

function describeLocation(path: readonly (string | number)[]): string {
  const kind = objectKindAt(path);
  const pointer = toPointer(path);
  switch (kind) {
    case 'policy':
      return 'the policy';
    case 'tool':
      return `tool "${String(path[1])}"`;
    case undefined:
      return pointer;
    default:
      return `${kind === 'approval' ? 'approval rule' : kind} ${pointer}`;
  }
}

function openingOf(source: SourceDocument) {
  const span = source.spans.get('');
  const start = span ? span.value[0] : 0;
  return source.lines.range(start, Math.min(start + 1, source.text.length));
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}
