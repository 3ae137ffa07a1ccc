import { excessiveNestingOffset, MAX_NESTING } from './depth.js';
import { LineIndex, type SourceRange } from './positions.js';
import { parentPointer } from './pointer.js';

export type SourceFormat = 'json' | 'yaml';

/** Offsets [start, end) of one node in the text; `key` is the member name when the node is an object member. */
export interface NodeSpan {
  key?: [number, number];
  value: [number, number];
}

export interface DuplicateKey {
  pointer: string;
  key: string;
  first: [number, number];
  duplicate: [number, number];
}

export interface SyntaxProblem {
  message: string;
  offset: number;
  end?: number;
}

/** A policy file as text, its value, and where every JSON Pointer lives in the text. */
export interface SourceDocument {
  path: string;
  format: SourceFormat;
  /** The text with any byte-order mark removed; offsets refer to it. */
  text: string;
  hadBom: boolean;
  /** `undefined` when the text does not parse. */
  value: unknown;
  syntaxErrors: SyntaxProblem[];
  duplicates: DuplicateKey[];
  spans: Map<string, NodeSpan>;
  lines: LineIndex;
}

/** The text range for a pointer: its key (for member problems) or its value; falls back to the nearest ancestor that exists. */
export function rangeOf(document: SourceDocument, pointer: string, part: 'key' | 'value' = 'value'): SourceRange {
  let current: string | undefined = pointer;
  while (current !== undefined) {
    const span = document.spans.get(current);
    if (span) {
      const offsets = part === 'key' && span.key ? span.key : span.value;
      return document.lines.range(offsets[0], offsets[1]);
    }
    current = parentPointer(current);
  }
  return document.lines.range(0, 0);
}

/** Assigns without ever touching a prototype: `{"__proto__": …}` in a policy is just a key. */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The document a parser fills in: byte-order mark removed, and with a syntax error already when the
 * text is empty (`isEmpty`) or nested deeper than any policy needs, which no parser should see.
 * `ready` is false in those cases.
 */
export function beginSource(path: string, format: SourceFormat, rawText: string, isEmpty: (text: string) => boolean): { document: SourceDocument; ready: boolean } {
  const hadBom = rawText.charCodeAt(0) === 0xfeff;
  const text = hadBom ? rawText.slice(1) : rawText;
  const document: SourceDocument = {
    path,
    format,
    text,
    hadBom,
    value: undefined,
    syntaxErrors: [],
    duplicates: [],
    spans: new Map(),
    lines: new LineIndex(text),
  };
  if (isEmpty(text)) {
    document.syntaxErrors.push({ message: `the file is empty; a policy is a ${format === 'json' ? 'JSON object' : 'YAML mapping'}`, offset: 0 });
    return { document, ready: false };
  }
  const deep = excessiveNestingOffset(text);
  if (deep >= 0) {
    document.syntaxErrors.push({ message: `nesting deeper than ${MAX_NESTING} levels`, offset: deep });
    return { document, ready: false };
  }
  return { document, ready: true };
}
