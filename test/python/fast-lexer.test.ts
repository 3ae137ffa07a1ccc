// The fast parser's hand-written operator switch (operatorAt) against the plain definition it replaces:
// the longest of Python's operators at that position, or none (a decline).
import { describe, expect, it } from 'vitest';
import { operatorAt } from '../../src/python/fast-parser.js';

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=',
];

function reference(src: string, p: number): string | undefined {
  let best: string | undefined;
  for (const op of OPERATORS) if (src.startsWith(op, p) && (!best || op.length > best.length)) best = op;
  return best;
}

function actual(src: string, p: number): string | undefined {
  try {
    return operatorAt(src, p);
  } catch (error) {
    if (error instanceof Error) throw error;
    return undefined; // the parser's decline
  }
}

describe('operatorAt', () => {
  it('matches the longest operator for every string of up to three characters from the operator alphabet', () => {
    const alphabet = [...new Set(OPERATORS.join('') + '!?$`a0 \n')];
    let checked = 0;
    for (const a of alphabet) {
      for (const b of ['', ...alphabet]) {
        for (const c of b === '' ? [''] : ['', ...alphabet]) {
          const src = `${a}${b}${c}`;
          expect(actual(src, 0), JSON.stringify(src)).toBe(reference(src, 0));
          expect(actual(`x${src}`, 1), JSON.stringify(src)).toBe(reference(`x${src}`, 1));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
