// Synchronous on purpose: a CLI reads its arguments before anything else, and node:fs/promises
// (with the stream modules it loads) would add milliseconds to every `policylayer lint` start.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UserError } from '../errors.js';
import { findProjectPolicy } from '../policy/discover.js';
import { isPolicyPath } from '../policy/read.js';
import { PathFilter } from '../util/path-filter.js';
import { displayPath } from './paths.js';

/** Folders never searched: dependencies and dot-folders (.git, .github, .vscode, …). */
const SKIPPED_FOLDERS = new Set(['node_modules']);

export interface PolicyFileList {
  /** Absolute paths, in argument order, folders expanded in sorted order, without repeats. */
  files: string[];
  /** Arguments that could not be used: missing paths, folders without policies. */
  problems: InputError[];
}

/** Which files a folder argument stands for: policy files by default; replay and test pass their own. */
export interface FileKind {
  accept: (name: string) => boolean;
  /** For "no … in this folder or below it". */
  description: string;
}

export const POLICY_FILES: FileKind = { accept: isPolicyPath, description: 'policy files (.json, .yaml, .yml)' };

/**
 * Expands command-line paths into policy files (or, with `kind`, other files). A file is used as
 * given, whatever its name, and even if an ignore pattern matches it (naming it is asking for it). A
 * folder is searched recursively for .json, .yaml and .yml files, skipping node_modules, dot-files
 * and dot-folders, symbolic links to folders (so a link cycle cannot loop), and what `filter`
 * ignores or does not include. A folder with no policy file is a problem: a CI job pointed at the
 * wrong folder must not pass.
 */
export async function collectPolicyFiles(cwd: string, paths: readonly string[], kind: FileKind = POLICY_FILES, filter: PathFilter = PathFilter.NONE): Promise<PolicyFileList> {
  const files: string[] = [];
  const seen = new Set<string>();
  const problems: InputError[] = [];
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const shown = displayPath(cwd, absolute);
    let isFolder: boolean;
    try {
      isFolder = statSync(absolute).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(new InputError(shown, code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code ?? (error as Error).message})`));
      continue;
    }
    if (!isFolder) {
      add(absolute);
      continue;
    }
    const search: Search = { found: [], ignored: new Map(), accept: kind.accept, filter };
    try {
      walk(absolute, search);
    } catch (error) {
      problems.push(new InputError(shown, `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`));
      continue;
    }
    if (search.found.length === 0) problems.push(new InputError(shown, `no ${kind.description} in this folder or below it${ignoredNote(search.ignored)}`));
    for (const file of search.found) add(file);
  }
  return { files, problems };
}

interface Search {
  found: string[];
  /** Files the filter left out, by where the pattern comes from. */
  ignored: Map<string, number>;
  accept: (name: string) => boolean;
  filter: PathFilter;
}

function walk(folder: string, search: Search): void {
  const entries = readdirSync(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      const by = search.filter.ignoredBy(path, true);
      if (by === undefined) walk(path, search);
      else search.ignored.set(by, (search.ignored.get(by) ?? 0) + 1);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && search.accept(entry.name)) {
      if (entry.isSymbolicLink() && !isFile(path)) continue;
      const by = search.filter.ignoredBy(path, false) ?? (search.filter.included(path) ? undefined : 'the include patterns');
      if (by === undefined) search.found.push(path);
      else search.ignored.set(by, (search.ignored.get(by) ?? 0) + 1);
    }
  }
}

/** Why a folder search found nothing: what was left out, and how to see it anyway. */
function ignoredNote(ignored: Map<string, number>): string {
  if (ignored.size === 0) return '';
  const origins = [...ignored.keys()];
  const turnOff = origins.some((origin) => origin !== 'the include patterns') ? '; --no-ignore turns ignore patterns off' : '';
  return ` that is not left out (by ${origins.join(', ')}${turnOff})`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The project's policy, found upward from the working folder, for commands called without paths. */
export async function projectPolicy(io: { cwd: string }): Promise<string> {
  const found = findProjectPolicy(io.cwd);
  if (found) return found;
  throw new UserError('no policy given and no policylayer.json, policylayer.yaml or policylayer.yml here or in a folder above; name files or folders on the command line');
}
