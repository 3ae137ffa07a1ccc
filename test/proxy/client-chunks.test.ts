/**
 * The client's bytes however they are cut into chunks: a line with a byte that is not UTF-8 is
 * refused, also when the byte arrived in an earlier chunk than the line's end, and every other line
 * is forwarded. (Checking a whole chunk at once instead of each line was tried: no faster.)
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inProcessProxy } from '../helpers/in-process-proxy.js';

const ALLOW_ALL = { version: '1', default: 'allow' } as const;

// Notifications are forwarded without a decision; the ones with a bad byte carry it inside a string
// (still JSON, so only the UTF-8 check can refuse them), placed to be cut anywhere.
const line = fc.record({ n: fc.nat({ max: 999 }), bad: fc.boolean(), pad: fc.string({ maxLength: 12 }) }).map(({ n, bad, pad }) => {
  const text = `{"jsonrpc":"2.0","method":"notifications/n${n}","params":{"pad":${JSON.stringify(pad)},"x":"@"}}\n`;
  const bytes = Buffer.from(text);
  // \xe2\x82 alone: the start of a three-byte character cut short.
  return bad ? Buffer.concat([bytes.subarray(0, bytes.lastIndexOf('@')), Buffer.from([0xe2, 0x82]), bytes.subarray(bytes.lastIndexOf('@') + 1)]) : bytes;
});

describe('UTF-8 checks on client chunks', () => {
  it('refuses exactly the lines that are not UTF-8, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const input = Buffer.concat(lines);
        const ends = [...new Set([...cuts.map((cut) => cut % (input.length + 1)), input.length])].sort((a, b) => a - b);
        const run = inProcessProxy(ALLOW_ALL);
        ends.forEach((end, i) => {
          const piece = input.subarray(i === 0 ? 0 : ends[i - 1]!, end);
          if (piece.length > 0) run.chunks.client(piece);
        });
        const valid = lines.filter((bytes) => isUtf8(bytes));
        expect(run.toServer.text()).toBe(Buffer.concat(valid).toString('utf8'));
        const refused = run.toClient
          .text()
          .split('\n')
          .filter((text) => text.includes('not valid UTF-8'));
        expect(refused).toHaveLength(lines.length - valid.length);
      }),
      { numRuns: 500 },
    );
  });
});
