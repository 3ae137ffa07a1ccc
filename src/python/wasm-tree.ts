/**
 * Reads tree-sitter's syntax tree straight out of WebAssembly memory, in JavaScript, instead of
 * asking for each node through a TreeCursor.
 *
 * Why hand-written: a cursor walk crosses into WebAssembly six times a node (move, type, field,
 * start, end, and web-tree-sitter marshals the cursor through a transfer buffer on every call),
 * which cost more CPU than tree-sitter's own parse (docs/dev/python-parsers.md: 2.8 ms against
 * 2.4 ms for 10 KiB). Reading the parser's own structures is ~10× cheaper. It mirrors, line for
 * line, how tree-sitter's cursor (lib/src/tree_cursor.c of the pinned web-tree-sitter) walks
 * them: hidden nodes are transparent, aliases rename and reveal, fields come from the parent
 * production's field map (through hidden parents), positions are summed from paddings and sizes.
 *
 * The layout is that of the tree-sitter runtime compiled into web-tree-sitter.wasm (32-bit; its C
 * sources are in web-tree-sitter.wasm.map) and of an ABI 15 language. The language struct is
 * checked when the parser loads (readLanguageTables: ABI, counts, every symbol and field name
 * through the struct's own pointers); every tree read is checked at its root against
 * web-tree-sitter's API (rootAgrees, called by parser.ts), and a wrong layout can only throw
 * LayoutMismatch, never loop. On any difference the parser keeps the cursor walk.
 * test/python/wasm-tree.test.ts compares the two copies node for node on real, broken and hostile
 * code, so an upgrade that changes the layout fails the tests.
 */
import { lineStarts, PYTHON2_ONLY, type SyntaxNode } from './syntax-tree.js';

/** The parts of web-tree-sitter's Emscripten module this reader uses: its memory. */
export interface WasmHeap {
  HEAPU8: Uint8Array;
}

/** The grammar's tables as JavaScript arrays, read from the language struct once. */
export interface LanguageTables {
  types: ReadonlyArray<string | null | undefined>;
  fields: ReadonlyArray<string | null>;
  named(typeId: number): boolean;
  /** public_symbol_map: several internal symbols share one public type. */
  publicSymbol: Uint16Array;
  /** alias_sequences, production_id × max_alias_sequence_length; production 0 has none. */
  aliasSequences: Uint16Array;
  maxAliasSequenceLength: number;
  /** The field id of each (production id, structural child index), 0 for none: the first non-inherited entry, as the cursor takes it. */
  fieldByChild: Uint16Array;
  fieldStride: number;
}

const ERROR_SYMBOL = 0xffff;

// struct TSLanguage (ABI 15), 32-bit: byte offsets of the members read here.
const LANGUAGE = {
  abiVersion: 0,
  symbolCount: 4,
  aliasCount: 8,
  productionIdCount: 28,
  fieldCount: 32,
  maxAliasSequenceLength: 36,
  symbolNames: 56,
  fieldNames: 60,
  fieldMapSlices: 64,
  fieldMapEntries: 68,
  publicSymbolMap: 76,
  aliasSequences: 84,
} as const;

/** SubtreeHeapData, 32-bit: byte offsets (a parameter only so the tests can break it). */
export const SUBTREE_LAYOUT = {
  paddingBytes: 4,
  sizeBytes: 16,
  childCount: 36,
  symbol: 40,
  flags: 44, // visible:1 named:1 extra:1 fragile_left:1 fragile_right:1 has_changes:1 has_external_tokens:1 has_external_scanner_state_change:1 depends_on_column:1 is_missing:1 …
  visibleChildCount: 48,
  productionId: 66,
};
export type SubtreeLayout = typeof SUBTREE_LAYOUT;
const SUBTREE_SIZE = 8; // sizeof(Subtree): the inline form is 8 bytes, a pointer 4

