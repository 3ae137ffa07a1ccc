import type { Command } from 'commander';
import type { Io } from '../output/io.js';
import type { CliContext } from './context.js';

/** Prints the policy JSON Schema generated from the zod schema (the same text as schema/policy.schema.json). */
export async function schema(io: Io): Promise<number> {
  const { policyJsonSchema } = await import('../policy/json-schema.js');
  io.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
  return 0;
}

export function registerSchema(program: Command, context: CliContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of the policy language (for editors and "$schema")')
    .action(async () => {
      context.exitCode = await schema(context.io);
    });
}
