import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';

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
 * Streams the lines of a file in batches (one per chunk read), in constant memory: a line longer
 * than `maxLineBytes` is skipped as it streams, and reported. Line breaks are `\n` and `\r\n`
 * (JSON Lines); a byte-order mark at the start is ignored; invalid UTF-8 is reported per line.
 * Batches keep the per-line cost to plain function calls instead of one await per line.
 */
export async function* readLineBatches(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Array<TextLine | BadLine>> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  let carry: Buffer[] = [];
  let carryLength = 0;
  let overlong = false;
  let number = 0;
  let first = true;
  const tooLong = (): BadLine => ({ number, problem: `line longer than ${maxLineBytes / 1024 / 1024} MiB; skipped` });
  for await (const data of stream) {
    let chunk = data as Buffer;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const batch: Array<TextLine | BadLine> = [];
    let start = 0;
    for (let end = chunk.indexOf(10, start); end >= 0; end = chunk.indexOf(10, start)) {
      number++;
      if (overlong) {
        overlong = false;
        batch.push(tooLong());
      } else if (carryLength + end - start > maxLineBytes) {
        batch.push(tooLong());
      } else {
        const bytes = carryLength > 0 ? Buffer.concat([...carry, chunk.subarray(start, end)]) : chunk.subarray(start, end);
        batch.push(decode(bytes, number));
      }
      carry = [];
      carryLength = 0;
      start = end + 1;
    }
    if (start < chunk.length && !overlong) {
      if (carryLength + chunk.length - start > maxLineBytes) {
        overlong = true;
        carry = [];
        carryLength = 0;
      } else {
        carry.push(chunk.subarray(start));
        carryLength += chunk.length - start;
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (overlong) {
    number++;
    yield [tooLong()];
  } else if (carryLength > 0) {
    number++;
    yield [decode(Buffer.concat(carry), number)];
  }
}

function decode(bytes: Buffer, number: number): TextLine | BadLine {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  const line = bytes.subarray(0, end);
  if (!isUtf8(line)) return { number, problem: 'not valid UTF-8' };
  return { number, text: line.toString('utf8') };
}
