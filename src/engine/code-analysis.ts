/**
 * The engine's side of `python` conditions. Deciding stays synchronous and pure: the parser is
 * loaded once, asynchronously, when a policy that needs it is loaded (loadCodeAnalysis), and only
 * then. A decision reached without it (a caller that forgot to load) denies: the guard reports the
 * code as not analysable rather than guessing.
 */
import type { CompiledGuard, GuardFinding } from '../python/guard.js';
import type { CompiledPolicy } from './compile.js';

interface CodeChecker {
  check(guard: CompiledGuard, value: unknown): GuardFinding | undefined;
}

let checker: CodeChecker | undefined;

/** Loads the Python parser if the policy has a `python` condition; a no-op (and no import) otherwise. */
export async function loadCodeAnalysis(policy: CompiledPolicy): Promise<void> {
  if (!policy.usesPython || checker) return;
  const python = await import('../python/index.js');
  await python.loadPythonParser();
  checker = { check: python.checkPython };
}

export function guardFinding(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (!checker) {
    const reason = 'escapes analysis: the Python parser was not loaded before deciding';
    return { kind: 'unanalysable', name: '(parser)', reason, logReason: reason, line: 1, column: 1 };
  }
  return checker.check(guard, value);
}
