import { isAbsolute, relative, resolve } from 'node:path';

/** A path for messages: relative to the working folder when inside it, so CI annotations match the repo. */
export function displayPath(cwd: string, path: string): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
