/** Policies never need deep nesting; refusing it up front keeps recursive parsers off the stack limit. */
export const MAX_NESTING = 64;

/** Offset where bracket nesting (outside strings) first exceeds `max`, or -1. Works for JSON and YAML flow style. */
export function excessiveNestingOffset(text: string, max = MAX_NESTING): number {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 /* \ */ && quote === 34) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 /* " */) quote = 34;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return -1;
}
