import { closeSync, openSync, writeSync } from 'node:fs';
import { UserError } from '../errors.js';

/** One line of a recording (docs/recordings.md), the format `policylayer replay` reads. */
export interface RecordedCall {
  ts: string;
  tool: string;
  args: unknown;
  grant: string;
  session: string;
  /** The JSON-RPC request id, to find the call in the audit log. */
  id: string | number;
}

/**
 * `--record FILE`: every decided tools/call with its full arguments, one JSON line each, appended
 * with a synchronous write as the call is decided (before it is forwarded), so replay sees the real
 * traffic even when the proxy is killed. Opt-in: argument values can be sensitive, so a new file is
 * created readable by its owner only (mode 0600).
 */
export class Recorder {
  private constructor(private fd: number) {}

  static open(path: string, shownPath: string = path): Recorder {
    try {
      return new Recorder(openSync(path, 'a', 0o600));
    } catch (error) {
      throw new UserError(`${shownPath}: cannot open the recording (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }

  record(call: RecordedCall): void {
    if (this.fd < 0) return;
    const line = Buffer.from(`${JSON.stringify({ ts: call.ts, tool: call.tool, args: call.args, grant: call.grant, session: call.session, id: call.id })}\n`, 'utf8');
    let offset = 0;
    while (offset < line.length) offset += writeSync(this.fd, line, offset, line.length - offset);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
