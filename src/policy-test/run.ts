import { dirname, resolve } from 'node:path';
import { DEFAULT_START_MS, makeCall } from '../engine/call.js';
import type { CompiledPolicy } from '../engine/compile.js';
import type { Decision, Outcome } from '../engine/types.js';
import { UserError } from '../errors.js';
import { findProjectPolicy } from '../policy/discover.js';
import { rangeOf } from '../policy/source.js';
import { createDecider, type Decider } from '../engine/decider.js';
import { parseIsoTime } from '../util/time.js';
import { loadTestFile, type TestFileProblem } from './load.js';
import type { GivenCall, TestCase } from './schema.js';

export interface CaseResult {
  name: string;
  /** Where the case starts in the test file. */
  line: number;
  column: number;
  passed: boolean;
  expected: { outcome: Outcome; rule?: string };
  actual: { outcome: Outcome; rule: string; message: string; retryAfterMs?: number };
}

export interface TestFileResult {
  file: string;
  /** The policy as shown, once resolved. */
  policy?: string;
  cases: CaseResult[];
  /** Why the file could not run: an invalid test file or policy. Its cases count as errors, not failures. */
  problems: TestFileProblem[];
  durationMs: number;
}

/** Loads (and caches) a policy by absolute path; the CLI passes its linting loader. */
export type PolicyLoader = (absolutePath: string) => Promise<{ path: string; compiled: CompiledPolicy }>;

/**
 * Runs one test file. Every case starts with fresh counters at its `at` (default
 * 2000-01-01T00:00:00Z); its `given` calls run first, then the call itself `repeat` times at the
 * same instant, and the last decision is checked.
 */
export async function runTestFile(path: string, display: string, loadPolicy: PolicyLoader, showPath: (absolute: string) => string): Promise<TestFileResult> {
  const started = performance.now();
  const result: TestFileResult = { file: display, cases: [], problems: [], durationMs: 0 };
  const finish = () => ({ ...result, durationMs: performance.now() - started });
  const loaded = await loadTestFile(path, display);
  if (!loaded.ok) {
    result.problems = loaded.problems;
    return finish();
  }
  const policyPath = loaded.file.policy !== undefined ? resolve(dirname(path), loaded.file.policy) : findProjectPolicy(dirname(path));
  if (policyPath === undefined) {
    result.problems.push({ where: display, message: 'no "policy" in the test file, and no policylayer.json, policylayer.yaml or policylayer.yml in its folder or above' });
    return finish();
  }
  let policy;
  try {
    policy = await loadPolicy(policyPath);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const at = loaded.file.policy !== undefined ? rangeOf(loaded.source, '/policy').start : undefined;
    const shown = showPath(policyPath);
    const message = error.message.startsWith(`${shown}:`) ? `policy ${error.message}` : `policy ${shown}: ${error.message}`;
    result.problems.push({ where: at ? `${display}:${at.line}:${at.column}` : display, message });
    return finish();
  }
  result.policy = policy.path;
  for (const [i, testCase] of loaded.file.cases.entries()) {
    const start = rangeOf(loaded.source, `/cases/${i}`).start;
    const decision = await runCase(policy.compiled, testCase);
    const passed = decision.outcome === testCase.expect && (testCase.rule === undefined || testCase.rule === decision.rule);
    result.cases.push({
      name: testCase.name,
      line: start.line,
      column: start.column,
      passed,
      expected: { outcome: testCase.expect, ...(testCase.rule !== undefined ? { rule: testCase.rule } : {}) },
      actual: {
        outcome: decision.outcome,
        rule: decision.rule,
        message: decision.message,
        ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}),
      },
    });
  }
  return finish();
}

async function runCase(policy: CompiledPolicy, testCase: TestCase): Promise<Decision> {
  const decider = createDecider(policy);
  const atMs = testCase.at !== undefined ? parseIsoTime(testCase.at)! : DEFAULT_START_MS;
  for (const given of testCase.given ?? []) await repeatCall(decider, given, given.at !== undefined ? parseIsoTime(given.at)! : atMs);
  return repeatCall(decider, testCase, atMs);
}

async function repeatCall(decider: Decider, spec: GivenCall, atMs: number): Promise<Decision> {
  const call = makeCall(spec.tool, spec);
  let decision: Decision | undefined;
  for (let i = 0; i < (spec.repeat ?? 1); i++) decision = await decider.decide(call, { atMs });
  return decision!;
}
