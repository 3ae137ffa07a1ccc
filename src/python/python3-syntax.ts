/**
 * Syntax tree-sitter-python accepts and CPython 3 rejects: Python 2 forms its grammar keeps
 * (`except E, e:`, backticks, `<>`, `0777`, `10L`, `ur''`, `raise E, msg`, tuple parameters) and a few
 * Python 3 errors it does not check (a bare walrus statement, `a, b += 1`, `async = 1`, `x = *a`,
 * `from m import a,`, an unparenthesised generator next to other arguments, `f(a=1, 2)`,
 * `def f(a=1, b)`, `del a + b`, `f'{x!z}'`). The guard promises to deny
 * code that does not parse as Python 3 (docs/python-guard.md). The fast parser declines all of these (the
 * last four by its own checks), so only trees from tree-sitter are walked (parser.ts).
 */
import type { SyntaxNode } from './syntax-tree.js';

/** Valid string prefixes, lower-cased (Python 3.14 adds template strings, `t`). */
const STRING_PREFIXES = new Set(['', 'r', 'u', 'f', 'fr', 'rf', 'b', 'br', 'rb', 't', 'tr', 'rt']);

/** Left sides an augmented assignment cannot have (`a, b += 1`). */
const NOT_AUGMENTABLE = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'list_splat_pattern']);

/** Why this node is not Python 3, or undefined. Looks at the node and its direct children only. */
export function notPython3(node: SyntaxNode, source: string): string | undefined {
  switch (node.type) {
    case 'integer': {
      const text = source.slice(node.start, node.end);
      const last = text.charCodeAt(text.length - 1) | 0x20;
      if (last === 0x6c /* l */) return 'Python 2 syntax (long integer)';
      if (text.length > 1 && text.charCodeAt(0) === 0x30 && /^0[0-9_]*[1-9][0-9_]*$/.test(text)) return 'Python 2 syntax (octal literal without 0o)';
      return undefined;
    }
    case 'string_start': {
      const text = source.slice(node.start, node.end);
      if (text.charCodeAt(0) === 0x60 /* ` */) return 'Python 2 syntax (backticks)';
      const quote = text.search(/['"]/);
      if (quote > 0 && !STRING_PREFIXES.has(text.slice(0, quote).toLowerCase())) return 'invalid string prefix';
      return undefined;
    }
    case 'identifier': {
      if (node.end - node.start !== 5) return undefined;
      const text = source.slice(node.start, node.end);
      return text === 'async' || text === 'await' ? `"${text}" is a keyword` : undefined;
    }
    case 'except_clause':
      // `except E, e:` (Python 3.14 reads `except A, B:` as a tuple; 3D Slicer's Python is older and rejects it).
      return hasChild(node, ',') ? 'Python 2 syntax (except X, name)' : undefined;
    case 'comparison_operator':
      return hasChild(node, '<>') ? 'Python 2 syntax (<>)' : undefined;
    case 'raise_statement':
      return hasChild(node, 'expression_list') ? 'Python 2 syntax (raise X, message)' : undefined;
    case 'parameters':
    case 'lambda_parameters':
      if (hasChild(node, 'tuple_pattern') || hasChild(node, 'list_pattern')) return 'Python 2 syntax (tuple parameter)';
      return defaultBeforePlain(node) ? 'a parameter without a default after one with a default' : undefined;
    case 'argument_list':
      return argumentsOutOfOrder(node);
    case 'delete_statement': {
      const target = node.children.find((c) => c.named && !EXTRAS.has(c.type));
      return target && !DELETABLE.has(target.type) ? 'cannot delete an expression' : undefined;
    }
    case 'type_conversion': {
      const text = source.slice(node.start, node.end);
      return text === '!r' || text === '!s' || text === '!a' ? undefined : 'an f-string conversion other than !r, !s or !a';
    }
    case 'expression_statement':
      return hasChild(node, 'named_expression') ? 'an unparenthesised := statement' : undefined;
    case 'augmented_assignment': {
      const left = node.children[0];
      return left && NOT_AUGMENTABLE.has(left.type) ? 'an augmented assignment to several targets' : undefined;
    }
    case 'assignment':
      return hasChild(node, 'list_splat') ? 'a starred expression alone' : undefined;
    case 'import_from_statement': {
      const last = node.children[node.children.length - 1];
      return last?.type === ',' ? 'a trailing comma in an import without parentheses' : undefined;
    }
    case 'for_in_clause':
      // `f(x for x in y, 1)` and `[x for x in a, b]`: the comma after `in` (the targets' commas are in a pattern_list).
      return hasChild(node, ',') ? 'a comprehension over an unparenthesised tuple, or a generator that needs parentheses' : undefined;
    default:
      return undefined;
  }
}

/** Whether any node of the tree is not Python 3 (an iterative walk: hostile code nests deeply). */
export function hasNonPython3(root: SyntaxNode, source: string): boolean {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (notPython3(node, source) !== undefined) return true;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return false;
}

/** Nodes tree-sitter puts anywhere between others. */
const EXTRAS = new Set(['comment', 'line_continuation']);

/** What `del` may take as a whole (its items are not checked further); fast-parser.ts declines the rest. */
export const DELETABLE = new Set(['identifier', 'attribute', 'subscript', 'expression_list', 'tuple', 'list', 'parenthesized_expression']);

/** `def f(a=1, b)`: a plain parameter after a default, with no `*` between (after one, any order is fine). */
function defaultBeforePlain(node: SyntaxNode): boolean {
  let defaults = false;
  for (const c of node.children) {
    if (c.type === 'default_parameter' || c.type === 'typed_default_parameter') defaults = true;
    else if (c.type === 'identifier' || (c.type === 'typed_parameter' && c.children[0]?.type === 'identifier')) {
      if (defaults) return true;
    } else if (c.named && c.type !== 'positional_separator' && !EXTRAS.has(c.type)) return false; // `*`, `*args`, `**kw`: keyword-only from here
  }
  return false;
}

/** `f(a=1, 2)`, `f(**k, x)`, `f(**k, *a)`: CPython's parser rejects them, tree-sitter does not. */
function argumentsOutOfOrder(node: SyntaxNode): string | undefined {
  let keywords = false;
  let doubleStar = false;
  for (const c of node.children) {
    if (!c.named || EXTRAS.has(c.type)) continue;
    if (c.type === 'keyword_argument') keywords = true;
    else if (c.type === 'dictionary_splat') doubleStar = true;
    else if (c.type === 'list_splat') {
      if (doubleStar) return 'an iterable argument after a ** argument';
    } else if (keywords || doubleStar) return 'a positional argument after a keyword argument';
  }
  return undefined;
}

function hasChild(node: SyntaxNode, type: string): boolean {
  const children = node.children;
  for (let i = 0; i < children.length; i++) if (children[i]!.type === type) return true;
  return false;
}
