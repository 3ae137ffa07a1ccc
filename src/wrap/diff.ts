import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file (3 lines of context), headed by its path; empty when nothing changes. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(path, path, before, after, undefined, undefined, { context: 3 });
  // jsdiff starts with an "Index:" line and a row of "="; `diff -u` and git start at "---".
  return patch.slice(patch.indexOf('--- '));
}
