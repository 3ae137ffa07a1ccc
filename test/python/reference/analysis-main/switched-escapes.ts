/**
 * THE REFERENCE, not the product: the Python analysis (src/python/switched-escapes.ts) as it was on main at 1b4d2ca, before it
 * was tuned to a single walk (issue 17, speed). Kept verbatim (only its imports of escapes.ts and
 * syntax-tree.ts point back at src/, so rule data stays shared) for
 * test/python/analysis-reference.test.ts, which checks that the tuned analysis reports exactly the
 * same uses and the same verdicts. Do not optimise these files; change them only together with a
 * deliberate change of what the analysis reports, and say so in the commit.
 */
/**
 * Calls that run code only when an argument switches it on: `numpy.load(f, allow_pickle=True)`
 * unpickles (arbitrary code), `numpy.load(f)` does not. A call to one of these names escapes analysis
 * unless the switch is left at its safe default or set to it with a literal; `*args` or `**kwargs`
 * that could carry it count as switched on. Pure.
 */
import { compilePattern, denyPatternMatches } from './names.js';
import { child, namedChildren, type SyntaxNode } from '../../../../src/python/syntax-tree.js';

interface Switch {
  readonly pattern: ReturnType<typeof compilePattern>;
  readonly keyword: string;
  /** Its place among the positional arguments (0-based), if it can be given by position. */
  readonly position?: number;
  /** The literal that keeps the call safe. */
  readonly safe: 'true' | 'false';
  /** Whether leaving the argument out is safe. */
  readonly safeWhenAbsent: boolean;
  readonly reason: string;
}

const UNPICKLES = 'with allow_pickle unpickles, which runs arbitrary code';

export const SWITCHED_ESCAPES: readonly Switch[] = [
  { pattern: compilePattern('numpy.load'), keyword: 'allow_pickle', position: 2, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { pattern: compilePattern('numpy.lib.npyio.load'), keyword: 'allow_pickle', position: 2, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { pattern: compilePattern('numpy.lib.format.read_array'), keyword: 'allow_pickle', position: 1, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  // weights_only defaults to True from PyTorch 2.6; older releases unpickle by default, but code that
  // loads a model that way is common and the guard cannot know the version: only an explicit False counts.
  { pattern: compilePattern('torch.load'), keyword: 'weights_only', safe: 'true', safeWhenAbsent: true, reason: 'with weights_only=False unpickles, which runs arbitrary code' },
];

/** The last segment of every name above: most calls end otherwise and need no pattern matched. */
const LAST_SEGMENTS: ReadonlySet<string> = new Set(SWITCHED_ESCAPES.map((s) => s.pattern.text.split('.').at(-1)!));

/** The reason a call to `segments` with these arguments escapes analysis, or undefined. */
export function switchedEscape(segments: readonly string[], args: SyntaxNode | undefined, source: string): string | undefined {
  if (!LAST_SEGMENTS.has(segments[segments.length - 1]!)) return undefined;
  for (const s of SWITCHED_ESCAPES) {
    const matches = denyPatternMatches(s.pattern, segments);
    if (matches && switchedOn(s, args, source)) return s.reason;
  }
  return undefined;
}

function switchedOn(s: Switch, args: SyntaxNode | undefined, source: string): boolean {
  const items = args ? namedChildren(args).filter((c) => c.type !== 'comment') : [];
  let positional = 0;
  for (const item of items) {
    if (item.type === 'list_splat' || item.type === 'dictionary_splat') return true;
    if (item.type === 'keyword_argument') {
      const name = child(item, 'name');
      if (name && source.slice(name.start, name.end) === s.keyword) return !isLiteral(child(item, 'value'), s.safe);
      continue;
    }
    if (s.position !== undefined && positional === s.position) return !isLiteral(item, s.safe);
    positional++;
  }
  return !s.safeWhenAbsent;
}

function isLiteral(node: SyntaxNode | undefined, literal: 'true' | 'false'): boolean {
  return node?.type === literal;
}
