/** What a wrapped remote entry's proxy would send, without starting it: its options parsed as `policylayer proxy` parses them. */
import { Command } from 'commander';
import * as z from 'zod/mini';
import { parseOptions } from '../../src/cli/options.js';
import { addRemoteOptions, RemoteOptionsShape, remoteFromOptions } from '../../src/transport/options.js';

/** The headers `policylayer proxy` would send, parsed from the wrapped entry's args as the proxy parses them, with its env. */
export function headersTheProxySends(args: readonly string[], env: Record<string, unknown> | undefined): Record<string, string> {
  const command = addRemoteOptions(new Command('proxy').exitOverride().option('--policy <file>').option('--audit <file>').argument('[command...]'));
  command.parse(args.slice(2), { from: 'user' });
  const options = parseOptions(z.object({ ...RemoteOptionsShape, policy: z.optional(z.string()), audit: z.optional(z.string()) }), command.opts());
  const plan = remoteFromOptions(options, command.processedArgs[0] as string[], (env ?? {}) as Record<string, string>);
  if (plan.upstream.kind !== 'http') throw new Error('expected --upstream');
  return plan.upstream.headers;
}

