/** `3 calls`, `1 call`, `1,000,000 calls`: a count and its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${groupThousands(count)} ${count === 1 ? one : many}`;
}

/**
 * `1234567` → `1,234,567`, as `toLocaleString('en-US')` writes an integer. Written out because the
 * first toLocaleString of a process loads ICU's number formatting: 10-11 ms, a fifth of what a
 * `lint` costs from start to end (bench/lint.bench.mjs). Anything but a safe integer goes to
 * toLocaleString (test/output/plural.test.ts checks both agree).
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let text = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = text.length; i < digits.length; i += 3) text += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${text}` : text;
}
