import type { ChalkInstance } from 'chalk';
import { parseCounterKey } from '../engine/keys.js';
import type { Call, ConditionTrace, Decision, Outcome, TraceStep } from '../engine/types.js';
import { printable } from '../output/printable.js';
import { formatIsoTime } from '../util/time.js';

export interface ExplainReport {
  call: Call;
  atMs: number;
  /** How many identical calls the explained one is the last of. */
  repeat: number;
  decision: Decision;
  policyPath: string;
  /** 1-based position of a rule pointer in the policy file, when it is one. */
  locate: (rule: string) => { line: number; column: number } | undefined;
}

const MAX_VALUE_CHARS = 80;

/** A JSON value on one line, cut to a readable length. */
function show(value: unknown): string {
  const text = printable(JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(3)} s`;
}

/** The explanation for people: the decision first, then every rule considered, in order. */
export function formatExplainStylish(report: ExplainReport, color: ChalkInstance): string {
  const { call, decision } = report;
  const paint: Record<Outcome, (text: string) => string> = { allow: color.green, deny: color.red, approval_required: color.yellow };
  const where = (rule: string) => {
    const at = report.locate(rule);
    return at ? color.dim(` (${report.policyPath}:${at.line}:${at.column})`) : '';
  };
  const lines: string[] = [];
  lines.push(`${color.bold(printable(call.tool))} → ${color.bold(paint[decision.outcome](decision.outcome))}`);
  lines.push(`  rule     ${printable(decision.rule)}${where(decision.rule)}`);
  if (decision.message) lines.push(`  message  ${printable(decision.message)}`);
  if (decision.retryAfterMs !== undefined) lines.push(`  retry    in ${seconds(decision.retryAfterMs)} (at ${formatIsoTime(report.atMs + decision.retryAfterMs)})`);
  lines.push(
    `  call     grant ${printable(call.grant)}, session ${printable(call.session)}, at ${formatIsoTime(report.atMs)}${report.repeat > 1 ? `, call ${report.repeat} of ${report.repeat} identical calls` : ''}`,
  );
  lines.push(`  args     ${show(call.args)}`);
  lines.push('', color.bold('Rules considered, in order:'));
  const width = Math.min(48, Math.max(...decision.trace!.map((step) => step.rule.length)));
  for (const step of decision.trace!) {
    const mark = stepMark(step, color);
    lines.push(`  ${mark} ${printable(step.rule).padEnd(width)}  ${printable(stepSummary(step, report.atMs))}${where(step.rule)}`);
    for (const condition of step.conditions ?? []) lines.push(`      ${conditionLine(condition, color)}`);
  }
  return `${lines.join('\n')}\n`;
}

function stepMark(step: TraceStep, color: ChalkInstance): string {
  if (step.result === 'skipped') return color.dim('·');
  if (step.kind === 'allow') return color.green('→');
  if (step.result === 'passed') return color.green('✓');
  return step.kind === 'require_approval' ? color.yellow('?') : color.red('✗');
}

function stepSummary(step: TraceStep, atMs: number): string {
  const decided = step.result === 'matched';
  switch (step.kind) {
    case 'hide':
    case 'default':
      return step.note ?? '';
    case 'deny_if':
      return `${decided ? 'matched: denies the call' : 'did not match'}${step.note ? ` (${step.note})` : ''}`;
    case 'require':
      return `${decided ? 'not met: denies the call' : 'met'}${step.note ? ` (${step.note})` : ''}`;
    case 'require_approval':
      return `${decided ? 'matched: a human must approve' : 'did not match'}${step.note ? ` (${step.note})` : ''}`;
    case 'allow':
      return 'allow';
    case 'limit': {
      if (!step.counter) return step.note ?? '';
      const { used, amount, max, windowEndMs, key } = step.counter;
      const parsed = parseCounterKey(key);
      const scope = parsed ? `, ${parsed.window} window, ${parsed.scope}${parsed.scopeId ? ` ${printable(parsed.scopeId)}` : ''}` : '';
      const counter = parsed ? `counter "${printable(parsed.counter)}"${scope}` : key;
      const sum = `${used} used + ${amount} ${used + amount <= max ? '≤' : '>'} max ${max}`;
      const verdict = step.result === 'skipped' ? (step.note ?? '') : decided ? 'full: denies the call' : 'fits';
      return `${counter}: ${sum}; resets in ${seconds(windowEndMs - atMs)} — ${verdict}`;
    }
  }
}

function conditionLine(condition: ConditionTrace, color: ChalkInstance): string {
  if (condition.op === 'python') return pythonConditionLine(condition, color);
  const expected = condition.op === 'exists' && condition.expected === undefined ? '' : ` ${show(condition.expected)}`;
  const found = condition.present ? `found ${show(condition.actual)}${laxText(condition)}` : condition.lax ? laxText(condition).slice(2) : 'not present';
  return `${condition.held ? color.green('holds') : color.red('fails')}  ${condition.path} ${condition.op}${expected}  ${color.dim(`(${found})`)}`;
}

/** Why a condition decided on a value other than the one sent: how a Python server reads it (docs/policy-language.md#conditions). */
function laxText(condition: ConditionTrace): string {
  const lax = condition.lax;
  if (!lax) return '';
  if (lax.via === 'json-member') {
    const top = condition.path.split('.').slice(0, 2).join('.');
    return `, ${top} is the string ${show(lax.from)}, which Python servers parse as JSON: ${condition.path} is ${show(lax.value)} there`;
  }
  return `, which Python servers ${lax.via === 'json' ? 'parse as JSON' : 'read as'} ${show(lax.value)}`;
}

/** A `python` condition: what in the code decided, where, and that line of the code (not the whole guard). */
function pythonConditionLine(condition: ConditionTrace, color: ChalkInstance): string {
  const status = condition.held ? color.green('holds') : color.red('fails');
  const finding = condition.finding;
  if (!condition.present) return `${status}  ${condition.path} python  ${color.dim('(not present)')}`;
  if (!finding) return `${status}  ${condition.path} python  ${color.dim('(the code passes the guard)')}`;
  const line = `${status}  ${condition.path} python  ${color.dim(`(code line ${finding.line}, column ${finding.column}: ${finding.reason})`)}`;
  const text = typeof condition.actual === 'string' ? condition.actual.split(/\r\n|\r|\n/)[finding.line - 1] : undefined;
  if (text === undefined) return line;
  const shown = text.length > 100 ? `${text.slice(0, 97)}...` : text;
  const gutter = `${finding.line} | `;
  return `${line}\n        ${color.dim(gutter)}${shown}\n        ${' '.repeat(gutter.length + Math.min(finding.column - 1, 100))}${color.red('^')}`;
}

/** The same explanation as one JSON document (snake_case, like the audit log). */
export function formatExplainJson(report: ExplainReport): string {
  const { call, decision } = report;
  const location = (rule: string) => {
    const at = report.locate(rule);
    return at ? { location: { file: report.policyPath, line: at.line, column: at.column } } : {};
  };
  const json = {
    tool: call.tool,
    args: call.args,
    grant: call.grant,
    session: call.session,
    at: formatIsoTime(report.atMs),
    repeat: report.repeat,
    outcome: decision.outcome,
    rule: decision.rule,
    ...location(decision.rule),
    message: decision.message,
    ...(decision.retryAfterMs !== undefined ? { retry_after_ms: decision.retryAfterMs } : {}),
    ...(decision.stateUnavailable ? { state_unavailable: { fail_mode: decision.stateUnavailable.failMode, error: decision.stateUnavailable.error } } : {}),
    reservations: decision.reservations.map((r) => ({
      counter: r.counter,
      window: r.window,
      scope: r.scope,
      scope_id: r.scopeId,
      amount: r.amount,
      max: r.max,
      rule: r.rule,
      resets_at: formatIsoTime(r.windowEndMs),
    })),
    trace: decision.trace!.map((step) => ({
      rule: step.rule,
      kind: step.kind,
      result: step.result,
      ...location(step.rule),
      ...(step.note ? { note: step.note } : {}),
      ...(step.conditions
        ? {
            conditions: step.conditions.map((c) => ({
              path: c.path,
              op: c.op,
              ...(c.expected !== undefined ? { value: c.expected } : {}),
              present: c.present,
              ...(c.present ? { actual: c.actual } : {}),
              held: c.held,
              ...(c.lax ? { lax_reading: { via: c.lax.via, value: c.lax.value } } : {}),
              ...(c.finding ? { finding: { kind: c.finding.kind, name: c.finding.name, line: c.finding.line, column: c.finding.column, reason: c.finding.reason } } : {}),
            })),
          }
        : {}),
      ...(step.counter
        ? {
            counter: {
              ...counterJson(step.counter.key),
              used: step.counter.used,
              amount: step.counter.amount,
              max: step.counter.max,
              resets_at: formatIsoTime(step.counter.windowEndMs),
            },
          }
        : {}),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function counterJson(key: string): Record<string, unknown> {
  const parsed = parseCounterKey(key);
  if (!parsed) return { key };
  return { counter: parsed.counter, window: parsed.window, scope: parsed.scope, scope_id: parsed.scopeId, window_start: formatIsoTime(parsed.windowStartMs) };
}
