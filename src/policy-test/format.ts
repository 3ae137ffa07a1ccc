import type { ChalkInstance } from 'chalk';
import { JUNIT_HEADER, junitCase, junitSuiteOpen, junitSuitesOpen } from '../output/junit.js';
import { printable } from '../output/printable.js';
import type { CaseResult, TestFileResult } from './run.js';

export interface TestTotals {
  passed: number;
  failed: number;
  /** Test files that could not run (invalid test file or policy). */
  broken: number;
}

export function totals(results: readonly TestFileResult[]): TestTotals {
  let passed = 0;
  let failed = 0;
  for (const file of results) for (const result of file.cases) result.passed ? passed++ : failed++;
  return { passed, failed, broken: results.filter((file) => file.problems.length > 0).length };
}

function expectedText(result: CaseResult): string {
  return `${result.expected.outcome}${result.expected.rule !== undefined ? ` by ${result.expected.rule}` : ''}`;
}

function actualText(result: CaseResult): string {
  return `${result.actual.outcome} by ${result.actual.rule}${result.actual.message ? `: ${printable(result.actual.message)}` : ''}`;
}

/** Like a test runner: files, a mark per case, details under failures, and `N passed, N failed` last. */
export function formatTestStylish(results: readonly TestFileResult[], color: ChalkInstance): string {
  const lines: string[] = [];
  for (const file of results) {
    if (file.problems.length > 0) {
      lines.push(`${color.bgRed.black(' ERROR ')} ${file.file}`);
      for (const problem of file.problems) lines.push(`  ${problem.where}: ${printable(problem.message).replace(/\n/g, '\n  ')}`);
      continue;
    }
    const ok = file.cases.every((c) => c.passed);
    lines.push(`${ok ? color.bgGreen.black(' PASS ') : color.bgRed.black(' FAIL ')} ${file.file} ${color.dim(`(policy ${file.policy})`)}`);
    for (const result of file.cases) {
      if (result.passed) {
        lines.push(`  ${color.green('✓')} ${printable(result.name)}`);
        continue;
      }
      lines.push(`  ${color.red('✗')} ${printable(result.name)}`);
      lines.push(`      expected ${color.green(expectedText(result))}`);
      lines.push(`      got      ${color.red(actualText(result))}`);
      lines.push(color.dim(`      at ${file.file}:${result.line}:${result.column}`));
    }
  }
  const { passed, failed, broken } = totals(results);
  lines.push('');
  if (broken > 0) lines.push(color.red(`${broken} test file${broken === 1 ? '' : 's'} could not run`));
  const summary = `${passed} passed, ${failed} failed`;
  lines.push(failed > 0 || broken > 0 ? color.red(summary) : color.green(summary));
  return `${lines.join('\n')}\n`;
}

/** One JSON document with every file and case (snake_case, like the other machine formats). */
export function formatTestJson(results: readonly TestFileResult[]): string {
  const { passed, failed, broken } = totals(results);
  const json = {
    passed,
    failed,
    broken_files: broken,
    files: results.map((file) => ({
      file: file.file,
      ...(file.policy !== undefined ? { policy: file.policy } : {}),
      ...(file.problems.length > 0 ? { problems: file.problems } : {}),
      cases: file.cases.map((result) => ({
        name: result.name,
        line: result.line,
        column: result.column,
        passed: result.passed,
        expected: result.expected,
        actual: {
          outcome: result.actual.outcome,
          rule: result.actual.rule,
          message: result.actual.message,
          ...(result.actual.retryAfterMs !== undefined ? { retry_after_ms: result.actual.retryAfterMs } : {}),
        },
      })),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** JUnit XML: a suite per test file, a test case per case; a file that could not run is one errored case. */
export function formatTestJunit(results: readonly TestFileResult[]): string {
  const { passed, failed, broken } = totals(results);
  const seconds = results.reduce((sum, file) => sum + file.durationMs, 0) / 1000;
  let xml = JUNIT_HEADER + junitSuitesOpen({ name: 'policylayer test', tests: passed + failed + broken, failures: failed, errors: broken, timeSeconds: seconds });
  for (const file of results) {
    const classname = `policylayer.test.${file.file}`;
    if (file.problems.length > 0) {
      xml += junitSuiteOpen({ name: file.file, tests: 1, failures: 0, errors: 1, timeSeconds: file.durationMs / 1000 });
      const details = file.problems.map((p) => `${p.where}: ${p.message}`).join('\n');
      xml += junitCase({ name: `${file.file} (could not run)`, classname, error: { message: file.problems[0]!.message.split('\n')[0]!, type: 'invalid-input', details } });
    } else {
      const fileFailed = file.cases.filter((c) => !c.passed).length;
      xml += junitSuiteOpen({ name: file.file, tests: file.cases.length, failures: fileFailed, timeSeconds: file.durationMs / 1000 });
      for (const result of file.cases) {
        const failure = `expected ${expectedText(result)}, got ${actualText(result)}`;
        xml += junitCase({
          name: result.name,
          classname,
          ...(result.passed ? {} : { failure: { message: failure, type: 'expectation', details: `${file.file}:${result.line}:${result.column}: ${failure}` } }),
        });
      }
    }
    xml += '  </testsuite>\n';
  }
  return `${xml}</testsuites>\n`;
}