/** Reads the language's tables, or says why the memory does not look like an ABI 15 language as web-tree-sitter describes it. */
export function readLanguageTables(
  heap: WasmHeap,
  address: number,
  expected: { abiVersion: number; nodeTypeCount: number; types: ReadonlyArray<string | null | undefined>; fields: ReadonlyArray<string | null>; named(typeId: number): boolean },
): LanguageTables | string {
  const bytes = heap.HEAPU8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const u16 = (at: number) => view.getUint16(at, true);
  const cString = (at: number) => {
    let end = at;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(at, end));
  };
  if (address <= 0 || address + 128 > bytes.length) return 'the language address is outside memory';
  const abi = u32(address + LANGUAGE.abiVersion);
  if (abi !== 15 || abi !== expected.abiVersion) return `ABI ${abi}, the reader knows 15`;
  const symbolCount = u32(address + LANGUAGE.symbolCount);
  const aliasCount = u32(address + LANGUAGE.aliasCount);
  if (symbolCount + aliasCount !== expected.nodeTypeCount) return 'the symbol count differs';
  const fieldCount = u32(address + LANGUAGE.fieldCount);
  if (fieldCount !== expected.fields.length - 1) return 'the field count differs';
  const productionIdCount = u32(address + LANGUAGE.productionIdCount);
  const maxAliasSequenceLength = u16(address + LANGUAGE.maxAliasSequenceLength);
  if (productionIdCount === 0 || productionIdCount > 65536 || maxAliasSequenceLength > 256) return 'implausible production tables';
  // Names, by the pointers the struct holds: a shifted layout would not find them.
  const symbolNames = u32(address + LANGUAGE.symbolNames);
  for (let id = 1; id < symbolCount + aliasCount; id++) {
    const name = cString(u32(symbolNames + 4 * id));
    if (expected.types[id] !== undefined && expected.types[id] !== null && name !== expected.types[id]) return `symbol ${id} is ${name}, expected ${expected.types[id]}`;
  }
  const fieldNames = u32(address + LANGUAGE.fieldNames);
  for (let id = 1; id <= fieldCount; id++) {
    if (cString(u32(fieldNames + 4 * id)) !== expected.fields[id]) return `field ${id} differs`;
  }
  const publicSymbolMapAt = u32(address + LANGUAGE.publicSymbolMap);
  const publicSymbol = new Uint16Array(symbolCount + aliasCount);
  for (let s = 0; s < publicSymbol.length; s++) publicSymbol[s] = s < symbolCount ? u16(publicSymbolMapAt + 2 * s) : s;
  const aliasSequencesAt = u32(address + LANGUAGE.aliasSequences);
  const aliasSequences = new Uint16Array(productionIdCount * maxAliasSequenceLength);
  for (let i = 0; i < aliasSequences.length; i++) {
    aliasSequences[i] = u16(aliasSequencesAt + 2 * i);
    if (aliasSequences[i]! >= symbolCount + aliasCount) return 'an alias names no symbol';
  }
  // TSMapSlice { uint16 index, length }, TSFieldMapEntry { uint16 field_id, uint8 child_index, bool inherited }.
  const slicesAt = u32(address + LANGUAGE.fieldMapSlices);
  const entriesAt = u32(address + LANGUAGE.fieldMapEntries);
  const fieldStride = 256;
  const fieldByChild = new Uint16Array(productionIdCount * fieldStride);
  for (let production = 0; production < productionIdCount && fieldCount > 0; production++) {
    const index = u16(slicesAt + 4 * production);
    const length = u16(slicesAt + 4 * production + 2);
    for (let e = index; e < index + length; e++) {
      const fieldId = u16(entriesAt + 4 * e);
      const childIndex = bytes[entriesAt + 4 * e + 2]!;
      const inherited = bytes[entriesAt + 4 * e + 3]!;
      if (fieldId === 0 || fieldId > fieldCount) return 'a field map entry names no field';
      // The cursor takes the first non-inherited entry for a child index.
      if (!inherited && fieldByChild[production * fieldStride + childIndex] === 0) fieldByChild[production * fieldStride + childIndex] = fieldId;
    }
  }
  return { types: expected.types, fields: expected.fields, named: expected.named, publicSymbol, aliasSequences, maxAliasSequenceLength, fieldByChild, fieldStride };
}

