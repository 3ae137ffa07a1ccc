import { checkSync, type Diagnostics } from 'recheck';
import type { RegexChecker, RegexVerdict } from './rule.js';

/**
 * The ReDoS checker behind unsafe-regex: recheck (https://makenowjust-labs.github.io/recheck/).
 * recheck's own default backends start a Java agent, a downloaded native binary or a worker thread;
 * its "pure" backend is the same checker compiled to JavaScript, in process and synchronous, so lint
 * works offline with no Java and stays deterministic. recheck reads the backend from the environment
 * on every call, so it is set just around each call and restored.
 */

/**
 * Per-pattern budget: recheck's own default. Real patterns take 5–900 ms here; a shorter budget made
 * the verdict depend on the machine's speed. A pattern it cannot decide in time is not reported.
 */
const TIMEOUT_MS = 10_000;

function runPure(pattern: string): Diagnostics {
  const saved = process.env.RECHECK_SYNC_BACKEND;
  process.env.RECHECK_SYNC_BACKEND = 'pure';
  try {
    // The engine compiles patterns without flags (src/engine/compile.ts).
    return checkSync(pattern, '', { timeout: TIMEOUT_MS });
  } finally {
    if (saved === undefined) delete process.env.RECHECK_SYNC_BACKEND;
    else process.env.RECHECK_SYNC_BACKEND = saved;
  }
}

function verdictOf(pattern: string, diagnostics: Diagnostics): RegexVerdict {
  switch (diagnostics.status) {
    case 'safe':
      return { status: 'safe' };
    case 'vulnerable': {
      const heat = diagnostics.hotspot.find((spot) => spot.temperature === 'heat') ?? diagnostics.hotspot[0];
      return {
        status: 'vulnerable',
        complexity: diagnostics.complexity.type,
        attack: diagnostics.attack.pattern,
        ...(heat ? { hotspot: pattern.slice(heat.start, heat.end) } : {}),
      };
    }
    default:
      return { status: 'unknown', reason: diagnostics.error.kind };
  }
}

/** A checker that remembers its verdicts: policies repeat patterns across tools. */
export function createRegexChecker(): RegexChecker {
  const verdicts = new Map<string, RegexVerdict>();
  return (pattern) => {
    let verdict = verdicts.get(pattern);
    if (!verdict) {
      try {
        verdict = verdictOf(pattern, runPure(pattern));
      } catch (error) {
        verdict = { status: 'unknown', reason: (error as Error).message };
      }
      verdicts.set(pattern, verdict);
    }
    return verdict;
  };
}
