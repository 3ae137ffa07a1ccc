import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { LineSplitter } from '../util/line-splitter.js';

export interface TextLine {
  number: number;
  text: string;
  problem?: undefined;
}

export interface BadLine {
  number: number;
  problem: string;
  text?: undefined;
}

/** A recorded call is small; a longer line is a wrong file or a corrupt one, and holding it would break constant memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Streams the lines of a file in batches (one per chunk read), in constant memory, on the one line
 * splitter (util/line-splitter.ts): a line longer than `maxLineBytes` is dropped as it streams, and
 * reported. Line breaks are `\n` and `\r\n` (JSON Lines); a byte-order mark at the start is
 * ignored; invalid UTF-8 is reported per line. Batches keep the per-line cost to plain function
 * calls instead of one await per line.
 */
export async function* readLineBatches(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Array<TextLine | BadLine>> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  let number = 0;
  let batch: Array<TextLine | BadLine> = [];
  const splitter = new LineSplitter(
    {
      line: (bytes) => batch.push(decode(bytes, ++number)),
      oversized: () => batch.push({ number: ++number, problem: `line longer than ${maxLineBytes / 1024 / 1024} MiB; skipped` }),
    },
    maxLineBytes,
  );
  let first = true;
  for await (const data of stream) {
    let chunk = data as Buffer;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    splitter.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length > 0) yield batch;
}

function decode(bytes: Buffer, number: number): TextLine | BadLine {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  const line = bytes.subarray(0, end);
  if (!isUtf8(line)) return { number, problem: 'not valid UTF-8' };
  return { number, text: line.toString('utf8') };
}
