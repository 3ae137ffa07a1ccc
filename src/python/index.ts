/** The Python guard: parse, analyse, judge. `checkPython` is what the engine calls for a `python` condition. */
import { analyse, type CodeAnalysis } from './analyse.js';
import { evaluateGuard, notAnalysableFinding, type CompiledGuard, type GuardFinding } from './guard.js';
import { parsePython } from './parser.js';

export { compileGuard, type CompiledGuard, type GuardFinding, type PythonGuardSpec } from './guard.js';
export { loadPythonParser, pythonParserLoaded } from './parser.js';

/** Code longer than this (in UTF-16 units) is not analysed: it counts as not parsing. Parsing is linear, ~0.15 ms/KiB. */
export const MAX_CODE_LENGTH = 1024 * 1024;

export function analysePython(source: string): CodeAnalysis {
  return analyse(parsePython(source), source);
}

/** The guard's verdict on an argument: a finding when the code breaks the guard, undefined when it passes. */
export function checkPython(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (typeof value !== 'string') return notAnalysableFinding(guard, `is not a string (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}), so it cannot be analysed as Python`);
  if (value.length > MAX_CODE_LENGTH) return notAnalysableFinding(guard, `is ${value.length} characters long, above the ${MAX_CODE_LENGTH} the guard analyses`);
  return evaluateGuard(guard, analysePython(value));
}
