import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { toPointer } from './pointer.js';
import { beginSource, defineMember, type DuplicateKey, type NodeSpan, type SourceDocument } from './source.js';

/** Aliases expand in place; a cap stops "billion laughs" documents. */
const MAX_ALIAS_EXPANSIONS = 1000;

/** Parses the YAML form of a policy (YAML 1.2 core schema, so `on`/`yes` stay strings) with node ranges. */
export function parseYamlSource(path: string, rawText: string): SourceDocument {
  // Only comments and blank lines is empty too.
  const { document, ready } = beginSource(path, 'yaml', rawText, (text) => /^(\s*(#.*)?(\r\n|\r|\n|$))*$/.test(text));
  if (!ready) return document;
  const { text } = document;
  let parsed: Document.Parsed;
  try {
    parsed = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (error) {
    document.syntaxErrors.push({ message: `invalid YAML: ${(error as Error).message}`, offset: 0 });
    return document;
  }
  if (parsed.errors.length > 0) {
    for (const error of parsed.errors) {
      document.syntaxErrors.push({
        message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        offset: error.pos[0],
        end: error.pos[1],
      });
    }
    return document;
  }
  const state: BuildState = { doc: parsed, expansions: 0, spans: document.spans, duplicates: document.duplicates, error: undefined as string | undefined, errorOffset: 0 };
  document.value = build(parsed.contents as YamlNode | null, [], state, undefined, true);
  if (state.error) {
    document.syntaxErrors.push({ message: state.error, offset: state.errorOffset });
    document.value = undefined;
  }
  return document;
}

interface BuildState {
  doc: Document.Parsed;
  expansions: number;
  spans: Map<string, NodeSpan>;
  duplicates: DuplicateKey[];
  error: string | undefined;
  errorOffset: number;
}

function build(node: YamlNode | null, path: (string | number)[], state: BuildState, key: [number, number] | undefined, record: boolean): unknown {
  if (node === null) return null;
  if (record && node.range) state.spans.set(toPointer(path), key ? { key, value: [node.range[0], node.range[1]] } : { value: [node.range[0], node.range[1]] });
  if (isAlias(node)) {
    if (++state.expansions > MAX_ALIAS_EXPANSIONS) {
      state.error ??= `more than ${MAX_ALIAS_EXPANSIONS} alias expansions`;
      state.errorOffset = node.range?.[0] ?? 0;
      return null;
    }
    // Positions inside an alias point at the anchor's definition, which is where the user would fix it.
    return build(node.resolve(state.doc) as YamlNode | null, path, state, undefined, false);
  }
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'bigint') return Number(value);
    if (value === undefined || value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value ?? null;
    state.error ??= `unsupported YAML value (tag ${node.tag ?? 'unknown'})`;
    state.errorOffset = node.range?.[0] ?? 0;
    return null;
  }
  if (isMap(node)) {
    const result: Record<string, unknown> = {};
    const seen = new Map<string, [number, number]>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const rawKey = isScalar(keyNode) ? keyNode.value : undefined;
      if (!isScalar(keyNode) || (typeof rawKey !== 'string' && typeof rawKey !== 'number' && typeof rawKey !== 'boolean')) {
        state.error ??= 'mapping keys must be plain strings';
        state.errorOffset = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
        continue;
      }
      const name = String(rawKey);
      const keyRange: [number, number] = keyNode.range ? [keyNode.range[0], keyNode.range[1]] : [0, 0];
      const earlier = seen.get(name);
      if (earlier) state.duplicates.push({ pointer: toPointer([...path, name]), key: name, first: earlier, duplicate: keyRange });
      else seen.set(name, keyRange);
      const valueNode = pair.value as YamlNode | null;
      if (record && valueNode === null) state.spans.set(toPointer([...path, name]), { key: keyRange, value: keyRange });
      defineMember(result, name, build(valueNode, [...path, name], state, keyRange, record));
    }
    return result;
  }
  if (isSeq(node)) {
    return node.items.map((item, index) => build(item as YamlNode | null, [...path, index], state, undefined, record));
  }
  return null;
}
