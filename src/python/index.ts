/** The Python guard: parse, analyse, judge. `checkPython` is what the engine calls for a `python` condition. */
import { analyse, type CodeAnalysis } from './analyse.js';
import { evaluateGuard, notAnalysableFinding, type CompiledGuard, type GuardFinding } from './guard.js';
import { withCPythonLineBreaks } from './line-breaks.js';
import { parsePython } from './parser.js';
import { foreignEncodingDeclaration } from './source-encoding.js';

export { compileGuard, type CompiledGuard, type GuardFinding, type PythonGuardSpec } from './guard.js';
export { loadPythonParser, pythonParserLoaded } from './parser.js';

/** Code longer than this (in UTF-16 units) is not analysed: it counts as not parsing. A decision is linear, ~0.1 ms of CPU a KiB (about a third of it the parse). */
export const MAX_CODE_LENGTH = 1024 * 1024;

/**
 * The last script judged and the verdicts on it, by guard: a denied call's message looks at the code
 * a second time right after the decision, and an agent's retry or a replay resends the same code.
 * Neither the analysis nor more than the last script is kept. An analysis is some 8 bytes of heap
 * per character of code: holding the last 64 (and the scripts, as Map keys) made every decision on a
 * new 10 KiB script 20-25% slower (each outlived a young-generation collection or two, was promoted,
 * then died in the old generation), and any cache of more than the last script must hash each new
 * one (a string's hash or a SHA-256 of 10 KiB: 50 µs) to find it (docs/dev/python-parsers.md).
 */
let last: { source: string; verdicts: Map<CompiledGuard, GuardFinding | null> } | undefined;

export function analysePython(source: string): CodeAnalysis {
  const text = withCPythonLineBreaks(source);
  return analyse(parsePython(text), text);
}

/** The guard's verdict on an argument: a finding when the code breaks the guard, undefined when it passes. */
export function checkPython(guard: CompiledGuard, value: unknown): GuardFinding | undefined {
  if (typeof value !== 'string') return notAnalysableFinding(guard, `is not a string (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}), so it cannot be analysed as Python`);
  if (value.length > MAX_CODE_LENGTH) return notAnalysableFinding(guard, `is ${value.length} characters long, above the ${MAX_CODE_LENGTH} the guard analyses`);
  if (last?.source !== value) last = { source: value, verdicts: new Map() };
  const { verdicts } = last;
  let finding = verdicts.get(guard);
  // Frozen: the same finding object answers every resend of the code. Two guards on one script
  // (deny_if and require_approval) each analyse it: policies rarely have two.
  if (finding === undefined) verdicts.set(guard, (finding = freeze(judge(guard, value))));
  return finding ?? undefined;
}

/** The first finding by position: the code's, or its declared source encoding's (which parses or not, whatever the guard reads). */
function judge(guard: CompiledGuard, source: string): GuardFinding | undefined {
  const found = evaluateGuard(guard, analysePython(source));
  const encoding = guard.denyUnanalysable ? foreignEncodingDeclaration(source) : undefined;
  if (!encoding) return found;
  if (found && (found.line < encoding.line || (found.line === encoding.line && found.column < encoding.column))) return found;
  return {
    kind: 'unanalysable',
    name: `coding: ${encoding.name}`,
    reason: `escapes analysis: declares the source encoding "${encoding.name}", so a server that runs the code as bytes (3D Slicer's WebServer does) decodes other code than the text the guard read`,
    logReason: 'escapes analysis: declares a source encoding other than UTF-8 (deny_unanalysable)',
    line: encoding.line,
    column: encoding.column,
  };
}

function freeze(finding: GuardFinding | undefined): GuardFinding | null {
  return finding ? Object.freeze(finding) : null;
}
