/**
 * What one proxy process shares across its connections: the policy and its decider (so every
 * client of `--listen` spends the same budgets), the audit log, the recording, and `--watch`.
 * A stdio proxy has one connection; `--listen` has one per client session.
 */
import type { AuditKey } from '../audit/key.js';
import { AuditWriter } from '../audit/writer.js';
import type { CompiledPolicy } from '../engine/compile.js';
import { createDecider, type Decider } from '../engine/decider.js';
import { UserError } from '../errors.js';
import { CallAuditor } from './call-audit.js';
import { readWhenStable, watchPolicyFile } from './policy-watch.js';
import { Recorder } from './recorder.js';

export interface ProxyPolicy {
  compiled: CompiledPolicy;
  /** How messages and the audit log name the policy file. */
  display: string;
  sha256: string;
  /** For `--watch`: the file to watch, and how to compile its new bytes (throws a UserError listing the findings when invalid). */
  file?: string;
  load?: (bytes: Buffer) => Promise<{ compiled: CompiledPolicy; sha256: string }>;
}

export interface SharedOptions {
  policy: ProxyPolicy;
  /** Decides calls; bring your own to use another counter store. Default: in memory. */
  decider?: Decider;
  /** `key`: chain with HMAC-SHA256 (`--audit-key`). */
  audit?: { path: string; display: string; key?: AuditKey };
  record?: { path: string; display: string };
}

export class ProxyShared {
  private constructor(
    readonly policy: ProxyPolicy,
    readonly decider: Decider,
    readonly auditor: CallAuditor,
    readonly recorder: Recorder | undefined,
    /** Logs one message (the caller adds the prefix and newline). */
    readonly log: (message: string) => void,
  ) {}

  /** Opens the audit log and the recording; throws a UserError when either cannot be used. */
  static open(options: SharedOptions, log: (message: string) => void): ProxyShared {
    const auditWriter = options.audit ? AuditWriter.open(options.audit.path, options.audit.display, { key: options.audit.key }) : undefined;
    if (auditWriter?.warning) log(auditWriter.warning);
    let recorder: Recorder | undefined;
    try {
      recorder = options.record ? Recorder.open(options.record.path, options.record.display) : undefined;
    } catch (error) {
      auditWriter?.close();
      throw error instanceof UserError ? error : new UserError((error as Error).message);
    }
    const decider = options.decider ?? createDecider(options.policy.compiled);
    decider.setPolicy(options.policy.compiled);
    return new ProxyShared(options.policy, decider, new CallAuditor(auditWriter, log, options.audit?.key), recorder, log);
  }

  /** `--watch`: reloads the policy when its file changes and has stopped changing; returns the stop function. */
  watch(): () => void {
    const { policy, log } = this;
    if (!policy.file || !policy.load) return () => {};
    let current = policy.sha256;
    let loading = false;
    let again = false;
    const reload = async (): Promise<void> => {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        // Only a file that has stopped changing, and parses, replaces the policy.
        const bytes = await readWhenStable(policy.file!);
        if (!bytes) {
          log(`${policy.display} kept changing; the current policy stays until it settles`);
          return;
        }
        const next = await policy.load!(bytes);
        if (next.sha256 === current) return;
        this.decider.setPolicy(next.compiled);
        current = next.sha256;
        log(`reloaded ${policy.display}`);
        this.auditor.lifecycle({ event: 'reload', policy: policy.display, policy_sha256: next.sha256, detail: 'accepted' });
      } catch (error) {
        const message = (error as Error).message;
        for (const line of message.split('\n')) log(line);
        log('kept the previous policy');
        this.auditor.lifecycle({ event: 'reload', policy: policy.display, detail: `rejected: ${message.split('\n')[0]}` });
      } finally {
        loading = false;
        if (again) {
          again = false;
          void reload();
        }
      }
    };
    return watchPolicyFile(policy.file, () => void reload(), (error) => log(`cannot watch ${policy.display}: ${error.message}`));
  }

  /** Closes the audit log (writing its seal), the recording and the counter store. */
  async close(): Promise<void> {
    this.auditor.close();
    this.recorder?.close();
    await this.decider.close().catch(() => {});
  }
}
