import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { LineSplitter } from '../proxy/line-splitter.js';
import { sha256Hex } from './hash.js';
import { AUDIT_FORMAT_VERSION, GENESIS_HASH } from './types.js';

export interface VerifyProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface VerifyResult {
  lines: number;
  /** SHA-256 of the last line: note it elsewhere to make later truncation detectable. */
  lastHash: string;
  problem?: VerifyProblem;
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Checks an audit log's hash chain line by line, streaming (constant memory): every line must be a
 * JSON object of a known format version whose `seq` is one more than the line before and whose
 * `prev` is the SHA-256 of the previous line's bytes. Stops at the first problem.
 *
 * A chain shows changed, removed, inserted and reordered lines; it cannot show lines cut off the
 * end of the file. `lastHash` is the anchor for that: keep it somewhere the log's writer cannot change.
 */
export async function verifyAuditLog(path: string): Promise<VerifyResult> {
  let lineNumber = 0;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let problem: VerifyProblem | undefined;
  let endedWithNewline = true;

  const check = (line: Buffer): void => {
    lineNumber++;
    if (problem) return;
    const found = checkLine(line, lineNumber, prevHash, prevSeq);
    if (typeof found === 'string') {
      problem = { line: lineNumber, message: found };
      return;
    }
    prevSeq = found;
    prevHash = sha256Hex(line);
  };
  const splitter = new LineSplitter(
    {
      line: check,
      oversized: (line) => {
        lineNumber++;
        problem ??= { line: lineNumber, message: `line is ${line.length} bytes long, more than any audit entry (${MAX_LINE_BYTES} bytes)` };
      },
    },
    MAX_LINE_BYTES,
  );

  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    if (bytes.length > 0) endedWithNewline = bytes[bytes.length - 1] === 0x0a;
    splitter.push(bytes);
    if (problem) break;
  }
  if (!problem && !endedWithNewline) {
    splitter.end();
    const found = problem as VerifyProblem | undefined;
    const torn = 'the last line has no newline: the writer stopped in the middle of it';
    problem = found ? { line: found.line, message: `${found.message} (${torn})` } : { line: lineNumber, message: torn };
  }
  return { lines: lineNumber, lastHash: prevHash, ...(problem ? { problem } : {}) };
}

/** The line's seq when it fits the chain, or what is wrong with it. */
function checkLine(line: Buffer, lineNumber: number, prevHash: string, prevSeq: number): number | string {
  if (!isUtf8(line)) return 'not valid UTF-8';
  let entry: unknown;
  try {
    entry = JSON.parse(line.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return 'not a JSON object';
  const { v, seq, prev, event } = entry as Record<string, unknown>;
  if (v !== AUDIT_FORMAT_VERSION) return `unknown format version ${JSON.stringify(v)} (expected ${AUDIT_FORMAT_VERSION})`;
  if (typeof event !== 'string') return 'no "event"';
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return 'no "seq" number';
  if (typeof prev !== 'string') return 'no "prev" hash';
  const expected = prevSeq + 1;
  if (seq > expected) {
    const missing = seq - expected;
    return lineNumber === 1
      ? `the log starts at seq ${seq}, not 1: ${missing} earlier line${missing === 1 ? ' is' : 's are'} missing (the file was truncated at the front or rotated)`
      : `seq ${seq} follows ${prevSeq}: ${missing} line${missing === 1 ? ' is' : 's are'} missing before this line`;
  }
  if (seq < expected) return `seq ${seq} follows ${prevSeq}: a line was duplicated or lines were reordered`;
  if (prev !== prevHash) {
    return lineNumber === 1
      ? 'prev is not the genesis hash (64 zeros): the log does not start at its beginning'
      : `prev does not match the SHA-256 of line ${lineNumber - 1}: line ${lineNumber - 1} was changed`;
  }
  return seq;
}