/** One node whose children are being listed: a visible node, or a hidden one whose children count as its visible parent's. */
interface Frame {
  /** Address of the SubtreeHeapData whose children are listed. */
  heap: number;
  childCount: number;
  childIndex: number;
  structuralIndex: number;
  /** Byte offset (UTF-16 LE: twice the UTF-16 index) where the next child starts, padding excluded. */
  position: number;
  /** Offset of this production's alias sequence, or -1. */
  aliases: number;
  production: number;
  /** The visible node the children belong to. */
  node: SyntaxNode;
  /** For a hidden node: the frame it was found in, its structural index there, and whether it is extra (fields are looked up through it). */
  hidden: Frame | undefined;
  hiddenStructuralIndex: number;
  hiddenExtra: boolean;
}

/**
 * Copies the tree at `treeAddress` (a TSTree, whose root Subtree is its first member) into the
 * same plain syntax tree copyTree builds from a cursor: identical nodes, fields and positions.
 */
export function readTree(
  heap: WasmHeap,
  tables: LanguageTables,
  treeAddress: number,
  source: string,
  withMissing: boolean,
  layout: SubtreeLayout = SUBTREE_LAYOUT,
  /** Filled in: how many nodes the tree has (for rootAgrees). */
  stats: { nodes: number } = { nodes: 0 },
): SyntaxNode {
  const { paddingBytes: HEAP_PADDING_BYTES, sizeBytes: HEAP_SIZE_BYTES, childCount: HEAP_CHILD_COUNT, symbol: HEAP_SYMBOL, flags: HEAP_FLAGS, visibleChildCount: HEAP_VISIBLE_CHILD_COUNT, productionId: HEAP_PRODUCTION_ID } = layout;
  const u8 = heap.HEAPU8;
  const buffer = u8.buffer;
  const u16 = new Uint16Array(buffer);
  const u32 = new Uint32Array(buffer);
  const lines = lineStarts(source);
  let line = 0;
  let python2 = false;
  const kinds: Array<{ type: string; named: boolean; bare: SyntaxNode | undefined } | undefined> = [];

  const kindOf = (typeId: number) => {
    let kind = kinds[typeId];
    if (!kind) {
      const type = tables.types[typeId] ?? 'ERROR';
      const named = type === 'ERROR' || tables.named(typeId);
      // Punctuation and keywords (anonymous nodes) are shared and unlocated while the tree is clean, as copyTree strips them.
      const bare = withMissing || named || KEPT_ANONYMOUS.has(type) ? undefined : unlocated(type);
      kind = { type, named, bare };
      kinds[typeId] = kind;
      if (PYTHON2_ONLY.has(type)) python2 = true;
    }
    return kind;
  };

  const located = (type: string, named: boolean, field: string | null, missing: boolean, startByte: number, endByte: number): SyntaxNode => {
    const start = startByte >>> 1;
    if (start < lines[line]!) line = 0;
    while (line + 1 < lines.length && lines[line + 1]! <= start) line++;
    return { type, field, named, missing, start, end: endByte >>> 1, line: line + 1, column: start - lines[line]! + 1, children: [] };
  };

  // The root: a visible node at its padding, never aliased.
  const rootSlot = treeAddress;
  const rootInline = (u8[rootSlot]! & 1) === 1;
  const rootHeap = rootInline ? 0 : u32[rootSlot >>> 2]!;
  const rootSymbol = rootInline ? u8[rootSlot + 1]! : u16[(rootHeap + HEAP_SYMBOL) >>> 1]!;
  const rootPadding = rootInline ? u8[rootSlot + 6]! : u32[(rootHeap + HEAP_PADDING_BYTES) >>> 2]!;
  const rootSize = rootInline ? u8[rootSlot + 7]! : u32[(rootHeap + HEAP_SIZE_BYTES) >>> 2]!;
  const rootKind = kindOf(rootSymbol === ERROR_SYMBOL ? ERROR_SYMBOL : tables.publicSymbol[rootSymbol]!);
  const rootMissing = rootInline ? (u8[rootSlot]! & 0x20) !== 0 : (u16[(rootHeap + HEAP_FLAGS) >>> 1]! & 0x200) !== 0;
  const root = located(rootKind.type, rootKind.named, null, withMissing && rootMissing, rootPadding, rootPadding + rootSize);
  const rootChildren = rootInline ? 0 : u32[(rootHeap + HEAP_CHILD_COUNT) >>> 2]!;

  // Frames are reused from one node to the next (a pool as deep as the tree): no allocation per node.
  const frames: Frame[] = [];
  let depth = 0;
  // A layout that is not the runtime's reads garbage: bound the work and the counts, and fail rather than loop (the caller falls back to the cursor).
  let budget = 64 * (source.length + 16);
  const count = (value: number | undefined) => {
    if (value === undefined || value > 0xffffff) throw new LayoutMismatch();
    return value;
  };
  const open = (heapAddress: number, position: number, node: SyntaxNode, hidden: Frame | undefined, hiddenStructuralIndex: number, hiddenExtra: boolean) => {
    const production = u16[(heapAddress + HEAP_PRODUCTION_ID) >>> 1]!;
    let frame = frames[depth];
    if (!frame) frames.push((frame = {} as Frame));
    depth++;
    frame.heap = heapAddress;
    frame.childCount = count(u32[(heapAddress + HEAP_CHILD_COUNT) >>> 2]);
    frame.childIndex = 0;
    frame.structuralIndex = 0;
    frame.position = position;
    frame.aliases = production === 0 ? -1 : production * tables.maxAliasSequenceLength;
    frame.production = production;
    frame.node = node;
    frame.hidden = hidden;
    frame.hiddenStructuralIndex = hiddenStructuralIndex;
    frame.hiddenExtra = hiddenExtra;
  };
  if (rootChildren > 0) open(rootHeap, rootPadding, root, undefined, 0, false);

  while (depth > 0) {
    const frame = frames[depth - 1]!;
    if (--budget < 0) throw new LayoutMismatch();
    if (frame.childIndex === frame.childCount) {
      depth--;
      continue;
    }
    // ts_tree_cursor_child_iterator_next
    const children = frame.heap - frame.childCount * SUBTREE_SIZE;
    const slot = children + frame.childIndex * SUBTREE_SIZE;
    const inline = (u8[slot]! & 1) === 1;
    const heapAddress = inline ? 0 : u32[slot >>> 2]!;
    let symbol: number, visible: boolean, extra: boolean, missing: boolean, size: number, childCount: number;
    if (inline) {
      const bits = u8[slot]!;
      symbol = u8[slot + 1]!;
      visible = (bits & 2) !== 0;
      extra = (bits & 8) !== 0;
      missing = (bits & 0x20) !== 0;
      size = u8[slot + 7]!;
      childCount = 0;
    } else {
      const flags = u16[(heapAddress + HEAP_FLAGS) >>> 1]!;
      symbol = u16[(heapAddress + HEAP_SYMBOL) >>> 1]!;
      visible = (flags & 1) !== 0;
      extra = (flags & 4) !== 0;
      missing = (flags & 0x200) !== 0;
      size = u32[(heapAddress + HEAP_SIZE_BYTES) >>> 2]!;
      childCount = count(u32[(heapAddress + HEAP_CHILD_COUNT) >>> 2]);
    }
    const position = frame.position;
    const structuralIndex = frame.structuralIndex;
    let alias = 0;
    if (!extra) {
      if (frame.aliases >= 0) alias = tables.aliasSequences[frame.aliases + structuralIndex]!;
      frame.structuralIndex++;
    }
    if (alias !== 0) visible = true;
    frame.position += size;
    frame.childIndex++;
    if (frame.childIndex < frame.childCount) {
      const next = children + frame.childIndex * SUBTREE_SIZE;
      frame.position += (u8[next]! & 1) === 1 ? u8[next + 6]! : u32[(u32[next >>> 2]! + HEAP_PADDING_BYTES) >>> 2]!;
    }

    if (!visible) {
      // A hidden node with visible descendants: its children are listed as its parent's (ts_tree_cursor_goto_first_child_internal).
      if (childCount > 0 && u32[(heapAddress + HEAP_VISIBLE_CHILD_COUNT) >>> 2]! > 0) open(heapAddress, position, frame.node, frame, structuralIndex, extra);
      continue;
    }

    const symbolForType = alias !== 0 ? alias : symbol;
    const kind = kindOf(symbolForType === ERROR_SYMBOL ? ERROR_SYMBOL : tables.publicSymbol[symbolForType]!);
    let node: SyntaxNode;
    if (kind.bare !== undefined) {
      node = childCount === 0 ? kind.bare : unlocated(kind.type);
    } else {
      node = located(kind.type, kind.named, fieldOf(tables, frame, structuralIndex, extra), withMissing && missing, position, position + size);
    }
    frame.node.children.push(node);
    stats.nodes++;
    if (childCount > 0) open(heapAddress, position, node, undefined, 0, false);
  }
  // As in copyTree: the parser's own error flag, or Python 2 syntax (which tree-sitter-python accepts).
  root.hasError = withMissing || python2;
  stats.nodes++;
  return root;
}

