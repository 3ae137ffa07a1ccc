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
import { copyTree, sameTree, type SyntaxNode } from './syntax-tree.js';
import { readLanguageTables, readTree, type LanguageTables, type WasmHeap } from './wasm-tree.js';

type WebTreeSitter = typeof import('web-tree-sitter');

interface LoadedParser {
  parse(source: string): SyntaxNode;
  /** The same parse copied by a given reader: for the differential test of readTree against the cursor walk. */
  parseWith(source: string, reader: 'memory' | 'cursor', alter?: (tables: LanguageTables) => LanguageTables): SyntaxNode;
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
export function parsePythonWith(source: string, reader: 'memory' | 'cursor', alterTables?: (tables: LanguageTables) => LanguageTables): SyntaxNode {
  if (!loaded) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  return loaded.parseWith(source, reader, alterTables);
}

/** Which tree copy the loaded parser uses (for tests and the bench: the cursor walk is the slow fallback). */
export function pythonTreeReader(): LoadedParser['reader'] | undefined {
  return loaded?.reader;
}

/** Parses Python 3 source into a plain syntax tree. The parser must have been loaded. */
export function parsePython(source: string): SyntaxNode {
  if (!loaded) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  return loaded.parse(source);
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
  const parseWith = (source: string, tables: LanguageTables | undefined): SyntaxNode => {
    const tree = parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      // has_error covers ERROR and MISSING nodes; only then is each node asked whether it is missing.
      const withMissing = tree.rootNode.hasError;
      return tables ? readTree(heap, tables, (tree as unknown as { 0: number })[0], source, withMissing) : viaCursor(source, tree, withMissing);
    } finally {
      tree.delete();
    }
  };
  const tables = memoryTables(module, (python as unknown as { 0: number })[0], { ...grammar, abiVersion: python.abiVersion, nodeTypeCount: python.nodeTypeCount });
  let reader: LoadedParser['reader'];
  if (typeof tables === 'string') reader = { kind: 'cursor', reason: tables };
  else {
    // The self-test: both copies of trees that exercise every path of readTree must be identical.
    const differs = SELF_TEST.find((source) => !sameTree(parseWith(source, tables), parseWith(source, undefined)));
    reader = differs === undefined ? { kind: 'memory' } : { kind: 'cursor', reason: `the self-test differs on ${JSON.stringify(differs.slice(0, 40))}` };
  }
  const chosen = reader.kind === 'memory' ? (tables as LanguageTables) : undefined;
  return {
    parse: (source) => parseWith(source, chosen),
    parseWith: (source, kind, alter = (t) => t) => {
      if (kind === 'memory' && typeof tables === 'string') throw new Error(`the memory reader is unavailable: ${tables}`);
      return parseWith(source, kind === 'memory' ? alter(tables as LanguageTables) : undefined);
    },
    reader,
  };
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

/**
 * Code for the load-time self-test of readTree against the cursor walk: aliases, fields reached
 * through hidden nodes, comments (extras), strings and f-strings, every statement kind, and trees
 * with errors and missing nodes (where every node is located).
 */
export const SELF_TEST = [
  [
    '# comment',
    'from __future__ import annotations',
    'import os.path as p, sys',
    'from .a import (b as c, d)  # trailing',
    'from m import *',
    '@decorator(x=1)',
    'async def f(a, /, b: int = 2, *args, c, **kw) -> "T":',
    '    global g',
    '    x = [i async for i in y if i] ; y: list[int] = {k: v for k, v in z.items()}',
    '    await g(*a, **k)',
    '    return lambda q=1: q / 2',
    'class C(B, metaclass=M):',
    '    """doc"""',
    '    def m(self): yield from self.x[1:2, ...]',
    'match cmd:',
    '    case [1, *rest] | {"k": v, **kw} if v: pass',
    '    case Point(x=0, y=y) as pt: print(f"{pt!r:>{w}} {y}")',
    '    case os.sep: pass',
    'with (open(a) as f, open(b) as g): del f.x, g[0]',
    'try:\n    raise E from e\nexcept* (A, B) as err:\n    assert err, "m"\nelse:\n    pass\nfinally:\n    nonlocal_ = not x or y and z',
    'for a, (b, c) in enumerate(x): continue',
    'while (n := n - 1) > 0: break',
    'type Alias[T] = dict[str, T]',
    'print(rb"\\x", u"é", """multi\nline""", 1_000.5e-3j, ~x ** -y, a if b else c, x[::2])',
    "s = ('a' 'b'); t = f'{a!s}{{b}}{c:{d}}'; e = a @ b; a @= b; a >>= 1",
    'if a: pass\nelif b: pass\nelse: ...',
    '',
  ].join('\n'),
  'def f(:\n  x = (1,\n',
  'print "python 2"\nexec "x"\n',
  'x = [1, 2\ny = 3\n',
  'if x\n    y = )\n',
];
