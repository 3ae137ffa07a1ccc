// Groups the real files @lezer/python rejects by the line of its first error (docs/dev/python-parsers.md).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { parser } = require('@lezer/python');
const cats = {};
for (const f of readdirSync('corpus/valid').sort()) {
  const text = readFileSync('corpus/valid/' + f, 'utf8');
  let first;
  parser.parse(text).iterate({ enter: (n) => { if (n.type.isError && first === undefined) first = n.from; } });
  if (first === undefined) continue;
  const line = text.slice(0, first).split('\n').length;
  const l = text.split('\n')[line - 1];
  const cat = /^\s*yield\s*$/.test(l) || /\(yield\)/.test(l) ? 'bare yield' : /^\f/.test(l) ? 'form feed' : /\d\.(\D|$)/.test(l) ? 'float ending in .' : /\bwith\b/.test(l) || /as \(/.test(l) ? 'with … as (a, b)' : 'other: ' + l.trim().slice(0, 40);
  cats[cat] = (cats[cat] || 0) + 1;
}
console.log(cats);
