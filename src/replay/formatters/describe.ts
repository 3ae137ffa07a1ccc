import { printable } from '../../output/printable.js';
import type { ReplayEvent, Verdict } from '../summary.js';

export interface ReplayFormatOptions {
  /** Only failed expectations, changes, warnings and the summary. */
  quiet: boolean;
  policyPath: string;
  againstPath?: string;
}

/** `deny by /tools/x/limits/0: Rate limit …` */
export function verdictText(verdict: Verdict): string {
  return `${verdict.outcome} by ${verdict.rule}${verdict.message ? `: ${printable(verdict.message)}` : ''}`;
}

export function failureText(event: ReplayEvent): string {
  return `expected ${event.item.expect}, got ${verdictText(event.verdict)}`;
}

export function changeText(event: ReplayEvent): string {
  return `${event.before!.outcome} by ${event.before!.rule} → ${event.verdict.outcome} by ${event.verdict.rule}`;
}

export function where(event: { item: { file: string; line: number } }): string {
  return `${event.item.file}:${event.item.line}`;
}

/**
 * Shown calls: every call; when comparing, only the changed ones (a failed expectation whose outcome
 * did not change is listed in the summary's expectations section instead); with --quiet only what
 * needs attention.
 */
export function shouldShow(event: ReplayEvent, options: ReplayFormatOptions): boolean {
  if (event.before !== undefined) return event.changed;
  return event.failed || !options.quiet;
}

