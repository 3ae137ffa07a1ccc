/** The Python guard: parse, analyse, judge. `checkPython` is what the engine calls for a `python` condition. */
import { analyse, type CodeAnalysis } from './analyse.js';
import { evaluateGuard, notAnalysableFinding, type CompiledGuard, type GuardFinding } from './guard.js';
import { parsePython } from './parser.js';

export { compileGuard, type CompiledGuard, type GuardFinding, type PythonGuardSpec } from './guard.js';
export { loadPythonParser, pythonParserLoaded } from './parser.js';

/** Code longer than this (in UTF-16 units) is not analysed: it counts as not parsing. A decision is linear, ~0.4 ms of CPU a KiB (about half of it the parse). */
export const MAX_CODE_LENGTH = 1024 * 1024;

/**
 * The last analyses, by code (the code itself is the key: exact, and V8 hashes a string once), least
 * recently used first: a denied call's message analyses the code a second time, and agents and
 * replays resend the same code. An analysis depends on the code alone, never on the guard. Bounded
 * by count and by the characters held, so hostile megabyte scripts cannot pin much memory.
 */
const recent = new Map<string, CodeAnalysis>();
const RECENT_MAX = 64;
const RECENT_MAX_CHARS = 4 * 1024 * 1024;
let recentChars = 0;

/** The verdicts on each remembered analysis, by guard: a resent script costs two lookups. */
const verdicts = new WeakMap<CodeAnalysis, Map<CompiledGuard, GuardFinding | null>>();

export function analysePython(source: string): CodeAnalysis {
  const cached = recent.get(source);
  if (cached) {
    recent.delete(source);
    recent.set(source, cached);
    return cached;
  }
  const analysis = analyse(parsePython(source), source);
  if (source.length <= RECENT_MAX_CHARS / 4) {
    while (recent.size >= RECENT_MAX || (recent.size > 0 && recentChars + source.length > RECENT_MAX_CHARS)) {
      const oldest = recent.keys().next().value!;
      recent.delete(oldest);
      recentChars -= oldest.length;
    }
    recent.set(source, analysis);
    recentChars += source.length;
  }
  return analysis;
}

/** The guard's verdict on an argument: a finding when the code breaks the guard, undefined when it passes. */
export function checkPython(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (typeof value !== 'string') return notAnalysableFinding(guard, `is not a string (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}), so it cannot be analysed as Python`);
  if (value.length > MAX_CODE_LENGTH) return notAnalysableFinding(guard, `is ${value.length} characters long, above the ${MAX_CODE_LENGTH} the guard analyses`);
  const analysis = analysePython(value);
  let byGuard = verdicts.get(analysis);
  if (!byGuard) verdicts.set(analysis, (byGuard = new Map()));
  let finding = byGuard.get(guard);
  // Frozen: the same finding object answers every resend of the code.
  if (finding === undefined) byGuard.set(guard, (finding = freeze(evaluateGuard(guard, analysis))));
  return finding ?? undefined;
}

function freeze(finding: GuardFinding | undefined): GuardFinding | null {
  return finding ? Object.freeze(finding) : null;
}
