import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

/**
 * Reads a small input file (a catalog, a lock file) as UTF-8. A missing file, a folder or any other
 * read error becomes an InputError naming the file; `kind` names what was expected ("catalog file").
 */
export async function readInputText(io: Io, file: string, kind: string, missingHint = ''): Promise<{ text: string; shown: string }> {
  const absolute = resolve(io.cwd, file);
  const shown = displayPath(io.cwd, absolute);
  try {
    return { text: await readFile(absolute, 'utf8'), shown };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? `no such ${kind}${missingHint}` : code === 'EISDIR' ? `is a folder, not a ${kind}` : `cannot read (${code ?? (error as Error).message})`);
  }
}
