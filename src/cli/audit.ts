import type { Command } from 'commander';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { InputError } from '../errors.js';
import type { Io } from './io.js';
import { parseOptions } from './options.js';
import { displayPath } from './paths.js';
import type { CliContext } from './program.js';

export const AuditVerifyOptionsSchema = z.object({});

/** `policylayer audit verify FILE`: 0 when the hash chain is intact, 1 at the first broken or missing line, 2 when unreadable. */
export async function auditVerify(file: string, rawOptions: unknown, io: Io): Promise<number> {
  parseOptions(AuditVerifyOptionsSchema, rawOptions);
  const absolute = resolve(io.cwd, file);
  const shown = displayPath(io.cwd, absolute);
  const { verifyAuditLog } = await import('../audit/verify.js');
  let result;
  try {
    result = await verifyAuditLog(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
  if (result.problem) {
    io.stdout.write(`${shown}:${result.problem.line}: ${result.problem.message}\n`);
    io.stdout.write(`${shown}: broken at line ${result.problem.line}; lines before it are intact\n`);
    return 1;
  }
  io.stdout.write(`${shown}: intact, ${result.lines} line${result.lines === 1 ? '' : 's'}${result.lines > 0 ? `, last line's SHA-256 ${result.lastHash}` : ''}\n`);
  return 0;
}

export function registerAudit(program: Command, context: CliContext): void {
  const audit = program.command('audit').description('work with the proxy\'s audit log');
  audit
    .command('verify')
    .description('check an audit log\'s hash chain: exit 0 when intact, 1 at the first changed, missing or broken line')
    .argument('<file>', 'the audit log (JSON Lines written by `policylayer proxy --audit`)')
    .action(async (file: string, options: unknown) => {
      context.exitCode = await auditVerify(file, options, context.io);
    });
}
