/**
 * THE REFERENCE, not the product: the Python analysis (src/python/names.ts) as it was on main at 1b4d2ca, before it
 * was tuned to a single walk (issue 17, speed). Kept verbatim (only its imports of escapes.ts and
 * syntax-tree.ts point back at src/, so rule data stays shared) for
 * test/python/analysis-reference.test.ts, which checks that the tuned analysis reports exactly the
 * same uses and the same verdicts. Do not optimise these files; change them only together with a
 * deliberate change of what the analysis reports, and say so in the commit.
 */
/**
 * Dotted names and the patterns that match them. Python compares identifiers after NFKC
 * normalisation (`ｅｘｅｃ` is `exec`), so every name the analyser reports and every pattern a
 * policy writes is normalised the same way before comparing.
 */

export function normalizeIdentifier(name: string): string {
  // ASCII is already in NFKC; normalize() is the slow path, for the rest. A loop, not a regular expression: this runs for every identifier.
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) return name.normalize('NFKC');
  return name;
}

/**
 * A compiled pattern. Segments are matched one by one: a plain segment exactly, a segment with `*`
 * as a glob inside that segment (`os.exec*`), and `**` as any number of segments, none included
 * (`**.unlink`: a method of any receiver, or a bare `unlink`; `pathlib.**.rename`). A pattern also
 * matches everything under what it matches: `os` matches `os.path.join`.
 */
export interface NamePattern {
  text: string;
  segments: Array<string | RegExp | typeof ANY_SEGMENTS>;
  /** How specific the pattern is, to decide between an allow and a deny entry that both match. */
  weight: number;
  /** The segments before the first `**`: what the pattern can be reached through (see patternBelow). */
  literalPrefix: number;
}

export const ANY_SEGMENTS: unique symbol = Symbol('**');

export function compilePattern(text: string): NamePattern {
  const parts = normalizeIdentifier(text).split('.');
  const segments = parts.map((part) =>
    part === '**' ? ANY_SEGMENTS : part.includes('*') ? new RegExp(`^${part.split('*').map(escapeRegExp).join('.*')}$`, 'u') : part,
  );
  // Exact segments weigh more than globs; ** weighs nothing.
  const weight = segments.reduce<number>((sum, segment) => sum + (typeof segment === 'string' ? 2 : segment === ANY_SEGMENTS ? 0 : 1), 0);
  const firstAny = segments.indexOf(ANY_SEGMENTS);
  return { text, segments, weight, literalPrefix: firstAny < 0 ? segments.length : firstAny };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function segmentMatches(pattern: string | RegExp, segment: string): boolean {
  return typeof pattern === 'string' ? pattern === segment : pattern.test(segment);
}

/**
 * Whether `name` (segments) is what the pattern names or lies under it: `os` matches `os.path.join`,
 * `os.path` does not match `os.pathsep`; `**.unlink` matches `unlink`, `p.unlink`,
 * `pathlib.Path.unlink` and `?.unlink` (a receiver the analyser cannot name).
 */
export function patternMatches(pattern: NamePattern, name: readonly string[]): boolean {
  return matchFrom(pattern.segments, 0, name, 0);
}

/**
 * Whether the pattern matches the name from any segment on, as if it began with `**`: modules are
 * reachable as attributes of other modules (`os.path.os.system`, `shutil.os.system`,
 * `os.sys.modules`), so a denied dotted name counts wherever it appears in a chain. Used for
 * patterns of two or more segments that start with a literal one (`os.system`, `os.exec*`), where a
 * chance match is implausible; one segment, such as `json`, would also match `response.json()`.
 */
export function patternMatchesWithin(pattern: NamePattern, name: readonly string[]): boolean {
  for (let start = 0; start < name.length; start++) if (matchFrom(pattern.segments, 0, name, start)) return true;
  return false;
}

/**
 * Whether a deny or escape pattern matches the name: anywhere in the chain for specific patterns
 * (patternMatchesWithin), and also with private segments read as the public name they stand for.
 * The standard library binds modules under private names (`tempfile._os`, `random._os`), C modules
 * sit behind public ones (`_socket`, `_ssl`, `_posixsubprocess`), and private functions do what public
 * ones do (`os._execvpe`, `os._spawnvef`): `tempfile._os.system` is `os.system`. Only deny sides use
 * this; an allow entry matches only as written.
 */
export function denyPatternMatches(pattern: NamePattern, name: readonly string[]): boolean {
  const within = matchesWithinChains(pattern);
  if (within ? patternMatchesWithin(pattern, name) : patternMatches(pattern, name)) return true;
  const plain = publicSegments(name);
  return plain !== name && (within ? patternMatchesWithin(pattern, plain) : patternMatches(pattern, plain));
}

/** The name with leading underscores taken off each segment (not dunders, not `_` alone); the same array when none has one. */
export function publicSegments(name: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i < name.length; i++) {
    const segment = name[i]!;
    if (segment.charCodeAt(0) !== 95 || segment.endsWith('__')) continue;
    let start = 1;
    while (start < segment.length && segment.charCodeAt(start) === 95) start++;
    if (start === segment.length) continue;
    out ??= name.slice();
    out[i] = segment.slice(start);
  }
  return out ?? name;
}

/** Whether a pattern is specific enough to be matched anywhere in a chain (see patternMatchesWithin). */
export function matchesWithinChains(pattern: NamePattern): boolean {
  return pattern.segments.length >= 2 && pattern.literalPrefix === pattern.segments.length && typeof pattern.segments[0] === 'string';
}

function matchFrom(segments: NamePattern['segments'], p: number, name: readonly string[], n: number): boolean {
  if (p === segments.length) return true; // the rest of the name lies under the match
  const segment = segments[p]!;
  if (segment === ANY_SEGMENTS) {
    for (let skip = n; skip <= name.length; skip++) if (matchFrom(segments, p + 1, name, skip)) return true;
    return false;
  }
  return n < name.length && segmentMatches(segment, name[n]!) && matchFrom(segments, p + 1, name, n + 1);
}

/**
 * Whether something the pattern names lies strictly under `name`, reached through the pattern's
 * literal segments: `os` can reach `os.system`, so handing `os` around hides what is done with it.
 * A `**` ends what can be followed: `pathlib.**.rename` lies under `pathlib` but is not held under
 * `pathlib.Path`, and `**.unlink` under no name, or every value would be flagged (`Path`, any `x`);
 * they stay checked where they are used.
 */
export function patternBelow(pattern: NamePattern, name: readonly string[]): boolean {
  if (name.length > pattern.literalPrefix || name.length >= pattern.segments.length) return false;
  for (let i = 0; i < name.length; i++) if (!segmentMatches(pattern.segments[i] as string | RegExp, name[i]!)) return false;
  return true;
}

// Mirrored from src/python/names.ts with the guard change of round 15 (a deliberate change of what is decided).
/**
 * Whether a one-segment module pattern (`socket`, `distutils`) names a segment after the first of a
 * chain of modules, read as public names: `email.utils.socket` is the socket module that
 * email.utils imported, `setuptools._distutils` is distutils. For module chains only (an import, or
 * a name reached from one without a call): `self.socket` or `response.json` are not modules.
 */
export function moduleWithinChain(pattern: NamePattern, name: readonly string[]): boolean {
  if (pattern.segments.length !== 1) return false;
  const segment = pattern.segments[0]!;
  if (segment === ANY_SEGMENTS) return false;
  const plain = publicSegments(name);
  for (let i = 1; i < name.length; i++) if (segmentMatches(segment, name[i]!) || (plain !== name && segmentMatches(segment, plain[i]!))) return true;
  return false;
}
