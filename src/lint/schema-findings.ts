import type * as z from 'zod/mini';
import { KNOWN_KEYS, OPERATORS, policySchema, type PolicyDocument } from '../policy/schema.js';
import { objectKindAt } from '../policy/object-kind.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
import { parentPointer, toPointer } from '../policy/pointer.js';
import { didYouMean } from '../util/suggest.js';
import { describeValue, issueSentence, unknownKeySentence } from '../policy/describe.js';
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

/**
 * Validates the parsed value against the zod schema; every issue becomes an error with a pointer and
 * a position. All in one pass, also under misspelt keys: a key with a did-you-mean suggestion is
 * read as the key it most likely means (renamed in a copy, again and again while renaming reveals
 * more), so `"limit": [{"window": "minutes"}]` reports the key and the window together, and each
 * finding found that way says which reading it assumed.
 */
export function schemaFindings(source: SourceDocument): { policy?: PolicyDocument; findings: Finding[] } {
  const result = policySchema.safeParse(source.value);
  if (result.success) return { policy: result.data, findings: reservedToolNames(source) };
  const reading = readSuggestedKeys(source.value, result.error.issues);
  const issues = reading.renames.length === 0 ? result.error.issues : (policySchema.safeParse(reading.value).error?.issues ?? []);
  const findings: Finding[] = reading.renames.map((rename) => renameFinding(rename, reading, source));
  for (const issue of issues) findings.push(...issueToFindings(issue, source, reading));
  return { findings };
}

/** A misspelt key read as its suggestion: `from` → `to` in the object at `path` (a path in the renamed copy). */
interface Rename {
  path: (string | number)[];
  from: string;
  to: string;
}

interface Reading {
  /** The document with every rename applied. */
  value: unknown;
  renames: Rename[];
}

/** Renaming stops after this many rounds (each round can only reveal keys one level deeper). */
const MAX_RENAME_ROUNDS = 8;

function readSuggestedKeys(document: unknown, firstIssues: readonly z.core.$ZodIssue[]): Reading {
  let value = document;
  const renames: Rename[] = [];
  let issues = firstIssues;
  for (let round = 0; round < MAX_RENAME_ROUNDS; round++) {
    const batch: Rename[] = [];
    for (const issue of issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      const path = issue.path as (string | number)[];
      const parent = valueAt(value, path).value as Record<string, unknown> | undefined;
      if (!parent || typeof parent !== 'object') continue;
      const tool = path[0] === 'tools' && typeof path[1] === 'string' ? path[1] : undefined;
      for (const key of issue.keys) {
        if (foreignSyntaxMessage(objectKindAt(path), key, parent[key], tool)) continue;
        const to = didYouMean(key, knownKeysAt(path));
        const taken = to === undefined || Object.hasOwn(parent, to) || batch.some((other) => other.to === to && toPointer(other.path) === toPointer(path));
        if (!taken) batch.push({ path, from: key, to });
      }
    }
    if (batch.length === 0) break;
    for (const rename of batch) value = renameKeyAt(value, rename);
    renames.push(...batch);
    const next = policySchema.safeParse(value);
    if (next.success) break;
    issues = next.error.issues;
  }
  return { value, renames };
}

/** A copy of `root` with one key renamed in place (same position, so the key order stays). */
function renameKeyAt(root: unknown, rename: Rename): unknown {
  const rebuild = (node: unknown, depth: number): unknown => {
    if (depth === rename.path.length) {
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, child]) => [key === rename.from ? rename.to : key, child]));
    }
    const segment = rename.path[depth]!;
    if (Array.isArray(node)) return node.map((child, i) => (i === segment ? rebuild(child, depth + 1) : child));
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, child]) => [key, key === segment ? rebuild(child, depth + 1) : child]));
  };
  return rebuild(root, 0);
}

/** A path in the renamed copy as it is written in the file, and the renames it passes through. */
function originalPath(path: readonly (string | number)[], reading: Reading): { path: (string | number)[]; renames: Rename[] } {
  const out: (string | number)[] = [];
  const passed: Rename[] = [];
  path.forEach((segment, i) => {
    const prefix = toPointer(path.slice(0, i));
    const rename = typeof segment === 'string' ? reading.renames.find((r) => r.to === segment && toPointer(r.path) === prefix) : undefined;
    if (rename) passed.push(rename);
    out.push(rename ? rename.from : segment);
  });
  return { path: out, renames: passed };
}

