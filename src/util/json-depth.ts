/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit` levels (the value itself
 * is level 1 when it is an object or an array). Iterative: a recursive walk is what overflows.
 * `text` is the JSON the value was parsed from: a value nested d levels deep takes at least 2d
 * characters, so short texts are settled without a walk.
 */
export function nestsDeeperThan(value: unknown, text: string, limit: number): boolean {
  if (text.length <= 2 * limit) return false;
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const key in current) {
      const member = (current as Record<string, unknown>)[key];
      if (member !== null && typeof member === 'object') {
        values.push(member);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
