/**
 * THE REFERENCE, not the product: the Python analysis (src/python/switched-escapes.ts) as it was on main at 1b4d2ca, before it
 * was tuned to a single walk (issue 17, speed). Kept verbatim (only its imports of escapes.ts and
 * syntax-tree.ts, and since 2026-12-07 the table SWITCHED_ESCAPE_SPECS, point back at src/, so rule
 * data stays shared) for
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
import { SWITCHED_ESCAPE_SPECS, type SwitchSpec } from '../../../../src/python/switched-escapes.js';
import { child, namedChildren, type SyntaxNode } from '../../../../src/python/syntax-tree.js';

type Switch = SwitchSpec & { readonly pattern: ReturnType<typeof compilePattern> };

const SWITCHED_ESCAPES: readonly Switch[] = SWITCHED_ESCAPE_SPECS.map((spec) => ({ ...spec, pattern: compilePattern(spec.name) }));

/** The last segment of every name above: most calls end otherwise and need no pattern matched. */
const LAST_SEGMENTS: ReadonlySet<string> = new Set(SWITCHED_ESCAPES.map((s) => s.pattern.text.split('.').at(-1)!));

/** The reason a call to `segments` with these arguments escapes analysis, or undefined. */
export function switchedEscape(segments: readonly string[], args: SyntaxNode | undefined, source: string, skip = 0): string | undefined {
  if (!LAST_SEGMENTS.has(segments[segments.length - 1]!)) return undefined;
  for (const s of SWITCHED_ESCAPES) {
    const matches = denyPatternMatches(s.pattern, segments);
    if (matches && switchedOn(s, args, source, skip)) return s.reason;
  }
  return undefined;
}

function switchedOn(s: Switch, args: SyntaxNode | undefined, source: string, skip: number): boolean {
  const items = args ? namedChildren(args).filter((c) => c.type !== 'comment') : [];
  let positional = -skip;
  for (const item of items) {
    if (item.type === 'list_splat' || item.type === 'dictionary_splat') return true;
    if (item.type === 'keyword_argument') {
      const name = child(item, 'name');
      if (name && source.slice(name.start, name.end) === s.keyword) return !isLiteral(child(item, 'value'), s.safe, source);
      continue;
    }
    if (s.position !== undefined && positional === s.position) return !isLiteral(item, s.safe, source);
    positional++;
  }
  return !s.safeWhenAbsent;
}

function isLiteral(node: SyntaxNode | undefined, literal: SwitchSpec['safe'], source: string): boolean {
  if (literal !== 'tool-name') return node?.type === literal;
  // Round 17 (deliberate, in src/ and the reference alike): a plain string naming a program, no path in it.
  if (node?.type !== 'string' || node.children.length !== 3) return false;
  const [start, content, end] = node.children;
  return start!.type === 'string_start' && !/[fFbBtT]/.test(source.slice(start!.start, start!.end)) && content!.type === 'string_content' && content!.children.length === 0 && end!.type === 'string_end' && TOOL_NAME.test(source.slice(content!.start, content!.end));
}

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_+-]*$/;
