/**
 * The reader fixtures (fixtures/servers/readers) as servers behind the proxy in attack tests: each
 * logs every call it executes, so a test asserts on what really ran, as that reader read it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { ROOT } from './cli.js';

const READERS = resolve(ROOT, 'fixtures/servers/readers');

export type ReaderKind = 'python' | 'ts' | 'readline' | 'scanner';

export interface ExecutedCall {
  tool: string;
  id: unknown;
  args: Record<string, unknown>;
}

export interface LoggingReader {
  command: string[];
  /** The calls the reader executed so far, in order. */
  executed(): ExecutedCall[];
}

let logs = 0;

/** A reader of `kind` that logs the calls it executes to a new file in `dir`. */
export function loggingReader(dir: string, kind: ReaderKind): LoggingReader {
  const log = join(dir, `executed-${++logs}.jsonl`);
  const command =
    kind === 'python'
      ? ['python3', join(READERS, 'python_sdk_reader.py'), '--log', log]
      : kind === 'ts'
        ? [process.execPath, join(READERS, 'ts-sdk-reader.mjs'), '--log', log]
        : [process.execPath, join(READERS, 'line-reader.mjs'), '--style', kind, '--log', log];
  return {
    command,
    executed: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as ExecutedCall)
        : [],
  };
}

/** The policy the attack tests run against: one hidden tool, one limited, one argument check. */
export const ATTACK_POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  hide: ['delete_everything'],
  tools: {
    list_nodes: {},
    slow_job: { limits: [{ counter: 'slow', window: 'minute', max: 3, scope: 'grant' }] },
    execute_python_code: { deny_if: [{ conditions: [{ path: 'args.code', op: 'contains', value: 'subprocess' }] }] },
  },
};
