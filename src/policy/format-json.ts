import { parse as parseMomoa, type ValueNode } from '@humanwhocodes/momoa';
import { KNOWN_KEYS } from './schema.js';
import { objectKindAt } from './object-kind.js';

/** Keys in the schema's order for the object's kind; keys the language does not know follow, in their own order. */
export function canonicalKeyOrder<T>(path: readonly (string | number)[], keys: readonly T[], name: (key: T) => string): T[] {
  const kind = objectKindAt(path);
  if (!kind) return [...keys];
  const order: readonly string[] = KNOWN_KEYS[kind];
  const rank = (key: T) => {
    const i = order.indexOf(name(key));
    return i < 0 ? order.length : i;
  };
  return keys.map((key, i) => ({ key, i })).sort((a, b) => rank(a.key) - rank(b.key) || a.i - b.i).map(({ key }) => key);
}

/**
 * The canonical JSON text of a policy: keys in the schema's order (tool names and list items keep
 * theirs), two-space indentation, one item per line, a final newline. Numbers keep their source text,
 * so no value changes (JSON.stringify would round 12345678901234567890). The text must already parse.
 */
export function formatJsonText(text: string, newline: string): string {
  const root = parseMomoa(text, { mode: 'json', ranges: true });
  const print = (node: ValueNode, path: (string | number)[], indent: string): string => {
    const inner = `${indent}  `;
    switch (node.type) {
      case 'Object': {
        if (node.members.length === 0) return '{}';
        const name = (member: (typeof node.members)[number]) => (member.name.type === 'String' ? member.name.value : member.name.name);
        const members = canonicalKeyOrder(path, node.members, name).map(
          (member) => `${inner}${JSON.stringify(name(member))}: ${print(member.value, [...path, name(member)], inner)}`,
        );
        return `{${newline}${members.join(`,${newline}`)}${newline}${indent}}`;
      }
      case 'Array':
        if (node.elements.length === 0) return '[]';
        return `[${newline}${node.elements.map((element, i) => `${inner}${print(element.value, [...path, i], inner)}`).join(`,${newline}`)}${newline}${indent}]`;
      case 'String':
        return JSON.stringify(node.value);
      case 'Number':
        return text.slice(node.range![0], node.range![1]);
      case 'Boolean':
        return String(node.value);
      case 'Null':
        return 'null';
      default:
        throw new Error(`unexpected JSON node ${node.type}`);
    }
  };
  return `${print(root.body, [], '')}${newline}`;
}
