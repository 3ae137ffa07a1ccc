/**
 * What some tests need from the machine (tmux, Redis). Outside CI, a test whose program or service
 * is missing is skipped with the reason, and test/helpers/skip-reporter.ts repeats every reason
 * after the run's summary; with CI=true it fails instead, because a skip there would hide a
 * missing install step in .ci/run.
 */
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export interface Requirement {
  ok: boolean;
  /** Why the tests cannot run, and how to get what they need. */
  reason: string;
}

export function programRequirement(program: string, args: string[], install: string): Requirement {
  const found = spawnSync(program, args, { stdio: 'ignore' });
  const ok = !found.error && found.status === 0;
  return { ok, reason: `${program} is not installed (${install})` };
}

export const tmux: Requirement = programRequirement('tmux', ['-V'], 'Debian: apt-get install tmux; .ci/run installs it');

/**
 * Registers one test that fails in CI when the requirement is missing and otherwise is skipped
 * with the reason. Call it in each file (or describe) whose tests run only with `requirement.ok`
 * (`describe.runIf(requirement.ok)`), so that a skip is never silent.
 */
export function requireFor(what: string, requirement: Requirement): void {
  it(`has ${what}`, (context) => {
    if (requirement.ok) return;
    if (IN_CI) throw new Error(`${requirement.reason} (CI=true: tests that need it must run)`);
    context.skip(requirement.reason);
  });
}
