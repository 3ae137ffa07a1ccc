/**
 * THE REFERENCE, not the product: the Python analysis (src/python/guard.ts) as it was on main at 1b4d2ca, before it
 * was tuned to a single walk (issue 17, speed). Kept verbatim (only its imports of escapes.ts and
 * syntax-tree.ts point back at src/, so rule data stays shared) for
 * test/python/analysis-reference.test.ts, which checks that the tuned analysis reports exactly the
 * same uses and the same verdicts. Do not optimise these files; change them only together with a
 * deliberate change of what the analysis reports, and say so in the commit.
 */
/**
 * A guard: what a policy allows Python code to do, compiled once, and its verdict on one analysis.
 * Pure. The first flagged use in the code (by line and column) decides, so `explain` can point at it.
 */
import { ESCAPE_NAMES, IMPORT_ONLY_ROOTS } from '../../../../src/python/escapes.js';
import type { CodeAnalysis, CodeUse, Position } from './analyse.js';
import { compilePattern, denyPatternMatches, moduleWithinChain, patternBelow, patternMatches, type NamePattern } from './names.js';

/** The `value` of a `python` condition, as the schema accepts it. */
export interface PythonGuardSpec {
  deny_modules?: string[] | undefined;
  allow_modules?: string[] | undefined;
  deny_calls?: string[] | undefined;
  allow_calls?: string[] | undefined;
  deny_unanalysable?: boolean | undefined;
  deny_unparsable?: boolean | undefined;
}

export interface CompiledGuard {
  denyModules: NamePattern[];
  allowModules: NamePattern[];
  denyCalls: NamePattern[];
  allowCalls: NamePattern[];
  denyUnanalysable: boolean;
  denyUnparsable: boolean;
  /** The escape patterns too, for "hands X around": handing `sys` around can reach `sys.modules`. */
  escapes: NamePattern[];
  /** …less those under a module that needs an import (IMPORT_ONLY_ROOTS), for a name with none behind it. */
  escapesForFreeNames: NamePattern[];
  /**
   * Findings by use, memoised: the same names recur across scripts. Keyed by the use's segments,
   * which the analyser interns (one array per distinct name), then by kind and flags (memoSlot); weak,
   * so it lives as long as the analyser's names. Never changes a result.
   */
  memo: WeakMap<readonly string[], Array<GuardFinding | null | undefined>>;
}

export type FindingKind = 'module' | 'call' | 'unanalysable' | 'unparsable';

/** Why the guard flags the code: what, where, and which list or switch says so. */
export interface GuardFinding extends Position {
  kind: FindingKind;
  /** The dotted name, or the construct (`getattr`, `.__subclasses__`). */
  name: string;
  /** A sentence: `imports subprocess (deny_modules: "subprocess")`. */
  reason: string;
}

export function compileGuard(spec: PythonGuardSpec): CompiledGuard {
  const compile = (list: string[] | undefined) => (list ?? []).map(compilePattern);
  return {
    denyModules: compile(spec.deny_modules),
    allowModules: compile(spec.allow_modules),
    denyCalls: compile(spec.deny_calls),
    allowCalls: compile(spec.allow_calls),
    denyUnanalysable: spec.deny_unanalysable !== false,
    denyUnparsable: spec.deny_unparsable !== false,
    escapes: ESCAPE_NAMES.map(([text]) => compilePattern(text)),
    escapesForFreeNames: ESCAPE_NAMES.filter(([text]) => !IMPORT_ONLY_ROOTS.has(text.split('.')[0]!)).map(([text]) => compilePattern(text)),
    memo: new WeakMap(),
  };
}

/** The finding for code that is not a string (or is too large to analyse), under `deny_unparsable`. */
export function notAnalysableFinding(guard: CompiledGuard, reason: string): GuardFinding | undefined {
  return guard.denyUnparsable ? { kind: 'unparsable', name: '(code)', reason, line: 1, column: 1 } : undefined;
}

export function evaluateGuard(guard: CompiledGuard, analysis: CodeAnalysis): GuardFinding | undefined {
  if (!analysis.parsed) {
    if (!guard.denyUnparsable) return undefined;
    return { kind: 'unparsable', name: '(code)', reason: `does not parse as Python 3: ${analysis.message}`, line: analysis.line, column: analysis.column };
  }
  let first: GuardFinding | undefined;
  for (const use of analysis.uses) {
    if (first && !before(use, first)) continue;
    const finding = checkMemoised(guard, use);
    if (finding) first = finding;
  }
  return first;
}

/** Where a use's finding is kept among its name's: imports apart, names by origin, value and instance. */
function memoSlot(use: CodeUse & { kind: 'name' | 'import' }): number {
  return use.kind === 'import' ? 8 : (use.origin === 'import' ? 4 : 0) + (use.value ? 2 : 0) + (use.instance ? 1 : 0);
}

