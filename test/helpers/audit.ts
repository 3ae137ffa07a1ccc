/** Builds audit log lines (src/audit/types.ts) for tests: sequence numbers and the hash chain as the proxy writes them. */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, type AuditCallEntry, type AuditCounter, type AuditEntry, type AuditLifecycleEntry, type AuditResultEntry } from '../../src/audit/types.js';

type Omitted = 'v' | 'seq' | 'prev' | 'ts';
export type CallInput = Partial<Omit<AuditCallEntry, Omitted | 'event'>> & Pick<AuditCallEntry, 'tool' | 'outcome'>;

export class AuditWriter {
  private seq = 0;
  private prev = GENESIS_HASH;
  constructor(public clockMs: number = Date.UTC(2026, 10, 24, 10, 0, 0)) {}

  private line(body: Omit<AuditEntry, Omitted>, atMs: number): string {
    const entry = { v: 1, ts: new Date(atMs).toISOString(), seq: ++this.seq, prev: this.prev, ...body };
    const text = JSON.stringify(entry);
    this.prev = createHash('sha256').update(text).digest('hex');
    return text;
  }

  call(input: CallInput, atMs = this.clockMs): string {
    const body: Omit<AuditCallEntry, Omitted> = {
      event: 'call',
      grant: 'local',
      session: 's1',
      request_id: this.seq + 1,
      enforced: true,
      rule: input.outcome === 'allow' ? `/tools/${input.tool}` : '(default deny)',
      message: '',
      arg_keys: [],
      args_sha256: 'a'.repeat(64),
      ...input,
    };
    return this.line(body, atMs);
  }

  result(input: Partial<Omit<AuditResultEntry, Omitted | 'event'>> & { tool: string }, atMs = this.clockMs): string {
    const body: Omit<AuditResultEntry, Omitted> = { event: 'result', request_id: this.seq, latency_ms: 3, error: null, rolled_back: false, ...input };
    return this.line(body, atMs);
  }

  lifecycle(event: AuditLifecycleEntry['event'], extra: Partial<AuditLifecycleEntry> = {}, atMs = this.clockMs): string {
    return this.line({ event, ...extra } as Omit<AuditLifecycleEntry, Omitted>, atMs);
  }
}

export function counter(used: number, max: number, resetsAtMs: number, extra: Partial<AuditCounter> = {}): AuditCounter {
  return { counter: 'execute_python_code_rate', scope: 'grant', scope_id: 'local', window: 'minute', resets_at: new Date(resetsAtMs).toISOString(), used, max, ...extra };
}

/** A short session like the demo's: a start, reads, ten Python runs and an eleventh denied by the limit, a hidden tool. */
export function demoLog(startMs = Date.UTC(2026, 10, 24, 10, 0, 0), w = new AuditWriter(startMs)): string[] {
  const minuteEnd = Math.floor(startMs / 60_000) * 60_000 + 60_000;
  const lines = [w.lifecycle('start', { policy: 'policylayer.json', policy_sha256: 'c0ffee'.padEnd(64, '0') }, startMs)];
  let t = startMs + 1000;
  lines.push(w.call({ tool: 'list_nodes', outcome: 'allow' }, t), w.result({ tool: 'list_nodes' }, t + 5));
  for (let i = 1; i <= 10; i++) {
    t += 1000;
    lines.push(
      w.call({ tool: 'execute_python_code', outcome: 'allow', rule: '/tools/execute_python_code', arg_keys: ['code'], counters: [counter(i, 10, minuteEnd)] }, t),
      w.result({ tool: 'execute_python_code', ...(i === 3 ? { error: 'server exited', rolled_back: true } : {}) }, t + 20),
    );
  }
  t += 1000;
  lines.push(
    w.call(
      {
        tool: 'execute_python_code',
        outcome: 'deny',
        rule: '/tools/execute_python_code/limits/0',
        message: 'Rate limit execute_python_code_rate reached (10 per minute per grant); retry in 48s.',
        retry_after_ms: minuteEnd - t,
        arg_keys: ['code'],
        counters: [counter(10, 10, minuteEnd)],
      },
      t,
    ),
  );
  t += 1000;
  lines.push(w.call({ tool: 'delete_scene', outcome: 'deny', rule: '(hidden)', message: 'Tool delete_scene is hidden by the policy.' }, t));
  t += 1000;
  lines.push(w.call({ tool: 'capture_screenshot', outcome: 'approval_required', rule: '/tools/capture_screenshot/require_approval/0', message: 'approval declined', approval: 'declined' }, t));
  t += 1000;
  lines.push(w.call({ tool: 'capture_screenshot', outcome: 'approval_required', rule: '/tools/capture_screenshot/require_approval/0', message: '', approval: 'accepted' }, t));
  return lines;
}
