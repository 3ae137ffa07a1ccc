/**
 * Dotted names, interned: each distinct name (`os`, `os.path`, `os.path.join`) is one object in a
 * trie, so extending a name by a segment is a map lookup, two names are equal when they are the same
 * object, and what depends on the name alone (the escapes it matches, its form without `builtins.`)
 * is computed once and kept on it. Hand-written because the analyser extends and compares names for
 * every reference in the code: building and joining arrays there was most of its time
 * (docs/dev/python-parsers.md).
 *
 * The table is shared by all analyses (the same names recur from script to script) and bounded:
 * names.trim() starts it afresh, between two analyses only, once it holds MAX_NAMES names. Nothing
 * an analysis reports depends on what the table held before.
 */
export class DottedName {
  readonly children = new Map<string, DottedName>();
  /**
   * Interned references to this name, by origin and instance (see refOf in analyse.ts). Fields, not
   * an array: one object fewer to reach for every reference the analyser extends.
   */
  freeRef: unknown = undefined;
  freeInstanceRef: unknown = undefined;
  importRef: unknown = undefined;
  importInstanceRef: unknown = undefined;
  /** Memoised escape matches, by origin (free, import) and for imports (see analyse.ts). */
  freeEscapes: unknown = undefined;
  importedEscapes: unknown = undefined;
  moduleEscapes: unknown = undefined;
  /** The name without a transparent root (`builtins.exec` → `exec`), once computed. */
  normalized: DottedName | undefined = undefined;
  /** Whether the name is a class's (value-flow.ts isClassName), once computed. */
  classLike: boolean | undefined = undefined;

  constructor(
    /** Shared, never to be changed. */
    readonly segments: readonly string[],
    /** segments.join('.') */
    readonly text: string,
  ) {}
}

const MAX_NAMES = 50_000;

class NameTable {
  root = new DottedName([], '');
  size = 0;

  trim(): void {
    if (this.size < MAX_NAMES) return;
    this.root = new DottedName([], '');
    this.size = 0;
  }
}

export const names = new NameTable();

/** The name `parent.segment`. */
export function dottedName(parent: DottedName, segment: string): DottedName {
  let name = parent.children.get(segment);
  if (name === undefined) {
    name = new DottedName([...parent.segments, segment], parent.segments.length === 0 ? segment : `${parent.text}.${segment}`);
    parent.children.set(segment, name);
    names.size++;
  }
  return name;
}

export function extendName(parent: DottedName, segments: readonly string[]): DottedName {
  let name = parent;
  for (const segment of segments) name = dottedName(name, segment);
  return name;
}

export function nameFrom(segments: readonly string[]): DottedName {
  return extendName(names.root, segments);
}