/** check() depends on the use's kind, name and flags, not on where it is: memoise without the position. */
function checkMemoised(guard: CompiledGuard, use: CodeUse): GuardFinding | undefined {
  if (use.kind === 'escape') return check(guard, use);
  let slots = guard.memo.get(use.segments);
  if (slots === undefined) guard.memo.set(use.segments, (slots = []));
  const slot = memoSlot(use);
  let found = slots[slot];
  if (found === undefined) slots[slot] = found = check(guard, { ...use, line: 0, column: 0 }) ?? null;
  return found === null ? undefined : { ...found, line: use.line, column: use.column };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** The most specific matching pattern of two lists; deny wins a tie (fail closed). */
function verdict(deny: NamePattern[], allow: NamePattern[], segments: readonly string[]): { denied: NamePattern } | { allowed: NamePattern } | undefined {
  let bestDeny: NamePattern | undefined;
  let bestAllow: NamePattern | undefined;
  // A denied dotted name counts wherever it appears in a chain (`os.path.os.system`); allow entries only as written.
  for (const p of deny) if (denyPatternMatches(p, segments) && (!bestDeny || p.weight > bestDeny.weight)) bestDeny = p;
  for (const p of allow) if (patternMatches(p, segments) && (!bestAllow || p.weight > bestAllow.weight)) bestAllow = p;
  if (bestDeny && (!bestAllow || bestDeny.weight >= bestAllow.weight)) return { denied: bestDeny };
  if (bestAllow) return { allowed: bestAllow };
  return undefined;
}

/**
 * A one-segment deny_modules entry met after a chain's first segment (`email.utils.socket`), unless an
 * allow entry at least as specific covers the chain (a tie goes to deny, as in verdict).
 */
function withinChain(guard: CompiledGuard, segments: readonly string[], v: ReturnType<typeof verdict>): NamePattern | undefined {
  const found = guard.denyModules.find((p) => moduleWithinChain(p, segments));
  if (!found || (v && 'allowed' in v && v.allowed.weight > found.weight)) return undefined;
  return found;
}

function check(guard: CompiledGuard, use: CodeUse): GuardFinding | undefined {
  const at = { line: use.line, column: use.column };
  switch (use.kind) {
    case 'escape':
      return guard.denyUnanalysable ? { kind: 'unanalysable', name: use.name, reason: `escapes analysis: ${use.name} ${use.reason}`, ...at } : undefined;
    case 'import': {
      const v = verdict(guard.denyModules, guard.allowModules, use.segments);
      if (v && 'denied' in v) return { kind: 'module', name: use.name, reason: `imports ${use.name} (deny_modules: "${v.denied.text}")`, ...at };
      const within = v && 'denied' in v ? undefined : withinChain(guard, use.segments, v);
      if (within) return { kind: 'module', name: use.name, reason: `imports ${use.name}, which is ${within.text} (deny_modules: "${within.text}")`, ...at };
      if (!v && guard.allowModules.length > 0) return { kind: 'module', name: use.name, reason: `imports ${use.name}, which allow_modules does not list`, ...at };
      return undefined;
    }
    case 'name': {
      const segments = use.segments;
      const m = verdict(guard.denyModules, guard.allowModules, segments);
      if (m && 'denied' in m) return { kind: 'module', name: use.name, reason: `uses ${use.name} (deny_modules: "${m.denied.text}")`, ...at };
      // A module reached as another module's attribute (`email.utils.socket`): a chain of modules only.
      const within = use.origin !== 'import' || use.instance ? undefined : withinChain(guard, segments, m);
      if (within) return { kind: 'module', name: use.name, reason: `uses ${use.name}, which reaches ${within.text} (deny_modules: "${within.text}")`, ...at };
      const c = verdict(guard.denyCalls, guard.allowCalls, segments);
      if (c && 'denied' in c) return { kind: 'call', name: use.name, reason: `uses ${use.name} (deny_calls: "${c.denied.text}")`, ...at };
      if (!c && guard.allowCalls.length > 0 && use.origin === 'import' && !use.instance && !guard.allowCalls.some((p) => patternBelow(p, segments))) {
        return { kind: 'call', name: use.name, reason: `uses ${use.name}, which allow_calls does not list`, ...at };
      }
      if (use.value && !use.instance && guard.denyUnanalysable) {
        // A bare `code` or `profile` with no import behind it is the code's own variable, not the module.
        const escapes = use.origin === 'free' ? guard.escapesForFreeNames : guard.escapes;
        const reachable = [...guard.denyModules, ...guard.denyCalls, ...escapes].find((p) => patternBelow(p, segments));
        if (reachable) {
          return {
            kind: 'unanalysable',
            name: use.name,
            reason: `escapes analysis: binds or hands around ${use.name}, which can reach ${reachable.text}; the guard cannot follow it (name it in full where it is used)`,
            ...at,
          };
        }
      }
      return undefined;
    }
  }
}