/** ts_tree_cursor_current_field_id: the parent production's field for this child, else through each hidden parent up to a visible one. */
function fieldOf(tables: LanguageTables, frame: Frame, structuralIndex: number, extra: boolean): string | null {
  let current: Frame | undefined = frame;
  let index = structuralIndex;
  let isExtra = extra;
  while (current) {
    if (isExtra) return null;
    const id = tables.fieldByChild[current.production * tables.fieldStride + index]!;
    if (id !== 0) return tables.fields[id] ?? null;
    index = current.hiddenStructuralIndex;
    isExtra = current.hiddenExtra;
    current = current.hidden;
  }
  return null;
}

/** Anonymous nodes copied in full: the operators whose text or field the analyser reads (as in copyTree). */
const KEPT_ANONYMOUS = new Set(['/']);

function unlocated(type: string): SyntaxNode {
  // Not frozen: every node keeps one object shape, so the analyser's property reads stay monomorphic. Nothing writes to a tree once read.
  return { type, field: null, named: false, missing: false, start: -1, end: -1, line: 0, column: 0, children: [] };
}

/** readTree met counts or work that no tree of this source can have: its layout is not the runtime's. */
export class LayoutMismatch extends Error {
  constructor() {
    super('the tree in WebAssembly memory does not have the layout readTree knows');
  }
}

/** What web-tree-sitter's own API says of the root (a few calls into WebAssembly), to check each tree read from memory against. */
export interface RootFacts {
  startIndex: number;
  endIndex: number;
  childCount: number;
  type: string;
  /** The root and all its visible descendants. */
  descendantCount: number;
  /** Where the root's last child starts (after every padding before it), or -1 without children. */
  lastChildStart: number;
}

/**
 * Whether a tree read from memory agrees with web-tree-sitter: the root's span, type and visible
 * children, the number of visible nodes in the whole tree, and where the last child starts (the sum
 * of every size and padding before it). Checked on every parse (a few calls into WebAssembly): a
 * runtime whose subtree layout is not the one readTree knows fails it, and the parser goes back to
 * the cursor walk for good. The language's tables are checked by name when the parser loads.
 */
export function rootAgrees(root: SyntaxNode, nodes: number, facts: RootFacts): boolean {
  const last = root.children.at(-1);
  return (
    root.start === facts.startIndex &&
    root.end === facts.endIndex &&
    root.children.length === facts.childCount &&
    root.type === facts.type &&
    nodes === facts.descendantCount &&
    (last === undefined ? facts.lastChildStart === -1 : last.start === -1 || last.start === facts.lastChildStart)
  );
}
