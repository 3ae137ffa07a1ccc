// Synchronous on purpose: a CLI reads its arguments before anything else, and node:fs/promises
// (with the stream modules it loads) would add milliseconds to every `policylayer lint` start.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UserError } from '../errors.js';
import { findProjectPolicy } from '../policy/discover.js';
import { isPolicyPath } from '../policy/read.js';
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
 * Expands command-line paths into policy files (or, with `kind`, other files). A file is used as given, whatever its name. A folder
 * is searched recursively for .json, .yaml and .yml files, skipping node_modules, dot-files and
 * dot-folders, and symbolic links to folders (so a link cycle cannot loop). A folder with no policy
 * file is a problem: a CI job pointed at the wrong folder must not pass.
 */
export async function collectPolicyFiles(cwd: string, paths: readonly string[], kind: FileKind = POLICY_FILES): Promise<PolicyFileList> {
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
    const found: string[] = [];
    try {
      walk(absolute, found, kind.accept);
    } catch (error) {
      problems.push(new InputError(shown, `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`));
      continue;
    }
    if (found.length === 0) problems.push(new InputError(shown, `no ${kind.description} in this folder or below it`));
    for (const file of found) add(file);
  }
  return { files, problems };
}

function walk(folder: string, found: string[], accept: (name: string) => boolean): void {
  const entries = readdirSync(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, found, accept);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && accept(entry.name)) {
      if (entry.isSymbolicLink() && !isFile(path)) continue;
      found.push(path);
    }
  }
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
