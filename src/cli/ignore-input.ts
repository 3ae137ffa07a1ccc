import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { findUpward } from '../policy/discover.js';
import { PathFilter, type PatternSet } from '../util/path-filter.js';
import type { Io } from '../output/io.js';
import { displayPath } from './paths.js';

/** gitignore syntax, found like the project policy: in the working folder or the nearest folder above. */
export const IGNORE_FILE_NAME = '.policylayerignore';

export interface FilterOptions {
  /** `--ignore-pattern`, relative to the working folder. */
  ignorePatterns?: readonly string[];
  /** `--no-ignore`: no ignore file, no exclude, no --ignore-pattern. */
  noIgnore?: boolean;
  /** The lint configuration's include and exclude, relative to its folder. */
  config?: { include?: readonly string[]; exclude?: readonly string[]; folder?: string; display?: string };
}

/** What folder searches leave out, from the ignore file, the lint configuration and the command line. */
export function loadPathFilter(io: Io, options: FilterOptions): PathFilter {
  const { config } = options;
  const includes: PatternSet[] = config?.include && config.folder ? [{ base: config.folder, patterns: config.include, origin: 'the include patterns' }] : [];
  if (options.noIgnore) return new PathFilter([], includes);
  const ignores: PatternSet[] = [];
  const file = findUpward(io.cwd, [IGNORE_FILE_NAME]);
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(displayPath(io.cwd, file), `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    ignores.push({ base: dirname(file), patterns: text.split(/\r?\n/), origin: displayPath(io.cwd, file) });
  }
  if (config?.exclude && config.folder) ignores.push({ base: config.folder, patterns: config.exclude, origin: `${config.display ?? 'the lint configuration'} (exclude)` });
  if (options.ignorePatterns && options.ignorePatterns.length > 0) ignores.push({ base: io.cwd, patterns: options.ignorePatterns, origin: '--ignore-pattern' });
  return new PathFilter(ignores, includes);
}
