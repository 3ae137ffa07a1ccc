/** The Python guard: parse, analyse, judge. `checkPython` is what the engine calls for a `python` condition. */
import * as crypto from 'node:crypto';
import { analyse, type CodeAnalysis } from './analyse.js';
import { evaluateGuard, notAnalysableFinding, type CompiledGuard, type GuardFinding } from './guard.js';
import { parsePython } from './parser.js';

export { compileGuard, type CompiledGuard, type GuardFinding, type PythonGuardSpec } from './guard.js';
export { loadPythonParser, pythonParserLoaded } from './parser.js';

/** Code longer than this (in UTF-16 units) is not analysed: it counts as not parsing. A decision is linear, ~0.4 ms of CPU a KiB (about half of it the parse). */
export const MAX_CODE_LENGTH = 1024 * 1024;

/**
 * The last script analysed and its analysis: a denied call's message looks at the code a second
 * time, right after the decision. Only one is kept: an analysis is some 8 bytes of heap per character
 * of code, and holding the last 64 made every decision on a new 10 KiB script 25% slower (each one
 * outlived a young-generation collection or two, copied and promoted, then died in the old
 * generation: docs/dev/python-parsers.md).
 */
let last: { source: string; analysis: CodeAnalysis } | undefined;

/**
 * The verdicts on recent scripts, by the SHA-256 of the code, then by guard, least recently used
 * first: agents and replays resend the same code, and a resent script costs a digest and two
 * lookups. A verdict is a frozen finding or null. Keyed by a digest, not the code: holding the last
 * 64 scripts themselves slowed every decision on a new 10 KiB script by 0.1 ms (they outlive young
 * collections), and hashing a 10 KiB string for a Map costs more than its SHA-256. A verdict depends
 * on the code and the guard alone.
 */
const recent = new Map<string, Map<CompiledGuard, GuardFinding | null>>();
const RECENT_MAX = 64;

export function analysePython(source: string): CodeAnalysis {
  if (last?.source === source) return last.analysis;
  const analysis = analyse(parsePython(source), source);
  last = { source, analysis };
  return analysis;
}

/** The guard's verdict on an argument: a finding when the code breaks the guard, undefined when it passes. */
export function checkPython(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (typeof value !== 'string') return notAnalysableFinding(guard, `is not a string (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}), so it cannot be analysed as Python`);
  if (value.length > MAX_CODE_LENGTH) return notAnalysableFinding(guard, `is ${value.length} characters long, above the ${MAX_CODE_LENGTH} the guard analyses`);
  const byGuard = verdictsOf(value);
  let finding = byGuard.get(guard);
  // Frozen: the same finding object answers every resend of the code.
  if (finding === undefined) byGuard.set(guard, (finding = freeze(evaluateGuard(guard, analysePython(value)))));
  return finding ?? undefined;
}

function verdictsOf(source: string): Map<CompiledGuard, GuardFinding | null> {
  const key = digest(source);
  let byGuard = recent.get(key);
  if (byGuard !== undefined) {
    recent.delete(key);
  } else {
    byGuard = new Map();
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  }
  recent.set(key, byGuard);
  return byGuard;
}

// crypto.hash (Node ≥ 20.12) digests without a Hash object; older Node 20 releases use createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

function digest(source: string): string {
  return oneShot ? oneShot('sha256', source, 'base64') : crypto.createHash('sha256').update(source).digest('base64');
}

function freeze(finding: GuardFinding | undefined): GuardFinding | null {
  return finding ? Object.freeze(finding) : null;
}
