import type * as z from 'zod/mini';
import { lookup } from '../engine/args.js';
import { issueSentence, unknownKeySentence } from '../policy/describe.js';
import { toPointer } from '../policy/pointer.js';
import { readPolicySource } from '../policy/read.js';
import { rangeOf, type SourceDocument } from '../policy/source.js';
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
    return issue.keys.map((key) => ({ where: where(toPointer([...path, key]), 'key'), message: unknownKeySentence(key, knownKeys(path), context).message }));
  }
  const found = lookup(source.value, path.map(String));
  if (path.length > 0 && !found.present) {
    return [{ where: where(toPointer(path.slice(0, -1)), 'key'), message: `${describePath(path.slice(0, -1))} is missing the required key "${String(path[path.length - 1])}"` }];
  }
  const name = path.length === 0 ? 'the test file' : `"${String(path[path.length - 1])}"`;
  return [{ where: where(toPointer(path), 'value'), message: `${issueSentence(issue, name, found.value).message} (in ${context})` }];
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
