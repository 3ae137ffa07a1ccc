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
import { copyTree, type SyntaxNode } from './syntax-tree.js';

type WebTreeSitter = typeof import('web-tree-sitter');

interface LoadedParser {
  parse(source: string): SyntaxNode;
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

/** Parses Python 3 source into a plain syntax tree. The parser must have been loaded. */
export function parsePython(source: string): SyntaxNode {
  if (!loaded) throw new Error('the Python parser is not loaded (call loadPythonParser first)');
  return loaded.parse(source);
}

async function load(): Promise<LoadedParser> {
  const require = createRequire(join(packageRoot(), 'package.json'));
  const { Parser, Language } = await importModule<WebTreeSitter>('web-tree-sitter');
  await Parser.init({ wasmBinary: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')) });
  const python = await Language.load(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  const parser = new Parser();
  parser.setLanguage(python);
  const grammar = {
    types: python.types,
    fields: python.fields,
    named: (typeId: number) => python.nodeTypeIsNamed(typeId),
  };
  return {
    parse(source) {
      const tree = parser.parse(source);
      if (!tree) throw new Error('tree-sitter returned no tree');
      try {
        const cursor = tree.walk();
        try {
          // has_error covers ERROR and MISSING nodes; only then is each node asked whether it is missing.
          return copyTree(cursor, source, grammar, tree.rootNode.hasError);
        } finally {
          cursor.delete();
        }
      } finally {
        tree.delete();
      }
    },
  };
}
