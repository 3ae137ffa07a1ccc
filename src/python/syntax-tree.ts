/**
 * The parser-independent syntax tree the analyser reads: the concrete tree of tree-sitter-python,
 * copied into plain objects (so the analyser is pure and testable, and the wasm tree can be freed
 * at once). Positions are 1-based lines and UTF-16 columns, as everywhere in policylayer.
 */
export interface SyntaxNode {
  /** tree-sitter-python's node type: `call`, `attribute`, `identifier`, `ERROR`, … */
  type: string;
  /** The field of the parent this node fills (`function`, `object`, `left`, …), or null. */
  field: string | null;
  named: boolean;
  /** A node tree-sitter inserted to recover from an error (a missing `)`). */
  missing: boolean;
  /** Offsets in the source (UTF-16); -1, like line and column 0, for punctuation and keywords, which are not located. */
  start: number;
  end: number;
  line: number;
  column: number;
  children: SyntaxNode[];
  /** On the root: whether the parser reported any error or missing node (undefined: not known, so look). */
  hasError?: boolean;
}

/** The minimal surface of web-tree-sitter's TreeCursor that the copy needs. */
export interface CursorLike {
  nodeTypeId: number;
  nodeIsMissing: boolean;
  currentFieldId: number;
  startIndex: number;
  endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** What the copy needs of the grammar, looked up once per type and field id rather than once per node. */
export interface GrammarTables {
  types: ReadonlyArray<string | null | undefined>;
  named(typeId: number): boolean;
  fields: ReadonlyArray<string | null>;
}

/**
 * Copies the tree under the cursor, iteratively: hostile code can nest deeper than the JS stack.
 * Every cursor property is a call into WebAssembly, so only four are read per node (type id,
 * field id, start and end); names, named-ness and line:column are computed here. `withMissing`
 * (the parser found errors) also reads whether each node was inserted by error recovery.
 */
export function copyTree(cursor: CursorLike, source: string, grammar: GrammarTables, withMissing: boolean): SyntaxNode {
  const lines = lineStarts(source);
  let line = 0;
  const typeNames = new Map<number, { type: string; named: boolean }>();
  let python2 = false;
  const make = (): SyntaxNode => {
    const typeId = cursor.nodeTypeId;
    let kind = typeNames.get(typeId);
    if (!kind) {
      const type = grammar.types[typeId] ?? 'ERROR';
      kind = { type, named: type === 'ERROR' || grammar.named(typeId) };
      typeNames.set(typeId, kind);
      if (PYTHON2_ONLY.has(type)) python2 = true;
    }
    // Punctuation and keywords (anonymous nodes) are read for their type alone, except operators the
    // analyser looks at: three fewer calls into WebAssembly for about a third of all nodes.
    if (!withMissing && !kind.named && !KEPT_ANONYMOUS.has(kind.type)) {
      return { type: kind.type, field: null, named: false, missing: false, start: -1, end: -1, line: 0, column: 0, children: [] };
    }
    const start = cursor.startIndex;
    // Nodes come in source order, so the line only moves forward (a child starts where its parent does or later).
    if (start < lines[line]!) line = 0;
    while (line + 1 < lines.length && lines[line + 1]! <= start) line++;
    const field = cursor.currentFieldId;
    return {
      type: kind.type,
      field: field > 0 ? (grammar.fields[field] ?? null) : null,
      named: kind.named,
      missing: withMissing && cursor.nodeIsMissing,
      start,
      end: cursor.endIndex,
      line: line + 1,
      column: start - lines[line]! + 1,
      children: [],
    };
  };
  const root = make();
  const stack: SyntaxNode[] = [root];
  // hasError on the root: the parser's own flag, or Python 2 syntax (which tree-sitter-python accepts).
  const done = () => {
    root.hasError = withMissing || python2;
    return root;
  };
  if (!cursor.gotoFirstChild()) return done();
  for (;;) {
    const node = make();
    stack[stack.length - 1]!.children.push(node);
    if (cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) return done();
      stack.pop();
    }
  }
}

/** Node types of Python 2 that tree-sitter-python still accepts; CPython 3 rejects them. */
export const PYTHON2_ONLY: ReadonlySet<string> = new Set(['print_statement', 'exec_statement']);

/** Anonymous nodes copied in full: the operators whose text or field the analyser reads. */
const KEPT_ANONYMOUS = new Set(['/']);

/** Where each line starts, in UTF-16 units. Line breaks are Python's: \n, \r\n and \r. */
export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

export function child(node: SyntaxNode, field: string): SyntaxNode | undefined {
  const children = node.children;
  for (let i = 0; i < children.length; i++) if (children[i]!.field === field) return children[i];
  return undefined;
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c) => c.named);
}
