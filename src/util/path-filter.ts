/**
 * Which files a folder search may return: gitignore-style patterns from several places (the ignore
 * file, the lint configuration, `--ignore-pattern`), each relative to its own folder, and optional
 * include patterns. Pure; the matching is the `ignore` package's (the gitignore rules git itself
 * documents: `dir/`, `*.json`, `/anchored`, `!negation`, `**`), not ours.
 */
import ignore, { type Ignore } from 'ignore';
import { isAbsolute, relative, sep } from 'node:path';

export interface PatternSet {
  /** The absolute folder the patterns are relative to. */
  base: string;
  patterns: readonly string[];
  /** Where they come from, for messages: `.policylayerignore`, `--ignore-pattern`, `.policylayer-lint.yaml`. */
  origin: string;
}

interface Compiled {
  set: PatternSet;
  matcher: Ignore;
}

function compile(set: PatternSet): Compiled {
  return { set, matcher: ignore({ allowRelativePaths: false }).add([...set.patterns]) };
}

/** The path relative to `base` in the form the matcher takes (forward slashes, `dir/` for folders), or undefined outside it. */
function relativeTo(base: string, path: string, folder: boolean): string | undefined {
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const posix = sep === '/' ? rel : rel.split(sep).join('/');
  return folder ? `${posix}/` : posix;
}

export class PathFilter {
  private readonly ignores: Compiled[];
  private readonly includes: Compiled[];

  constructor(ignoreSets: readonly PatternSet[], includeSets: readonly PatternSet[] = []) {
    this.ignores = ignoreSets.filter((set) => set.patterns.length > 0).map(compile);
    this.includes = includeSets.filter((set) => set.patterns.length > 0).map(compile);
  }

  static readonly NONE = new PathFilter([]);

  /** Where the pattern that ignores this path comes from, or undefined when nothing ignores it. */
  ignoredBy(path: string, folder: boolean): string | undefined {
    for (const { set, matcher } of this.ignores) {
      const rel = relativeTo(set.base, path, folder);
      if (rel !== undefined && matcher.ignores(rel)) return set.origin;
    }
    return undefined;
  }

  /** Whether a file found in a folder is one to use: every file without include patterns, else those an include pattern matches. */
  included(path: string): boolean {
    if (this.includes.length === 0) return true;
    return this.includes.some(({ set, matcher }) => {
      const rel = relativeTo(set.base, path, false);
      return rel !== undefined && matcher.ignores(rel);
    });
  }

  get hasIncludes(): boolean {
    return this.includes.length > 0;
  }

  /** The folders include patterns are relative to: where a search without paths starts. */
  get includeBases(): string[] {
    return [...new Set(this.includes.map(({ set }) => set.base))];
  }
}
