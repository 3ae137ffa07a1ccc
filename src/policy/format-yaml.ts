import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { canonicalKeyOrder } from './format-json.js';

/**
 * The canonical YAML text of a policy: keys in the schema's order, two-space indentation, comments,
 * anchors and scalar styles (quotes, flow collections) kept. A comment above the first key stays at
 * the top of the file. The text must already parse.
 */
export function formatYamlText(text: string): string {
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false, strict: true, keepSourceTokens: false });
  const root = doc.contents;
  let leading: string | undefined;
  if (isMap(root) && root.items.length > 0) {
    const firstKey = root.items[0]!.key as YamlNode | null;
    if (firstKey && 'commentBefore' in firstKey && firstKey.commentBefore) {
      leading = firstKey.commentBefore;
      firstKey.commentBefore = undefined;
    }
  }
  reorder(root as YamlNode | null, []);
  if (leading !== undefined && isMap(root) && root.items.length > 0) {
    const firstKey = root.items[0]!.key as YamlNode;
    firstKey.commentBefore = firstKey.commentBefore ? `${leading}\n${firstKey.commentBefore}` : leading;
  }
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
}

function reorder(node: YamlNode | null, path: (string | number)[]): void {
  if (isMap(node)) {
    const keyName = (pair: (typeof node.items)[number]) => (isScalar(pair.key) ? String(pair.key.value) : '');
    node.items = canonicalKeyOrder(path, node.items, keyName);
    for (const pair of node.items) reorder(pair.value as YamlNode | null, [...path, keyName(pair)]);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => reorder(item as YamlNode | null, [...path, i]));
  }
}
