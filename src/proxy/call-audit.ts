import { canonicalJson } from '../util/canonical-json.js';
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../audit/hash.js';
import type { AuditKey } from '../audit/key.js';
import type { AuditCallEntry, AuditLifecycleEntry } from '../audit/types.js';
import type { AuditWriter } from '../audit/writer.js';
import type { CallEndingKind } from '../engine/call-end.js';
import type { Decision } from '../engine/types.js';
import type { RefusalRecord } from './context.js';
import { callLineMembers, resultLineMembers } from './audit-lines.js';
export { countersOf } from './audit-lines.js';

export interface CallRecord {
  grant: string;
  session: string;
  id: string | number;
  tool: string;
  args: unknown;
  decision: Decision;
  approval?: AuditCallEntry['approval'];
  /** Overrides the decision's message (approval denials say why). */
  message?: string;
  /** False when the reservations were given back before this line (a refused approval). */
  reservationsKept?: boolean;
}

export interface ResultRecord {
  id: string | number;
  tool: string;
  ending: CallEndingKind;
  latencyMs: number;
  error: string | null;
  errorCode?: number;
  isError?: boolean;
  rolledBack: boolean;
}

type LifecycleBody = Omit<AuditLifecycleEntry, 'v' | 'ts' | 'seq' | 'prev'>;

/**
 * Turns decisions and results into audit lines (docs/audit-log.md); does nothing without `--audit`.
 * A call line that cannot be written throws (the caller refuses the call: fail closed); a result or
 * lifecycle line that cannot be written is reported and the traffic goes on (the call already ran).
 */
export class CallAuditor {
  private failures = 0;

  /** With `--audit-key`: arguments are fingerprinted with a key derived from it, not plain SHA-256. */
  private readonly argsKey: Buffer | undefined;

  constructor(
    private readonly writer: AuditWriter | undefined,
    private readonly onError: (message: string) => void = () => {},
    key?: AuditKey,
  ) {
    this.argsKey = key ? createHmac('sha256', key.bytes).update('policylayer audit arguments').digest() : undefined;
  }

  /** Whether decisions should carry a trace (the counters' state is taken from it). */
  get enabled(): boolean {
    return this.writer !== undefined;
  }

  /**
   * `now`: written before returning (the call must be on file before it runs); throws when it
   * cannot be. `batched`: chained now, written by the release() that ends the current hold.
   */
  call(record: CallRecord, when: 'now' | 'batched' = 'now'): void {
    const writer = this.writer;
    if (!writer) return;
    const { decision, args } = record;
    writer.appendMembers(
      callLineMembers({
        grant: record.grant,
        session: record.session,
        id: record.id,
        tool: record.tool,
        decision,
        // Never the argument values a message may name (explain shows them; the log must not).
        message: record.message ?? decision.logMessage ?? decision.message,
        argKeys: argumentKeys(args),
        // A plain hash of low-entropy arguments (an amount, a flag) can be reversed by hashing
        // guesses; under a key it cannot.
        argsMember: this.argsKey ? 'args_hmac_sha256' : 'args_sha256',
        argsHash: this.argsKey ? argumentsHmac(this.argsKey, args) : argumentsHash(args),
        reservationsKept: record.reservationsKept ?? true,
        approval: record.approval,
      }),
    );
    if (when === 'now') writer.flush();
  }

  result(record: ResultRecord): void {
    if (!this.writer) return;
    const members = resultLineMembers({
      id: record.id,
      tool: record.tool,
      latencyMs: record.latencyMs,
      error: record.error,
      errorCode: record.errorCode,
      ending: record.ending,
      isError: record.isError,
      rolledBack: record.rolledBack,
    });
    try {
      // A result need not be on file before the answer goes on: the call has run (writer.ts).
      this.writer.appendMembersSoon(members);
    } catch (error) {
      this.guard(() => {
        throw error;
      });
    }
  }

  /** A client message refused before any decision; batched with the chunk's other lines when inside one. */
  refused(grant: string, session: string, record: RefusalRecord): void {
    if (!this.writer) return;
    this.guard(() =>
      this.writer!.append({
        event: 'refused',
        grant,
        session,
        reason: record.reason,
        detail: record.detail,
        ...(record.id !== undefined ? { request_id: record.id } : {}),
        ...(record.method !== undefined ? { method: record.method } : {}),
        ...(record.tool !== undefined ? { tool: record.tool } : {}),
      }),
    );
  }

  lifecycle(body: LifecycleBody): void {
    if (this.writer) this.guard(() => this.writer!.appendNow(body));
  }

  /** Lines until the matching release() are written together (one chunk of input handled). */
  hold(): void {
    this.writer?.hold();
  }

  /** Writes the lines waiting now, inside a hold too; returns the error when they could not be written (also logged). */
  flush(): unknown {
    return this.writeNow((writer) => writer.flush());
  }

  /** Writes the lines of the hold; returns the error when they could not be written (also logged). */
  release(): unknown {
    return this.writeNow((writer) => writer.release());
  }

  private writeNow(write: (writer: AuditWriter) => void): unknown {
    if (!this.writer) return undefined;
    try {
      write(this.writer);
      return undefined;
    } catch (error) {
      this.guard(() => {
        throw error;
      });
      return error;
    }
  }

  private guard(write: () => void): void {
    try {
      write();
    } catch (error) {
      // Said once, then every 1000th time: a full disk must not flood stderr.
      if (this.failures++ % 1000 === 0) this.onError(`cannot write the audit log (${(error as Error).message}); calls that need a new line are denied`);
    }
  }

  /** Seals and closes the log; a seal that cannot be written is reported like any other line. */
  close(): void {
    if (this.writer) this.guard(() => this.writer!.close());
  }
}

/** Top-level argument names, sorted: what a reader may know without seeing values. */
export function argumentKeys(args: unknown): string[] {
  return args !== null && typeof args === 'object' && !Array.isArray(args) ? Object.keys(args).sort() : [];
}

/** SHA-256 of the RFC 8785 canonical JSON of the arguments; absent arguments hash as `{}`. */
export function argumentsHash(args: unknown): string {
  return sha256Hex(canonicalJson(args === undefined ? {} : args));
}

/** The same canonical JSON under HMAC-SHA256. */
function argumentsHmac(key: Buffer, args: unknown): string {
  return createHmac('sha256', key).update(canonicalJson(args === undefined ? {} : args)).digest('hex');
}

