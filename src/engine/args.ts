/** Splits `args.a.b` into ['a', 'b']; `args` alone is the whole argument object. */
export function argumentSegments(path: string): string[] {
  return path === 'args' ? [] : path.slice(5).split('.');
}

/**
 * Follows own properties only, so `args.constructor` or `args.__proto__` never reach a prototype.
 * Array elements are addressed by index (`args.edits.0.oldText`).
 */
export function lookup(args: unknown, segments: readonly string[]): { present: boolean; value: unknown } {
  let current: unknown = args;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return { present: false, value: undefined };
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment) || Number(segment) >= current.length) return { present: false, value: undefined };
      current = current[Number(segment)];
    } else {
      if (!Object.hasOwn(current, segment)) return { present: false, value: undefined };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { present: args !== undefined, value: current };
}

/** Equality of JSON values: numbers by value, objects by members, arrays in order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
