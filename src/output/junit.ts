import { xmlEscape } from './xml.js';

/**
 * JUnit XML, the test report format CI systems read (GitHub test reporters, GitLab, Jenkins): one
 * <testsuites> with a <testsuite> per file, a <testcase> per check, <failure> for a failed one.
 */
export interface JunitCase {
  name: string;
  classname: string;
  timeSeconds?: number;
  failure?: { message: string; type: string; details: string };
  /** The check could not run at all (JUnit distinguishes errors from failures). */
  error?: { message: string; type: string; details: string };
}

export interface JunitSuite {
  name: string;
  tests: number;
  failures: number;
  errors?: number;
  timeSeconds?: number;
}

export const JUNIT_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function junitSuitesOpen(suite: JunitSuite): string {
  return `<testsuites name="${xmlEscape(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors ?? 0}" time="${seconds(suite.timeSeconds)}">\n`;
}

export function junitSuiteOpen(suite: JunitSuite): string {
  return `  <testsuite name="${xmlEscape(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors ?? 0}" skipped="0" time="${seconds(suite.timeSeconds)}">\n`;
}

export function junitCase(test: JunitCase): string {
  const open = `    <testcase name="${xmlEscape(test.name)}" classname="${xmlEscape(test.classname)}" time="${seconds(test.timeSeconds)}"`;
  const problem = test.failure ? { element: 'failure', ...test.failure } : test.error ? { element: 'error', ...test.error } : undefined;
  if (!problem) return `${open}/>\n`;
  const { element, message, type, details } = problem;
  return `${open}>\n      <${element} message="${xmlEscape(message)}" type="${xmlEscape(type)}">${xmlEscape(details)}</${element}>\n    </testcase>\n`;
}

export function junitSystemOut(text: string): string {
  return `    <system-out>${xmlEscape(text)}</system-out>\n`;
}

function seconds(value: number | undefined): string {
  return (value ?? 0).toFixed(3);
}
