import type { Command } from 'commander';
import * as z from 'zod/mini';
import type { StateFailMode } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { parseStateSpec, STATE_USAGE, type StateSpec } from './spec.js';

/**
 * The `--state`, `--state-fail-mode` and `--state-timeout` options, shared by every command that
 * counts calls (proxy, replay, explain). Light on purpose: command modules import this eagerly.
 *
 *   addStateOptions(command);                                        // commander
 *   const Schema = z.object({ ...StateOptionsShape, other: … });     // zod/mini, defaults included
 *   const state = stateFromOptions(parseOptions(Schema, raw), io.cwd);
 *   const store = await openCounterStore(state);                     // lazily: await import('./open.js')
 */
export const DEFAULT_STATE_TIMEOUT_MS = 2000;
export const MAX_STATE_TIMEOUT_MS = 600_000;

export function addStateOptions(command: Command): Command {
  return command
    .option('--state <spec>', `where rate-limit counters live: ${STATE_USAGE} (default: memory)`)
    .option('--state-fail-mode <mode>', 'when the counter store cannot be reached: closed denies calls that need counters, open allows them; both are audited (default: closed)')
    .option('--state-timeout <ms>', `how long to wait for the counter store before it counts as unreachable (default: ${DEFAULT_STATE_TIMEOUT_MS})`);
}

const stateTimeout = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_STATE_TIMEOUT_MS) {
      ctx.issues.push({ code: 'custom', message: `expected milliseconds between 1 and ${MAX_STATE_TIMEOUT_MS}, got "${value}"`, input: value });
      return z.NEVER;
    }
    return n;
  }),
);

/** Spread into a command's zod/mini object schema. `state` stays the raw text: it is resolved against the command's cwd by stateFromOptions. */
export const StateOptionsShape = {
  state: z._default(
    z.string().check(
      z.refine((value) => parseStateSpec(value, '/').ok, {
        error: (issue) => {
          const parsed = parseStateSpec(String(issue.input), '/');
          return parsed.ok ? 'invalid' : parsed.message;
        },
      }),
    ),
    'memory',
  ),
  stateFailMode: z._default(z.enum(['closed', 'open'], { error: (issue) => `expected closed or open, got ${JSON.stringify(issue.input)}` }), 'closed'),
  stateTimeout: z._default(stateTimeout, DEFAULT_STATE_TIMEOUT_MS),
};

export interface StateOptions {
  state: string;
  stateFailMode: StateFailMode;
  stateTimeout: number;
}

/** What a command needs to open its store and build its Enforcer. */
export interface StateConfig {
  spec: StateSpec;
  failMode: StateFailMode;
  timeoutMs: number;
}

export function stateFromOptions(options: StateOptions, cwd: string): StateConfig {
  const parsed = parseStateSpec(options.state, cwd);
  if (!parsed.ok) throw new UsageError(`--state: ${parsed.message}`);
  return { spec: parsed.spec, failMode: options.stateFailMode, timeoutMs: options.stateTimeout };
}
