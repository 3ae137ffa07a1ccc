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
