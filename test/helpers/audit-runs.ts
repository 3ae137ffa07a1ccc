/**
 * Audit logs written by the real AuditWriter (src/audit/writer.ts), with a fixed clock and fixed
 * keys so their bytes are the same on every run: runs of start, calls, results and stop lines,
 * sealed by close() unless a run "crashes" (its seal is cut off, as if the proxy had been killed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuditKey, type AuditKey } from '../../src/audit/key.js';
import { AuditWriter } from '../../src/audit/writer.js';

function fixedKey(hex: string): AuditKey {
  const key = parseAuditKey(hex);
  if (typeof key === 'string') throw new Error(key);
  return key;
}

export const KEY_A = fixedKey('a1'.repeat(32));
export const KEY_B = fixedKey('b2'.repeat(32));
/** The attacker's: not one the verifier is given. */
export const KEY_X = fixedKey('e7'.repeat(32));

export interface RunSpec {
  key?: AuditKey;
  /** Calls in the run (each a call line and a result line). */
  calls: number;
  /** The run ends without a seal (its proxy killed). */
  crash?: boolean;
}

export const START_MS = Date.UTC(2026, 10, 24, 10, 0, 0);

/** Appends the runs to `path` (a new or existing log); each run's lines are as the proxy writes them. */
export function appendRuns(path: string, runs: readonly RunSpec[], checkpointLines = 4, clock = { ms: START_MS }): void {
  for (const run of runs) {
    const writer = AuditWriter.open(path, path, { ...(run.key ? { key: run.key } : {}), checkpointLines, checkpointMs: Number.POSITIVE_INFINITY, now: () => (clock.ms += 250) });
    writer.append({ event: 'start', policy: 'policy.json', policy_sha256: 'c0ffee'.padEnd(64, '0'), detail: 'grant local session s1', grant: 'local', session: 's1', server: ['mcp-slicer'] });
    for (let i = 1; i <= run.calls; i++) {
      writer.append({
        event: 'call',
        grant: 'local',
        session: 's1',
        request_id: i,
        tool: 'execute_python_code',
        outcome: i % 3 === 0 ? 'deny' : 'allow',
        enforced: true,
        rule: i % 3 === 0 ? '/tools/execute_python_code/limits/0' : '/tools/execute_python_code',
        message: i % 3 === 0 ? 'Rate limit reached' : '',
        arg_keys: ['code'],
        args_sha256: 'a'.repeat(64),
      });
      if (i % 3 !== 0) writer.append({ event: 'result', request_id: i, tool: 'execute_python_code', latency_ms: 3, error: null, rolled_back: false });
    }
    writer.append({ event: 'stop', detail: 'the client closed the connection', grant: 'local', session: 's1', exit_code: 0, signal: null });
    writer.close();
    if (run.crash) {
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    }
  }
}

/** The bytes of a new log made of these runs. */
export function logOf(runs: readonly RunSpec[], checkpointLines = 4): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'policylayer-audit-runs-'));
  try {
    const path = join(dir, 'audit.jsonl');
    appendRuns(path, runs, checkpointLines);
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
