/**
 * Python 3 parsing with tree-sitter-python, compiled to WebAssembly and run by web-tree-sitter.
 * Chosen by measurement (docs/python-guard.md, docs/dev/python-parsers.md): it accepts every file
 * of a 2,000-file corpus of real Python that CPython accepts (@lezer/python rejected 3.6%, e.g.
 * `x = 1.` and a bare `yield`), parses faster per KiB, and needs no Python at run time (Pyodide
 * starts in ~2 s and installs 14 MiB).
 *
 * Loading is asynchronous (WebAssembly instantiation) and happens once, when a policy with a
 * `python` condition is loaded; parsing itself is synchronous, so decide() stays pure and sync.
 * Nothing here is imported by commands whose policy has no `python` condition.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../util/bundle.js';
import { importModule } from '../util/import-module.js';
import { fastParsePython } from './fast-parser.js';
import { hasNonPython3 } from './python3-syntax.js';
import { copyTree, type SyntaxNode } from './syntax-tree.js';
import { LayoutMismatch, readLanguageTables, readTree, rootAgrees, type LanguageTables, type SubtreeLayout, type WasmHeap } from './wasm-tree.js';

type WebTreeSitter = typeof import('web-tree-sitter');

interface LoadedParser {
  parse(source: string): SyntaxNode;
  /** The same parse copied by a given reader: for the differential test of readTree against the cursor walk. */
  parseWith(source: string, reader: 'memory' | 'cursor', alter?: (tables: LanguageTables) => LanguageTables, layout?: SubtreeLayout): SyntaxNode;
  /** How trees are copied: 'memory' (readTree) or 'cursor' (copyTree, when the memory layout did not check out), and why. */
  reader: { kind: 'memory' | 'cursor'; reason?: string };
}

let loading: Promise<LoadedParser> | undefined;
let loaded: LoadedParser | undefined;

/** Loads the parser (once; later calls share the first load). */
export function loadPythonParser(): Promise<void> {
  loading ??= load().then((parser) => (loaded = parser));
  return loading.then(() => undefined);
}

export function pythonParserLoaded(): boolean {
  return loaded !== undefined;
}

/** Parses with a given tree copy, whichever the parser chose: for the differential test. */
export function parsePythonWith(source: string, reader: 'memory' | 'cursor', alterTables?: (tables: LanguageTables) => LanguageTables, layout?: SubtreeLayout): SyntaxNode {
  if (!loaded) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  return loaded.parseWith(source, reader, alterTables, layout);
}

/** Which tree copy the loaded parser uses (for tests and the bench: the cursor walk is the slow fallback). */
export function pythonTreeReader(): LoadedParser['reader'] | undefined {
  return loaded?.reader;
}

let fastPath = true;

/**
 * Turns the hand-written fast path (fast-parser.ts) on or off: for the differential tests and the
 * bench. It builds tree-sitter's own tree for the code it accepts and declines the rest.
 */
export function useFastParser(on: boolean): void {
  fastPath = on;
}

/**
 * Parses Python 3 source into a plain syntax tree. The parser must have been loaded (even when the
 * fast path answers: loading stays where it was, when the policy loads, so behaviour never depends
 * on which path a script takes).
 */
export function parsePython(source: string): SyntaxNode {
  if (!loaded) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  if (fastPath) {
    const tree = fastParsePython(source);
    if (tree) return tree;
  }
  const root = loaded.parse(source);
  // Python 2 forms and a few Python 3 errors tree-sitter accepts (the fast parser declines them all).
  if (root.hasError === false && hasNonPython3(root, source)) root.hasError = true;
  return root;
}

