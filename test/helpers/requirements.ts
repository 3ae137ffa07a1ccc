/**
 * What some tests need from the machine (tmux, Redis). Outside CI, a test whose program or service
 * is missing is skipped with the reason, and test/helpers/skip-reporter.ts repeats every reason
 * after the run's summary; with CI=true it fails instead, because a skip there would hide a
 * missing install step in .ci/run.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { it } from 'vitest';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export interface Requirement {
  ok: boolean;
  /** Why the tests cannot run, and how to get what they need. */
  reason: string;
  /**
   * Skipped with the reason in CI too: for what no install step of ours can provide (pydantic 2:
   * Debian 12 packages pydantic 1, and PyPI is out of reach). Every other requirement fails in CI.
   */
  optionalInCi?: boolean;
}

export function programRequirement(program: string, args: string[], install: string): Requirement {
  const found = spawnSync(program, args, { stdio: 'ignore' });
  const ok = !found.error && found.status === 0;
  return { ok, reason: `${program} is not installed (${install})` };
}

export const tmux: Requirement = programRequirement('tmux', ['-V'], 'Debian: apt-get install tmux; .ci/run installs it');

/**
 * better-sqlite3, for `--state file:`: an optional peer dependency that `npm ci` leaves out (a
 * native module that compiles for minutes where no prebuilt binary can be fetched);
 * `npm run setup:file-state` installs it, and .ci/run runs that. Undefined when it cannot be loaded.
 */
export const betterSqlite3: typeof import('better-sqlite3') | undefined = (() => {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
    new Database(':memory:').close(); // the native module loads here, not at require
    return Database;
  } catch {
    return undefined;
  }
})();

/** What `--state file:` says without it (after `file:PATH: `). */
export const SQLITE_MISSING = 'counters in a file need better-sqlite3, which is not installed here (npm install -g better-sqlite3 next to a global policylayer, npm run setup:file-state in a clone; or use --state memory or redis://)';

export const sqlite: Requirement = { ok: betterSqlite3 !== undefined, reason: 'better-sqlite3 is not installed (npm run setup:file-state; .ci/run installs it)' };

/**
 * Registers one test that fails in CI when the requirement is missing and otherwise is skipped
 * with the reason. Call it in each file (or describe) whose tests run only with `requirement.ok`
 * (`describe.runIf(requirement.ok)`), so that a skip is never silent.
 */
export function requireFor(what: string, requirement: Requirement): void {
  it(`has ${what}`, (context) => {
    if (requirement.ok) return;
    if (IN_CI && !requirement.optionalInCi) throw new Error(`${requirement.reason} (CI=true: tests that need it must run)`);
    context.skip(requirement.reason);
  });
}
