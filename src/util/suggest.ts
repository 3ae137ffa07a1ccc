import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate a user probably meant, or undefined. Accepts a small edit distance
 * (relative to length) or a prefix relation, so `limit` → `limits` and `execute_python` → `execute_python_code`.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const other = candidate.toLowerCase();
    let score: number;
    if (other === lower) score = 0;
    else {
      const limit = Math.max(2, Math.floor(Math.max(lower.length, other.length) * 0.34));
      const prefix = lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other));
      // The edit distance is at least the length difference: skip the O(n·m) distance when it cannot fit.
      if (!prefix && Math.abs(lower.length - other.length) > limit) continue;
      const d = distance(lower, other);
      if (d > limit && !prefix) continue;
      score = prefix ? Math.min(d, 1.5) : d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
