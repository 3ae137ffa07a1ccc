import { statSync } from 'node:fs';
import { makeCall } from '../engine/call.js';
import type { Call, Outcome } from '../engine/types.js';
import { InputError } from '../errors.js';
import { DEFAULT_START_MS } from '../engine/call.js';
import { readLineBatches } from './lines.js';
import { parseRecordingLine, type LineFormat } from './parse-line.js';

/** Calls without `ts` come this long after the call before them in the same file. */
export const STEP_MS = 1000;

export interface RecordedCall {
  kind: 'call';
  /** The file as shown to the user, and the 1-based line the call is on. */
  file: string;
  line: number;
  atMs: number;
  call: Call;
  /** False for audit log lines, which keep argument keys but not values. */
  argsKnown: boolean;
  expect?: Outcome;
  format: LineFormat;
  /** Set when `ts` was earlier than the call before it in the file: the call is replayed at that earlier call's time instead. */
  recordedAtMs?: number;
  /** Audit lines: the request id (JSON text) that the call's `result` line names. */
  requestId?: string;
  /** Audit lines: the call needed approval and did not get it (the proxy kept none of its budget). */
  notApproved?: boolean;
}

/** An audit `result` line: the forwarded call with this request id (in this file) ended. */
export interface RecordedResult {
  kind: 'result';
  file: string;
  line: number;
  atMs: number;
  requestId: string;
  rolledBack: boolean;
}

export interface RecordingProblem {
  kind: 'problem';
  file: string;
  line: number;
  message: string;
  /** The line's call was still replayed (out of time order); otherwise the line was skipped. */
  replayed?: boolean;
}

export type RecordingItem = RecordedCall | RecordedResult | RecordingProblem;

/** Fails early, with one clear line, for a recording that cannot be opened at all. */
export function checkRecordingFile(path: string, display: string): void {
  try {
    if (statSync(path).isDirectory()) throw new InputError(display, 'is a folder, not a recording');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(display, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
  }
}

/**
 * The calls of one recording in file order, with their times: `ts` when given, else one second after
 * the call before (the first at DEFAULT_START_MS). Times never go backwards within a file: a call
 * recorded earlier than the one before it is replayed at that one's time (`recordedAtMs` says so),
 * which keeps memory constant where sorting would need the whole file.
 */
export async function* readRecording(path: string, display: string, startMs = DEFAULT_START_MS): AsyncGenerator<RecordingItem[]> {
  let lastMs: number | undefined;
  try {
    for await (const lines of readLineBatches(path)) {
      const items: RecordingItem[] = [];
      for (const line of lines) {
        if (line.problem !== undefined) {
          items.push({ kind: 'problem', file: display, line: line.number, message: line.problem });
          continue;
        }
        const parsed = parseRecordingLine(line.text);
        if (parsed.problem !== undefined) {
          items.push({ kind: 'problem', file: display, line: line.number, message: parsed.problem });
          continue;
        }
        for (const found of parsed.calls) {
          let atMs: number;
          let recordedAtMs: number | undefined;
          if (found.tsMs === undefined) atMs = lastMs === undefined ? startMs : lastMs + STEP_MS;
          else if (lastMs !== undefined && found.tsMs < lastMs) {
            atMs = lastMs;
            recordedAtMs = found.tsMs;
          } else atMs = found.tsMs;
          lastMs = atMs;
          const item: RecordedCall = {
            kind: 'call',
            file: display,
            line: line.number,
            atMs,
            call: makeCall(found.tool, found),
            argsKnown: found.argsKnown,
            format: found.format,
          };
          if (found.expect !== undefined) item.expect = found.expect;
          if (recordedAtMs !== undefined) item.recordedAtMs = recordedAtMs;
          if (found.requestId !== undefined) item.requestId = found.requestId;
          if (found.notApproved) item.notApproved = true;
          items.push(item);
        }
        const settled = parsed.settled;
        if (settled) {
          // Kept in time order like calls; a result is never worth a warning of its own.
          const atMs = lastMs !== undefined && settled.tsMs < lastMs ? lastMs : settled.tsMs;
          lastMs = atMs;
          items.push({ kind: 'result', file: display, line: line.number, atMs, requestId: settled.requestId, rolledBack: settled.rolledBack });
        }
      }
      if (items.length > 0) yield items;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(display, `cannot read (${code ?? (error as Error).message})`);
  }
}
