/**
 * Dotted names and the patterns that match them. Python compares identifiers after NFKC
 * normalisation (`ｅｘｅｃ` is `exec`), so every name the analyser reports and every pattern a
 * policy writes is normalised the same way before comparing.
 */

export function normalizeIdentifier(name: string): string {
  return name.normalize('NFKC');
}

/** A compiled pattern: `os` (os and everything under it), `os.exec*` (a glob inside a segment), `*.unlink` (any receiver, or none). */
export interface NamePattern {
  text: string;
  /** `*.unlink`: matches these segments after any receiver, or none (`unlink`, `p.unlink`, `pathlib.Path.unlink`). */
  anyReceiver: boolean;
  segments: Array<string | RegExp>;
  /** How specific the pattern is, to decide between an allow and a deny entry that both match. */
  weight: number;
}

export const PATTERN_SYNTAX = /^(\*\.)?[^.*\s]*\*?[^.*\s]*(\.[^.*\s]*\*?[^.*\s]*)*$/u;

export function compilePattern(text: string): NamePattern {
  const normalized = normalizeIdentifier(text);
  const anyReceiver = normalized.startsWith('*.');
  const parts = (anyReceiver ? normalized.slice(2) : normalized).split('.');
  const segments = parts.map((part) => (part.includes('*') ? new RegExp(`^${part.split('*').map(escapeRegExp).join('.*')}$`, 'u') : part));
  const exact = parts.filter((part) => !part.includes('*')).length;
  // Exact segments weigh more than globs, and any-receiver patterns less than rooted ones.
  const weight = (anyReceiver ? 0 : 1) + exact * 2 + (parts.length - exact);
  return { text, anyReceiver, segments, weight };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function segmentMatches(pattern: string | RegExp, segment: string): boolean {
  return typeof pattern === 'string' ? pattern === segment : pattern.test(segment);
}

/**
 * Whether `name` (segments) is the pattern's name or lies under it: `os` matches `os.path.join`,
 * `os.path` does not match `os.pathsep`. An any-receiver pattern `*.unlink` matches `unlink`, `p.unlink`,
 * `pathlib.Path.unlink` and `?.unlink` (a receiver the analyser cannot name), and what lies under them.
 */
export function patternMatches(pattern: NamePattern, name: readonly string[]): boolean {
  const segments = pattern.segments;
  if (!pattern.anyReceiver) {
    if (name.length < segments.length) return false;
    for (let i = 0; i < segments.length; i++) if (!segmentMatches(segments[i]!, name[i]!)) return false;
    return true;
  }
  for (let start = 0; start + segments.length <= name.length; start++) {
    let all = true;
    for (let i = 0; i < segments.length && all; i++) all = segmentMatches(segments[i]!, name[start + i]!);
    if (all) return true;
  }
  return false;
}

/**
 * Whether something the pattern matches lies strictly under `name`: `os` can reach `os.system`,
 * so handing `os` around hides what is done with it. Any-receiver patterns are left out: they lie
 * under every name (`*.unlink` under `pathlib.Path` and under `x` alike), so they would flag every value.
 */
export function patternBelow(pattern: NamePattern, name: readonly string[]): boolean {
  if (pattern.anyReceiver) return false;
  const segments = pattern.segments;
  if (segments.length <= name.length) return false;
  for (let i = 0; i < name.length; i++) if (!segmentMatches(segments[i]!, name[i]!)) return false;
  return true;
}
