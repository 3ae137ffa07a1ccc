import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { EXIT, InputError, UsageError } from '../errors.js';
import { isCi, loadUi } from '../ui/load.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './context.js';

export const FAIL_ON = ['denied', 'limited', 'refused', 'asked', 'errors', 'unreadable'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const failOnList = z.pipe(
  z.string(),
  z.transform((value, ctx) => {
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 1 && items[0] === 'none') return [] as FailOn[];
    const unknown = items.filter((item) => !(FAIL_ON as readonly string[]).includes(item));
    if (unknown.length > 0 || items.length === 0) {
      ctx.issues.push({ code: 'custom', message: `expected "none" or a comma-separated list of ${FAIL_ON.join(', ')}; got "${value}"`, input: value });
      return z.NEVER;
    }
    return items as FailOn[];
  }),
);

export const TopOptionsSchema = z.object({
  audit: z.optional(z.string()),
  once: z.optional(z.boolean()),
  format: z.optional(z.enum(['text', 'json'])),
  failOn: z.optional(failOnList),
});

export interface TopTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * `policylayer top`: the live screen on a terminal, otherwise (or with --once / --format json) one
 * summary of the log as it is now. Exit codes of the summary: 0; 1 when a --fail-on class occurred
 * (by default only unreadable lines or sequence gaps, i.e. a summary that cannot be trusted); 2 when
 * the log cannot be read.
 */
export async function top(rawOptions: unknown, io: Io, terminal?: TopTerminal): Promise<number> {
  const options = parseOptions(TopOptionsSchema, rawOptions);
  const auditOption = options.audit ?? io.env.POLICYLAYER_AUDIT;
  if (!auditOption) {
    throw new UsageError('top needs an audit log: pass --audit FILE (the file given to `policylayer proxy --audit FILE`) or set POLICYLAYER_AUDIT');
  }
  const path = resolve(io.cwd, auditOption);
  const shown = displayPath(io.cwd, path);
  const live = !options.once && options.format !== 'json' && terminal !== undefined && terminal.stdin.isTTY && terminal.stdout.isTTY && !isCi(io.env);
  if (live) {
    await checkReadable(path, shown, true);
    const ui = await loadUi();
    return ui.runTop({ path, displayPath: shown, stdin: terminal.stdin, stdout: terminal.stdout });
  }
  await checkReadable(path, shown, false);
  const { summarizeAuditLog } = await import('../ui/model/read-once.js');
  const { view, text } = await summarizeAuditLog(path, shown, Date.now(), options.format ?? 'text');
  io.stdout.write(text);
  const failOn = options.failOn ?? ['unreadable'];
  const failed = failOn.some((cls) => {
    if (cls === 'unreadable') return view.health.unreadable > 0 || view.health.seqGaps > 0;
    return view.totals[cls] > 0;
  });
  return failed ? EXIT.findings : EXIT.ok;
}

/** The live screen may wait for a log that does not exist yet; a summary needs one. */
async function checkReadable(path: string, shown: string, mayBeMissing: boolean): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(shown, 'is a folder, not an audit log');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (mayBeMissing) return;
      throw new InputError(shown, 'no such file');
    }
    if (code === 'EACCES') throw new InputError(shown, 'permission denied');
    throw error;
  }
}

export function registerTop(program: Command, context: CliContext): void {
  program
    .command('top')
    .description('watch an audit log live: calls per tool, counter budgets, recent decisions')
    .option('--audit <file>', 'the audit log the proxy writes (default: $POLICYLAYER_AUDIT)')
    .option('--once', 'print one summary and exit (the default without a terminal)')
    .option('--format <format>', 'summary format: text or json (json implies --once)')
    .option('--fail-on <classes>', `exit 1 when the summary has any of: ${FAIL_ON.join(', ')} (comma-separated; "none"); default unreadable`)
    .addHelpText(
      'after',
      `
Keys: q quit · p or space pause · t/T next/previous tool · o/O next/previous outcome · c or Esc clear filters

Without a terminal (or with --once) prints one summary and exits:
  0  summary printed, nothing in --fail-on occurred
  1  something in --fail-on occurred (default: unreadable lines or gaps in the line sequence)
  2  usage error, or the log cannot be read`,
    )
    .action(async (options: unknown) => {
      const terminal = context.io.stdout === process.stdout ? { stdin: process.stdin, stdout: process.stdout } : undefined;
      context.exitCode = await top(options, context.io, terminal);
    });
}
