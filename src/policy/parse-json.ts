import { parse as parseMomoa, type ValueNode } from '@humanwhocodes/momoa';
import { excessiveNestingOffset, MAX_NESTING } from './depth.js';
import { LineIndex } from './positions.js';
import { toPointer } from './pointer.js';
import { defineMember, type DuplicateKey, type NodeSpan, type SourceDocument } from './source.js';

/** Parses JSON keeping the text range of every node (momoa, ESLint's JSON parser) and every duplicate key. */
export function parseJsonSource(path: string, rawText: string): SourceDocument {
  const hadBom = rawText.charCodeAt(0) === 0xfeff;
  const text = hadBom ? rawText.slice(1) : rawText;
  const document: SourceDocument = {
    path,
    format: 'json',
    text,
    hadBom,
    value: undefined,
    syntaxErrors: [],
    duplicates: [],
    spans: new Map(),
    lines: new LineIndex(text),
  };
  if (text.trim() === '') {
    document.syntaxErrors.push({ message: 'the file is empty; a policy is a JSON object', offset: 0 });
    return document;
  }
  const deep = excessiveNestingOffset(text);
  if (deep >= 0) {
    document.syntaxErrors.push({ message: `nesting deeper than ${MAX_NESTING} levels`, offset: deep });
    return document;
  }
  let root;
  try {
    root = parseMomoa(text, { mode: 'json', ranges: true });
  } catch (error) {
    document.syntaxErrors.push(describeSyntaxError(text, error as Error & { offset?: number }));
    return document;
  }
  document.value = build(root.body, [], document.spans, document.duplicates);
  return document;
}

function build(node: ValueNode, path: (string | number)[], spans: Map<string, NodeSpan>, duplicates: DuplicateKey[], key?: [number, number]): unknown {
  const pointer = toPointer(path);
  spans.set(pointer, key ? { key, value: node.range! } : { value: node.range! });
  switch (node.type) {
    case 'Object': {
      const result: Record<string, unknown> = {};
      const seen = new Map<string, [number, number]>();
      for (const member of node.members) {
        const name = member.name.type === 'String' ? member.name.value : member.name.name;
        const nameRange = member.name.range!;
        const earlier = seen.get(name);
        if (earlier) duplicates.push({ pointer: toPointer([...path, name]), key: name, first: earlier, duplicate: nameRange });
        else seen.set(name, nameRange);
        defineMember(result, name, build(member.value, [...path, name], spans, duplicates, nameRange));
      }
      return result;
    }
    case 'Array':
      return node.elements.map((element, index) => build(element.value, [...path, index], spans, duplicates));
    case 'String':
    case 'Number':
    case 'Boolean':
      return node.value;
    case 'Null':
      return null;
    default:
      return undefined;
  }
}

const TOKEN_TEXT: Record<string, string> = { LBrace: '"{"', RBrace: '"}"', LBracket: '"["', RBracket: '"]"', Colon: '":"', Comma: '","' };

/** momoa's message in the user's terms: tokens as characters, trailing commas named, end of input at the end. */
function describeSyntaxError(text: string, error: Error & { offset?: number }): { message: string; offset: number } {
  let message = error.message.replace(/\s*\(\d+:\d+\)\s*$/, '').replace(/\.$/, '');
  let offset = typeof error.offset === 'number' ? error.offset : 0;
  if (/end of input/i.test(message)) return { message: 'invalid JSON: the text ends before the JSON is complete (a missing "}" or "]"?)', offset: text.trimEnd().length };
  const token = /^Unexpected token (\w+) found$/.exec(message)?.[1];
  if (token) {
    const before = text.slice(0, offset).trimEnd();
    if ((token === 'RBrace' || token === 'RBracket') && before.endsWith(',')) {
      return { message: `invalid JSON: trailing comma before ${TOKEN_TEXT[token]} (JSON allows none)`, offset: before.length - 1 };
    }
    message = `Unexpected ${TOKEN_TEXT[token] ?? token.toLowerCase()}`;
    if (token === 'String' && /[}\]"\d]$|true$|false$|null$/.test(before)) message += ' (a missing comma before it?)';
  }
  offset = Math.min(offset, text.length);
  message = message.replace(/ found$/, '');
  return { message: `invalid JSON: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, offset };
}
