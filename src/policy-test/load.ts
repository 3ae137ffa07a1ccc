import type * as z from 'zod/mini';
import { lookup } from '../engine/args.js';
import { describeValue } from '../lint/schema-findings.js';
import { toPointer } from '../policy/pointer.js';
import { readPolicySource } from '../policy/read.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
import { didYouMean } from '../util/suggest.js';
import { TEST_KEYS, testFileSchema, type TestFile } from './schema.js';

export interface TestFileProblem {
  /** `file:line:column`. */
  where: string;
  message: string;
}

export type LoadedTestFile = { ok: true; source: SourceDocument; file: TestFile } | { ok: false; problems: TestFileProblem[] };

/**
 * Reads and validates a test file (JSON or YAML, by extension) with the same parsers as policies, so
 * every problem has a line and column. Unreadable files throw InputError (exit 2).
 */
export async function loadTestFile(path: string, display: string): Promise<LoadedTestFile> {
  const source = await readPolicySource(path, display);
  const at = (offset: number) => {
    const position = source.lines.position(offset);
    return `${display}:${position.line}:${position.column}`;
  };
  const problems: TestFileProblem[] = source.syntaxErrors.map((error) => ({ where: at(error.offset), message: error.message.replace(/; a policy is a /, '; a test file is a ') }));
  for (const duplicate of source.duplicates) problems.push({ where: at(duplicate.duplicate[0]), message: `duplicate key "${duplicate.key}"` });
  if (problems.length > 0) return { ok: false, problems };
  const result = testFileSchema.safeParse(source.value);
  if (result.success) return { ok: true, source, file: result.data };
  for (const issue of result.error.issues) problems.push(...describeIssue(issue, source, display));
  const position = (where: string) => where.slice(display.length + 1).split(':').map(Number) as [number, number];
  problems.sort((a, b) => {
    const [al, ac] = position(a.where);
    const [bl, bc] = position(b.where);
    return al - bl || ac - bc;
  });
  return { ok: false, problems };
}

function describeIssue(issue: z.core.$ZodIssue, source: SourceDocument, display: string): TestFileProblem[] {
  const path = issue.path as Array<string | number>;
  const where = (pointer: string, part: 'key' | 'value') => {
    const start = rangeOf(source, pointer, part).start;
    return `${display}:${start.line}:${start.column}`;
  };
  const context = describePath(path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const suggestion = didYouMean(key, known);
      return {
        where: where(toPointer([...path, key]), 'key'),
        message: `unknown key "${key}" in ${context}${suggestion ? ` (did you mean "${suggestion}"?)` : ` (expected one of: ${known.join(', ')})`}`,
      };
    });
  }
  const found = lookup(source.value, path.map(String));
  const value = { value: found.value, missing: !found.present };
  const name = path.length === 0 ? 'the test file' : `"${String(path[path.length - 1])}"`;
  if (path.length > 0 && value.missing) {
    return [{ where: where(toPointer(path.slice(0, -1)), 'key'), message: `${describePath(path.slice(0, -1))} is missing the required key "${String(path[path.length - 1])}"` }];
  }
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      message = `${name} must be ${issue.expected === 'record' ? 'an object' : `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected === 'int' ? 'whole number' : issue.expected}`}, not ${describeValue(value.value)}`;
      break;
    case 'invalid_value': {
      const suggestion = typeof value.value === 'string' ? didYouMean(value.value, issue.values.map(String)) : undefined;
      message = `${name} must be one of ${issue.values.join(', ')}, not ${describeValue(value.value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      break;
    }
    case 'too_small':
      message = issue.origin === 'array' || issue.origin === 'string' ? issue.message : `${name} must be at least ${issue.minimum}, not ${describeValue(value.value)}`;
      break;
    case 'too_big':
      message = `${name} must be at most ${issue.maximum}, not ${describeValue(value.value)}`;
      break;
    default:
      message = `${name} ${issue.message}, not ${describeValue(value.value)}`;
  }
  return [{ where: where(toPointer(path), 'value'), message: `${message} (in ${context})` }];
}

/** `case 2 "eleventh call is denied"`, `given call 1 of case 2`, `the test file`. */
function describePath(path: ReadonlyArray<string | number>): string {
  if (path[0] !== 'cases' || typeof path[1] !== 'number') return 'the test file';
  const base = `case ${path[1] + 1}`;
  if (path[2] === 'given' && typeof path[3] === 'number') return `given call ${path[3] + 1} of ${base}`;
  return base;
}

function knownKeys(path: ReadonlyArray<string | number>): readonly string[] {
  if (path.length === 0) return TEST_KEYS.file;
  if (path[0] === 'cases' && path.length === 2) return TEST_KEYS.case;
  if (path[0] === 'cases' && path[2] === 'given' && path.length === 4) return TEST_KEYS.given;
  return [];
}
