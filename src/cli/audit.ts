import type { Command } from 'commander';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import type { VerifyProblem, VerifyResult } from '../audit/verify.js';
import { InputError } from '../errors.js';
import type { Io } from '../output/io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './context.js';

const head = z.string().check(
  z.refine((value) => /^[0-9a-fA-F]{64}$/.test(value), { error: (issue) => `expected 64 hex digits (a head from audit verify or a checkpoint line), got "${String(issue.input)}"` }),
);

export const AuditVerifyOptionsSchema = z.object({
  key: z._default(z.array(z.string()), []),
  open: z._default(z.boolean(), false),
  head: z._default(z.array(head), []),
});

/**
 * `policylayer audit verify FILE`: 0 when intact; 1 at the first changed, missing, inserted or
 * unsealed line, a wrong key, or a head not found; 2 when unreadable, or keyed and no --key given.
 */
export async function auditVerify(file: string, rawOptions: unknown, io: Io): Promise<number> {
  const options = parseOptions(AuditVerifyOptionsSchema, rawOptions);
  const absolute = resolve(io.cwd, file);
  const shown = displayPath(io.cwd, absolute);
  const { readAuditKey } = await import('../audit/key.js');
  const keys = options.key.map((path) => readAuditKey(resolve(io.cwd, path), path));
  const { verifyAuditLog } = await import('../audit/verify.js');
  let result: VerifyResult;
  try {
    result = await verifyAuditLog(absolute, { keys, open: options.open, heads: options.head });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
  const { problem } = result;
  if (problem?.kind === 'key-needed') throw new InputError(`${shown}:${problem.line}`, problem.message);
  for (const note of result.notes) io.stdout.write(`${shown}:${note.line}: note: ${note.message}\n`);
  for (const found of result.headsFound) io.stdout.write(`${shown}:${found.line}: head ${found.head} found: lines 1–${found.line} are as they were when it was taken\n`);
  if (problem) {
    io.stdout.write(`${shown}:${problem.line}: ${problem.message}\n`);
    io.stdout.write(`${shown}: not intact: ${intactLines(problem)}; ${problem.summary}\n`);
    return 1;
  }
  io.stdout.write(`${shown}: ${describeIntact(result)}\n`);
  return 0;
}

function intactLines(problem: VerifyProblem): string {
  if (problem.intact === 0) return 'no line verifies';
  return problem.intact === 1 ? 'line 1 verifies' : `lines 1–${problem.intact} verify`;
}

function describeIntact(result: VerifyResult): string {
  if (result.lines === 0) return 'empty: nothing to verify';
  const lines = `${result.lines} line${result.lines === 1 ? '' : 's'}`;
  const runs = `${result.runs.length} run${result.runs.length === 1 ? '' : 's'}`;
  const last = result.runs.at(-1)!;
  const state = last.sealed ? 'sealed' : last.chain === 'legacy' ? 'written before seals' : 'not sealed yet';
  const intact = last.sealed || last.chain === 'legacy' ? 'intact' : 'intact so far';
  const headText = result.head ? `; head ${result.head.value} (lines 1–${result.head.line})` : '';
  return `${intact}: ${lines}, ${runs}, ${result.runs.length === 1 ? state : `the last ${state}`}${headText}`;
}

/** `policylayer audit keygen FILE`: a new key, mode 0600; never overwrites. */
export async function auditKeygen(file: string, io: Io): Promise<number> {
  const { createAuditKey } = await import('../audit/key.js');
  const shown = displayPath(io.cwd, resolve(io.cwd, file));
  const key = createAuditKey(resolve(io.cwd, file), shown);
  io.stdout.write(`${shown}: a new audit key (key id ${key.id}), readable by you only (mode 0600)\n`);
  io.stdout.write(`use it with \`policylayer proxy --audit-key ${shown}\` and \`policylayer audit verify --key ${shown}\`; keep it from whoever can change the log\n`);
  return 0;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAudit(program: Command, context: CliContext): void {
  const audit = program.command('audit').description('work with the proxy\'s audit log');
  audit
    .command('verify')
    .description('check an audit log: exit 0 when intact; 1 at the first changed, missing, inserted or unsealed line, a wrong key or a head not found')
    .argument('<file>', 'the audit log (JSON Lines written by `policylayer proxy --audit`)')
    .option('--key <file>', 'the key the proxy used (--audit-key); repeat for runs with different keys. With a key, every run must be keyed', collect)
    .option('--open', 'the log may still be open, or a proxy on it crashed: accept runs without a seal and an incomplete last line (each is named)')
    .option('--head <hex>', 'a head kept from earlier (verify\'s output or a checkpoint line): it must still be in the log; repeatable', collect)
    .addHelpText(
      'after',
      `
Exit codes: 0 intact; 1 tampered or incomplete (the first problem is named); 2 unreadable, or the
log is keyed and no --key was given. docs/audit-log.md.`,
    )
    .action(async (file: string, options: unknown) => {
      context.exitCode = await auditVerify(file, options, context.io);
    });
  audit
    .command('keygen')
    .description('create a key for `proxy --audit-key` and `audit verify --key` (mode 0600; never overwrites)')
    .argument('<file>', 'where to write the key')
    .action(async (file: string) => {
      context.exitCode = await auditKeygen(file, context.io);
    });
}
