// Interleaved CPU-time comparison in one process: each round parses the same inputs with each parser in turn.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const withPyodide = process.argv.includes('--pyodide');
const files = readdirSync('corpus/valid').sort().map((f) => readFileSync(`corpus/valid/${f}`, 'utf8'));
const snippets = []; for (const text of files) { if (text.length > 4096) snippets.push(text.slice(0, 2048)); if (snippets.length === 300) break; }
const bulk = []; let size = 0; for (const text of files) { if (size > 3 * 1024 * 1024) break; bulk.push(text); size += text.length; }
const parsers = {};
{ const { parser } = require('@lezer/python'); parsers.lezer = (t) => { parser.parse(t); }; }
{ const { Parser, Language } = require('web-tree-sitter'); await Parser.init(); const lang = await Language.load(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'))); const p = new Parser(); p.setLanguage(lang); parsers['tree-sitter'] = (t) => { p.parse(t).delete(); }; }
if (withPyodide) { const { loadPyodide } = require('pyodide'); const py = await loadPyodide(); py.runPython('import ast\ndef _p(s):\n    try:\n        ast.parse(s)\n    except (SyntaxError, ValueError):\n        pass'); const f = py.globals.get('_p'); parsers.pyodide = (t) => f(t); }
const cpu = { snippet: {}, bulk: {} };
for (const name of Object.keys(parsers)) { cpu.snippet[name] = []; cpu.bulk[name] = []; for (const s of snippets.slice(0, 50)) parsers[name](s); }
for (let round = 0; round < 5; round++) {
  for (const name of Object.keys(parsers)) {
    let c = process.cpuUsage(); for (const s of snippets) parsers[name](s); let d = process.cpuUsage(c); cpu.snippet[name].push((d.user + d.system) / 1000 / snippets.length);
    c = process.cpuUsage(); for (const s of bulk) parsers[name](s); d = process.cpuUsage(c); cpu.bulk[name].push((d.user + d.system) / 1000 / (size / 1024));
  }
}
const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
for (const name of Object.keys(parsers)) console.log(`${name}: 2 KiB snippet ${med(cpu.snippet[name]).toFixed(3)} ms CPU; bulk (${(size / 1048576).toFixed(1)} MiB of real files) ${med(cpu.bulk[name]).toFixed(3)} ms CPU per KiB`);
