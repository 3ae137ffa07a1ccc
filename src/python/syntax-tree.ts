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
  start: number;
  end: number;
  line: number;
  column: number;
  children: SyntaxNode[];
}

/** The minimal surface of web-tree-sitter's TreeCursor that the copy needs. */
export interface CursorLike {
  nodeType: string;
  nodeIsNamed: boolean;
  nodeIsMissing: boolean;
  currentFieldName: string | null;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** Copies the tree under the cursor, iteratively: hostile code can nest deeper than the JS stack. */
export function copyTree(cursor: CursorLike): SyntaxNode {
  const make = (): SyntaxNode => ({
    type: cursor.nodeType,
    field: cursor.currentFieldName,
    named: cursor.nodeIsNamed,
    missing: cursor.nodeIsMissing,
    start: cursor.startIndex,
    end: cursor.endIndex,
    line: cursor.startPosition.row + 1,
    column: cursor.startPosition.column + 1,
    children: [],
  });
  const root = make();
  const stack: SyntaxNode[] = [root];
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const node = make();
    stack[stack.length - 1]!.children.push(node);
    if (cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length === 1) return root;
      stack.pop();
    }
  }
}

export function child(node: SyntaxNode, field: string): SyntaxNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function children(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter((c) => c.field === field);
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c) => c.named);
}
