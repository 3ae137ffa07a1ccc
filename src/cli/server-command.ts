import type { Command } from 'commander';
import * as z from 'zod/mini';

/**
 * Splits a command's operands at `--`: what comes before (e.g. a built-in server id) and the server
 * command after it, or undefined when there is no `--`. Commander hands every operand over in one
 * list, so the position of `--` is read from the argv the program was parsed from.
 */
export function operandsAroundDoubleDash(command: Command): { before: string[]; after: string[] | undefined } {
  let root: Command = command;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const at = raw.indexOf('--');
  const operands = command.args;
  if (at < 0) return { before: [...operands], after: undefined };
  const after = raw.slice(at + 1);
  return { before: operands.slice(0, Math.max(0, operands.length - after.length)), after };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `30s`, `1500ms`, `2m`, or a plain number of seconds; more than zero and at most an hour. */
export const durationMs = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value, ctx) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(String(value));
    const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's']! : Number.NaN;
    if (!Number.isFinite(ms) || ms <= 0 || ms > 3_600_000) {
      ctx.issues.push({ code: 'custom', message: `expected a duration such as 30s, 1500ms or 2m (at most 1 hour), got "${value}"`, input: value });
      return z.NEVER;
    }
    return Math.round(ms);
  }),
);
