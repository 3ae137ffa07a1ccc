import { escapePointerSegment } from './pointer.js';
import type { DuplicateKey, NodeSpan } from './source.js';

/**
 * Records every duplicate key and (when `spans` is given) the text span of every node of a JSON text
 * that JSON.parse has already accepted. Validation is JSON.parse's job, so this is a plain structural
 * scan: on a 5,000-tool policy it is ~20x faster than building momoa's AST, which the parser keeps
 * for the positions and messages of syntax errors. Without `spans` it builds no pointer strings and
 * allocates little, because a clean policy needs neither. Nesting is bounded (depth.ts) before this runs.
 */
export function scanJsonSpans(text: string, spans: Map<string, NodeSpan> | undefined, duplicates: DuplicateKey[]): void {
  let i = 0;
  /** Escaped pointer segments of the node being scanned, for the pointer of a duplicate. */
  const segments: string[] = [];
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  /**
   * From an opening quote to just past the closing one: a quote after an even run of backslashes.
   * indexOf jumps from quote to quote natively. A policy is mostly strings, and a one-shot command
   * scans it once, before the JIT has compiled anything: a loop over every character cost ~10 ms on
   * an 8 KiB policy (lint of the strict Python guard's policy), indexOf well under one.
   */
  const skipString = (): void => {
    let quote = i;
    for (;;) {
      quote = text.indexOf('"', quote + 1);
      if (quote < 0) {
        i = text.length; // unreachable: JSON.parse accepted the text
        return;
      }
      let backslashes = 0;
      for (let b = quote - 1; text.charCodeAt(b) === 92; b--) backslashes++;
      if ((backslashes & 1) === 0) break;
    }
    i = quote + 1;
  };
  const pointerOf = (last: string) => `/${[...segments, last].join('/')}`;
  const value = (pointer: string | undefined, keyStart: number, keyEnd: number): void => {
    skipSpace();
    const start = i;
    const c = text.charCodeAt(i);
    if (c === 123) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === 125) i++;
      else {
        const seen = new KeySet();
        for (;;) {
          skipSpace();
          const nameStart = i;
          skipString();
          const nameEnd = i;
          const raw = text.slice(nameStart + 1, nameEnd - 1);
          const name = raw.includes('\\') ? (JSON.parse(text.slice(nameStart, nameEnd)) as string) : raw;
          const segment = /[~/]/.test(name) ? escapePointerSegment(name) : name;
          const first = seen.find(name);
          if (first >= 0) duplicates.push({ pointer: pointerOf(segment), key: name, first: [first, seen.endAt(first)], duplicate: [nameStart, nameEnd] });
          else seen.add(name, nameStart, nameEnd);
          skipSpace();
          i++; // ':'
          segments.push(segment);
          value(pointer === undefined ? undefined : `${pointer}/${segment}`, nameStart, nameEnd);
          segments.pop();
          skipSpace();
          if (text.charCodeAt(i++) === 125) break; // '}', else ','
        }
      }
    } else if (c === 91) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === 93) i++;
      else {
        for (let index = 0; ; index++) {
          segments.push(String(index));
          value(pointer === undefined ? undefined : `${pointer}/${index}`, -1, -1);
          segments.pop();
          skipSpace();
          if (text.charCodeAt(i++) === 93) break; // ']', else ','
        }
      }
    } else if (c === 34) {
      skipString();
    } else {
      // A number, true, false or null: up to the next delimiter.
      for (let d = text.charCodeAt(i); i < text.length && d !== 44 && d !== 93 && d !== 125 && d !== 32 && d !== 10 && d !== 13 && d !== 9; d = text.charCodeAt(++i));
    }
    if (spans && pointer !== undefined) spans.set(pointer, keyStart >= 0 ? { key: [keyStart, keyEnd], value: [start, i] } : { value: [start, i] });
  };
  value(spans ? '' : undefined, -1, -1);
}

/** The keys seen in one object. Most objects have a handful, where a list beats hashing; `tools` can have thousands. */
class KeySet {
  private names: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private index: Map<string, number> | undefined;

  /** The position of the key's first occurrence in this object, or -1. */
  find(name: string): number {
    const at = this.index ? (this.index.get(name) ?? -1) : this.names.indexOf(name);
    return at < 0 ? -1 : this.starts[at]!;
  }

  endAt(start: number): number {
    return this.ends[this.starts.indexOf(start)]!;
  }

  add(name: string, start: number, end: number): void {
    this.index?.set(name, this.names.length);
    this.names.push(name);
    this.starts.push(start);
    this.ends.push(end);
    if (!this.index && this.names.length > 16) this.index = new Map(this.names.map((n, i) => [n, i]));
  }
}
