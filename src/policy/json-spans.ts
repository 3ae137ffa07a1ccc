import { escapePointerSegment } from './pointer.js';
import type { DuplicateKey, NodeSpan } from './source.js';

/**
 * Records every duplicate key and (when `spans` is given) the text span of every node of a JSON text
 * that JSON.parse has already accepted. Validation is JSON.parse's job, so this is a plain structural scan: on a
 * 5,000-tool policy it is ~20x faster than building momoa's AST, which the parser keeps for the
 * positions and messages of syntax errors. Nesting is bounded (depth.ts) before this runs.
 */
export function scanJsonSpans(text: string, spans: Map<string, NodeSpan> | undefined, duplicates: DuplicateKey[]): void {
  let i = 0;
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  /** From an opening quote to just past the closing one. */
  const skipString = (): boolean => {
    let escaped = false;
    for (i++; ; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i++;
      }
    }
    i++;
    return escaped;
  };
  const value = (pointer: string, key: [number, number] | undefined): void => {
    skipSpace();
    const start = i;
    const c = text.charCodeAt(i);
    if (c === 123) {
      i++;
      skipSpace();
      const seen = new KeySet();
      if (text.charCodeAt(i) === 125) i++;
      else {
        for (;;) {
          skipSpace();
          const keyStart = i;
          const escaped = skipString();
          const keyRange: [number, number] = [keyStart, i];
          const name = escaped ? (JSON.parse(text.slice(keyStart, i)) as string) : text.slice(keyStart + 1, i - 1);
          const child = `${pointer}/${/[~/]/.test(name) ? escapePointerSegment(name) : name}`;
          const earlier = seen.get(name);
          if (earlier) duplicates.push({ pointer: child, key: name, first: earlier, duplicate: keyRange });
          else seen.set(name, keyRange);
          skipSpace();
          i++; // ':'
          value(child, keyRange);
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
          value(`${pointer}/${index}`, undefined);
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
    spans?.set(pointer, key ? { key, value: [start, i] } : { value: [start, i] });
  };
  value('', undefined);
}

/** The keys seen in one object. Most objects have a handful, where a list beats hashing; `tools` can have thousands. */
class KeySet {
  private names: string[] = [];
  private ranges: Array<[number, number]> = [];
  private map: Map<string, [number, number]> | undefined;

  get(name: string): [number, number] | undefined {
    if (this.map) return this.map.get(name);
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.ranges[i];
  }

  set(name: string, range: [number, number]): void {
    if (this.map) {
      this.map.set(name, range);
      return;
    }
    this.names.push(name);
    this.ranges.push(range);
    if (this.names.length > 16) this.map = new Map(this.names.map((n, i) => [n, this.ranges[i]!]));
  }
}
