import { parse, type ValueNode } from '@humanwhocodes/momoa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonSpans } from '../../src/policy/json-spans.js';
import { toPointer } from '../../src/policy/pointer.js';
import type { DuplicateKey, NodeSpan } from '../../src/policy/source.js';

/** The spans as momoa's AST gives them: the reference the fast scanner must match. */
function momoaSpans(text: string): { spans: Map<string, NodeSpan>; duplicates: DuplicateKey[] } {
  const spans = new Map<string, NodeSpan>();
  const duplicates: DuplicateKey[] = [];
  const walk = (node: ValueNode, path: (string | number)[], key?: [number, number]) => {
    const pointer = toPointer(path);
    spans.set(pointer, key ? { key, value: node.range! } : { value: node.range! });
    if (node.type === 'Object') {
      const seen = new Map<string, [number, number]>();
      for (const member of node.members) {
        const name = member.name.type === 'String' ? member.name.value : member.name.name;
        const earlier = seen.get(name);
        if (earlier) duplicates.push({ pointer: toPointer([...path, name]), key: name, first: earlier, duplicate: member.name.range! });
        else seen.set(name, member.name.range!);
        walk(member.value, [...path, name], member.name.range!);
      }
    } else if (node.type === 'Array') node.elements.forEach((element, i) => walk(element.value, [...path, i]));
  };
  walk(parse(text, { mode: 'json', ranges: true }).body, []);
  return { spans, duplicates };
}

function scanned(text: string) {
  const spans = new Map<string, NodeSpan>();
  const duplicates: DuplicateKey[] = [];
  scanJsonSpans(text, spans, duplicates);
  return { spans, duplicates };
}

describe('scanJsonSpans', () => {
  it('matches momoa on keys with escapes, "/" and "~", duplicates, empty containers and odd whitespace', () => {
    const text = ' \r\n{ "a/b": [ 1 , -2.5e3 ,true,null, {} , [] ],\t"t~1": {"x": "q\\"}"}, "\\u0041": "é🩻", "a/b": false , "k": {"k": {"k": [[[]]]}}}\n';
    expect(scanned(text)).toEqual(momoaSpans(text));
  });

  it('matches momoa on strings made of backslashes and quotes (the scanner jumps from quote to quote)', () => {
    const hostile = fc.string({ unit: fc.constantFrom('\\', '"', 'a', '/', '~', 'é', '\n', '\u2028', '🩻'), maxLength: 12 });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, hostile, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(hostile, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(value, fc.array(fc.tuple(hostile, hostile), { maxLength: 3 }), (json, repeated) => {
        // Repeated keys written by hand: JSON.stringify would merge them.
        const members = repeated.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        const text = members.length ? `{${[...members, ...members].join(',')},"v":${JSON.stringify(json)}}` : JSON.stringify(json);
        expect(scanned(text)).toEqual(momoaSpans(text));
      }),
      { numRuns: 500 },
    );
  });

  it('matches momoa on any JSON text', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), fc.constantFrom(undefined, 2, '\t', ' \r\n'), (json, indent) => {
        const text = indent === undefined ? json : ` ${JSON.stringify(JSON.parse(json), null, indent)}\n`;
        expect(scanned(text)).toEqual(momoaSpans(text));
      }),
      { numRuns: 500 },
    );
  });
});
