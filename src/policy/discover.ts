import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const POLICY_FILE_NAMES = ['policylayer.json', 'policylayer.yaml', 'policylayer.yml'] as const;

/** Policy test files (`policylayer test` finds them; `lint` knows them as not policies). */
export const TEST_FILE_PATTERN = /\.policytest\.(json|ya?ml)$/i;

/**
 * The project's policy, found the way every command finds it: policylayer.json, .yaml or .yml
 * in the working folder, then each parent folder up to the root. The first folder with one wins;
 * inside a folder the order above decides.
 */
export function findProjectPolicy(cwd: string): string | undefined {
  return findUpward(cwd, POLICY_FILE_NAMES);
}

/** The first of `names` that is a file in `cwd`, then in each parent folder up to the root. */
export function findUpward(cwd: string, names: readonly string[]): string | undefined {
  let folder = cwd;
  for (;;) {
    for (const name of names) {
      const candidate = join(folder, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}
