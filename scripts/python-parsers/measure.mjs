// Parser comparison: correctness on corpus/valid (CPython 3.11 accepts), corpus/new (3.12-3.14 syntax, Pyodide 3.14 accepts),
// corpus/invalid (CPython rejects); speed per KiB; start-up (fresh process: load + first parse).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
const require = createRequire(import.meta.url);
const which = process.argv[2];
const load = (dir) => readdirSync(dir).sort().map((f) => ({ f, text: readFileSync(`${dir}/${f}`, 'utf8') }));
const sets = { valid: load('corpus/valid'), new: load('corpus/new'), invalid: load('corpus/invalid') };

async function makeParser(name) {
  if (name === 'lezer') {
    const { parser } = require('@lezer/python');
    return (text) => { let err = false; parser.parse(text).iterate({ enter: (n) => { if (n.type.isError) err = true; } }); return !err; };
  }
  if (name === 'tree-sitter') {
    const { Parser, Language } = require('web-tree-sitter');
    await Parser.init();
    const lang = await Language.load(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
    const p = new Parser(); p.setLanguage(lang);
    return (text) => { const t = p.parse(text); const ok = !t.rootNode.hasError; t.delete(); return ok; };
  }
  if (name === 'pyodide') {
    const { loadPyodide } = require('pyodide');
    const py = await loadPyodide();
    py.runPython('import ast\ndef _ok(s):\n    try:\n        ast.parse(s)\n        return True\n    except (SyntaxError, ValueError):\n        return False');
    const ok = py.globals.get('_ok');
    return (text) => ok(text);
  }
}

if (process.argv[3] === 'startup') {
  const t0 = performance.now();
  const parse = await makeParser(which);
  const t1 = performance.now();
  parse('import os\nos.system("x")\n');
  const t2 = performance.now();
  console.log(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
  process.exit(0);
}

const parse = await makeParser(which);
const out = {};
for (const [set, files] of Object.entries(sets)) {
  let accepted = 0; const wrong = [];
  let bytes = 0; const t0 = performance.now();
  for (const { f, text } of files) { bytes += Buffer.byteLength(text); const ok = parse(text); if (ok) accepted++; if (ok !== (set !== 'invalid')) wrong.push(f); }
  const ms = performance.now() - t0;
  out[set] = { files: files.length, accepted, wrong: wrong.length, wrongFiles: wrong.slice(0, 40), msPerKiB: ms / (bytes / 1024), kib: bytes / 1024 };
}
// speed on 2 KiB snippets: the guard's typical input
const snippets = []; for (const { text } of sets.valid) { if (text.length > 4096) snippets.push(text.slice(0, 2048).replace(/\n[^\n]*$/, '\n')); if (snippets.length === 500) break; }
for (let r = 0; r < 2; r++) { const t0 = performance.now(); for (const s of snippets) parse(s); out.snippet2k = (performance.now() - t0) / snippets.length; }
console.log(JSON.stringify(out, null, 1));
