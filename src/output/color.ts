import { Chalk, type ChalkInstance } from 'chalk';
import type { Io, Output } from './io.js';

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or --no-color; FORCE_COLOR wins. */
export function colorFor(io: Pick<Io, 'env'>, output: Output, disabled = false): ChalkInstance {
  const force = io.env.FORCE_COLOR;
  let level: 0 | 1 | 2 | 3 = 0;
  if (force !== undefined && force !== '0' && force !== 'false') level = force === '2' ? 2 : force === '3' ? 3 : 1;
  else if (!disabled && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && output.isTTY) level = 1;
  if (disabled) level = 0;
  return new Chalk({ level });
}
