/** Splits `args.a.b` into ['a', 'b']; `args` alone is the whole argument object. */
export function argumentSegments(path: string): string[] {
  return path === 'args' ? [] : path.slice(5).split('.');
}

/**
 * Follows own properties only, so `args.constructor` or `args.__proto__` never reach a prototype.
 * Array elements are addressed by index (`args.edits.0.oldText`).
 *
 * A name that is not there exactly is matched as Go's encoding/json matches struct fields: ignoring
 * case, with Unicode simple folding (ſ is s, K is k), the last such member winning. A Go server
 * (mcp-go's typed handlers, go-sdk before 1.3.1: CVE-2026-27896) reads `{"CODE": …}` as its `code`
 * parameter, so the policy must see it there too; for other servers this only decides on a member
 * they would ignore, which can deny more, never less.
 */
export function lookup(args: unknown, segments: readonly string[]): { present: boolean; value: unknown } {
  let current: unknown = args;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return { present: false, value: undefined };
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment) || Number(segment) >= current.length) return { present: false, value: undefined };
      current = current[Number(segment)];
    } else {
      const name = Object.hasOwn(current, segment) ? segment : foldedName(current as Record<string, unknown>, segment);
      if (name === undefined) return { present: false, value: undefined };
      current = (current as Record<string, unknown>)[name];
    }
  }
  return { present: args !== undefined, value: current };
}

/** Go's case folding of a member name (bytes.EqualFold): upper then lower case folds ſ and K as well. */
export function foldName(name: string): string {
  return name.toUpperCase().toLowerCase();
}

/** The last own member whose name folds to the same as `segment`'s. */
function foldedName(object: Record<string, unknown>, segment: string): string | undefined {
  const wanted = foldName(segment);
  let found: string | undefined;
  for (const key in object) if (Object.hasOwn(object, key) && foldName(key) === wanted) found = key;
  return found;
}