function renameFinding(rename: Rename, reading: Reading, source: SourceDocument): Finding {
  const where = originalPath(rename.path, reading);
  const pointer = toPointer([...where.path, rename.from]);
  return {
    severity: 'error',
    ruleId: 'unknown-key',
    message: `unknown key "${rename.from}" in ${describeLocation(rename.path, where.path)} (did you mean "${rename.to}"?)${assumed(where.renames)}`,
    pointer,
    range: rangeOf(source, pointer, 'key'),
    suggestion: rename.to,
  };
}

/** Says which misspelt keys a finding was checked under, read as what they most likely mean. */
function assumed(renames: readonly Rename[]): string {
  if (renames.length === 0) return '';
  return ` (checked as if ${renames.map((r) => `"${r.from}" were "${r.to}"`).join(' and ')})`;
}

/** zod drops a "__proto__" key from records (it would replace the prototype), so rules under that tool name would silently vanish. */
function reservedToolNames(source: SourceDocument): Finding[] {
  const tools = (source.value as { tools?: unknown }).tools;
  if (!tools || typeof tools !== 'object' || !Object.hasOwn(tools, '__proto__')) return [];
  const pointer = '/tools/__proto__';
  return [{ ruleId: 'invalid-value', severity: 'error', message: 'a tool named "__proto__" cannot have rules: the name is reserved in JavaScript, and the engine would drop them', pointer, range: rangeOf(source, pointer, 'key') }];
}

/**
 * The findings of one zod issue. `issue.path` is a path in `reading.value` (the document with
 * misspelt keys read as their suggestions); pointers and positions are mapped back to the file.
 */
function issueToFindings(issue: z.core.$ZodIssue, source: SourceDocument, reading: Reading): Finding[] {
  const path = issue.path as (string | number)[];
  const written = originalPath(path, reading);
  const pointer = toPointer(written.path);
  const actual = valueAt(reading.value, path);
  const note = assumed(written.renames);
  const base = { severity: 'error' as const };

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    const parent = actual.value as Record<string, unknown> | undefined;
    const tool = path[0] === 'tools' && typeof path[1] === 'string' ? path[1] : undefined;
    return issue.keys.map((key) => {
      const keyPointer = toPointer([...written.path, key]);
      const foreign = foreignSyntaxMessage(objectKindAt(path), key, parent?.[key], tool);
      if (foreign) return { ...base, ruleId: FOREIGN_SYNTAX_RULE_ID, message: `${foreign}${note}`, pointer: keyPointer, range: rangeOf(source, keyPointer, 'key') };
      const { message, suggestion } = unknownKeySentence(key, known, describeLocation(path, written.path));
      return {
        ...base,
        ruleId: 'unknown-key',
        message: `${message}${note}`,
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
        message: `${describeLocation(path.slice(0, -1), written.path.slice(0, -1))} is missing the required key "${String(last)}"${note}`,
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
  if (issue.code === 'invalid_value' && last === 'version' && actual.value === 1) {
    message = 'version must be the string "1"; quote it';
    suggestion = '1';
  } else if (issue.code === 'invalid_value' && last === 'window' && typeof actual.value === 'number') {
    suggestion = windowFor(actual.value);
    message = `"window" is a word, not a number of seconds: one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${suggestion ? ` (${actual.value} seconds is "${suggestion}")` : ''}`;
  } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'op') {
    const op = actual.value;
    suggestion = typeof op === 'string' ? didYouMean(op, OPERATORS) : undefined;
    message = `unknown operator ${describeValue(op)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; operators: ${OPERATORS.join(', ')}`;
  } else if (issue.code === 'invalid_union') {
    message = `${where} has an invalid value`;
  } else {
    ({ message, suggestion } = issueSentence(issue, path.length === 0 ? 'a policy' : where, actual.value));
  }
  return [{ ...base, ruleId: 'invalid-value', message: `${message}${note}`, pointer, range, ...(suggestion ? { suggestion } : {}) }];
}

function valueAt(root: unknown, path: (string | number)[]): { value: unknown; missing: boolean } {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return { value: undefined, missing: true };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { value: current, missing: false };
}

function knownKeysAt(path: (string | number)[]): readonly string[] {
  const kind = objectKindAt(path);
  return kind ? KNOWN_KEYS[kind] : [];
}

/** What lives at `path` (a path in the renamed copy, which decides the kind), shown at `written` (the file's path). */
function describeLocation(path: readonly (string | number)[], written: readonly (string | number)[] = path): string {
  const kind = objectKindAt(path);
  const pointer = toPointer(written);
  switch (kind) {
    case 'policy':
      return 'the policy';
    case 'tool':
      return `tool "${String(written[1])}"`;
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