async function load(): Promise<LoadedParser> {
  const require = createRequire(join(packageRoot(), 'package.json'));
  const { Parser, Language } = await importModule<WebTreeSitter>('web-tree-sitter');
  // Emscripten makes this options object the module itself: afterwards it holds the wasm memory (HEAPU8), which readTree reads.
  const module: { wasmBinary: Uint8Array; HEAPU8?: Uint8Array } = { wasmBinary: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')) };
  await Parser.init(module);
  const python = await Language.load(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  const parser = new Parser();
  parser.setLanguage(python);
  const grammar = {
    // Internalised (as property keys are), so the analyser's comparisons with literals are pointer compares:
    // web-tree-sitter builds these strings from wasm memory, and a switch over them was a fifth of the analysis.
    types: python.types.map(internalise),
    fields: python.fields.map(internalise),
    named: (typeId: number) => python.nodeTypeIsNamed(typeId),
  };
  const viaCursor = (source: string, tree: import('web-tree-sitter').Tree, withMissing: boolean) => {
    const cursor = tree.walk();
    try {
      return copyTree(cursor, source, grammar, withMissing);
    } finally {
      cursor.delete();
    }
  };
  const heap = module as WasmHeap;
  const tables = memoryTables(module, (python as unknown as { 0: number })[0], { ...grammar, abiVersion: python.abiVersion, nodeTypeCount: python.nodeTypeCount });
  const reader: LoadedParser['reader'] = typeof tables === 'string' ? { kind: 'cursor', reason: tables } : { kind: 'memory' };

  /** Parses and copies; `memory`: read from memory, checked at the root (undefined: it disagreed). */
  const parseWith = (source: string, memory: { tables: LanguageTables; layout?: SubtreeLayout } | undefined): SyntaxNode | undefined => {
    const tree = parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      const rootNode = tree.rootNode;
      // has_error covers ERROR and MISSING nodes; only then is each node asked whether it is missing.
      const withMissing = rootNode.hasError;
      if (!memory) return viaCursor(source, tree, withMissing);
      let root: SyntaxNode;
      const stats = { nodes: 0 };
      try {
        root = readTree(heap, memory.tables, (tree as unknown as { 0: number })[0], source, withMissing, memory.layout, stats);
      } catch (error) {
        if (error instanceof LayoutMismatch) return undefined;
        throw error;
      }
      const facts = {
        startIndex: rootNode.startIndex,
        endIndex: rootNode.endIndex,
        childCount: rootNode.childCount,
        type: grammar.types[rootNode.typeId] ?? 'ERROR',
        descendantCount: rootNode.descendantCount,
        lastChildStart: rootNode.lastChild?.startIndex ?? -1,
      };
      return rootAgrees(root, stats.nodes, facts) ? root : undefined;
    } finally {
      tree.delete();
    }
  };

  return {
    parse: (source) =>
      parseWithFallback(
        reader,
        () => parseWith(source, { tables: tables as LanguageTables }),
        () => parseWith(source, undefined)!,
      ),
    parseWith(source, kind, alter = (t) => t, layout) {
      if (kind === 'cursor') return parseWith(source, undefined)!;
      if (typeof tables === 'string') throw new Error(`the memory reader is unavailable: ${tables}`);
      const root = parseWith(source, { tables: alter(tables), ...(layout ? { layout } : {}) });
      if (!root) throw new Error('the tree read from memory disagrees with web-tree-sitter at its root');
      return root;
    },
    reader,
  };
}

/**
 * One parse by the reader in use. A tree read from memory that the check at its root refuses
 * (undefined) means the runtime's layout is not the one readTree knows: this code and all later code
 * are read by the cursor walk.
 */
export function parseWithFallback(reader: LoadedParser['reader'], viaMemory: () => SyntaxNode | undefined, viaCursor: () => SyntaxNode): SyntaxNode {
  if (reader.kind === 'memory') {
    const root = viaMemory();
    if (root) return root;
    reader.kind = 'cursor';
    reader.reason = 'a tree read from memory disagreed with web-tree-sitter at its root';
  }
  return viaCursor();
}

function internalise<T extends string | null | undefined>(text: T): T {
  return typeof text === 'string' ? (Object.keys({ [text]: 0 })[0] as T) : text;
}

function memoryTables(module: { HEAPU8?: Uint8Array }, languageAddress: number, expected: Parameters<typeof readLanguageTables>[2]): LanguageTables | string {
  // Another copy of web-tree-sitter initialised first would leave this object untouched.
  if (!(module.HEAPU8 instanceof Uint8Array)) return 'web-tree-sitter did not expose its memory';
  if (typeof languageAddress !== 'number') return 'the language has no address';
  return readLanguageTables(module as WasmHeap, languageAddress, expected);
}
