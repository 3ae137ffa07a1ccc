/** The Python guard: parse, analyse, judge. `checkPython` is what the engine calls for a `python` condition. */
import { analyse, type CodeAnalysis } from './analyse.js';
import { evaluateGuard, notAnalysableFinding, type CompiledGuard, type GuardFinding } from './guard.js';
import { parsePython } from './parser.js';

export { compileGuard, type CompiledGuard, type GuardFinding, type PythonGuardSpec } from './guard.js';
export { loadPythonParser, pythonParserLoaded } from './parser.js';

/** Code longer than this (in UTF-16 units) is not analysed: it counts as not parsing. Parsing is linear, ~0.15 ms/KiB. */
export const MAX_CODE_LENGTH = 1024 * 1024;

/**
 * The last analyses, by code: a denied call's message analyses the code a second time, and agents
 * and replays resend the same code. An analysis depends on the code alone, never on the guard.
 */
const recent = new Map<string, CodeAnalysis>();
const RECENT_MAX = 32;

export function analysePython(source: string): CodeAnalysis {
  const cached = recent.get(source);
  if (cached) return cached;
  const analysis = analyse(parsePython(source), source);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(source, analysis);
  return analysis;
}

/** The guard's verdict on an argument: a finding when the code breaks the guard, undefined when it passes. */
export function checkPython(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (typeof value !== 'string') return notAnalysableFinding(guard, `is not a string (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}), so it cannot be analysed as Python`);
  if (value.length > MAX_CODE_LENGTH) return notAnalysableFinding(guard, `is ${value.length} characters long, above the ${MAX_CODE_LENGTH} the guard analyses`);
  return evaluateGuard(guard, analysePython(value));
}
