/**
 * Source encoding declarations (PEP 263): `# -*- coding: utf-7 -*-` on the first or second line.
 * The guard reads the code as the text it was sent; a server that runs it as bytes — 3D Slicer's
 * WebServer does, `exec(requestBody)` — lets CPython decode those bytes with the declared codec
 * first. Under `utf-7`, `+AAo-` is a line break; under `unicode_escape`, `\x0a` is: code hidden in
 * what the guard reads as a comment runs. So a declaration of any encoding that could decode the
 * code differently from the text the guard read is reported, wherever the code will run.
 *
 * Matched more widely than CPython does (its tokenizer: Parser/tokenizer.c, get_coding_spec and
 * decode_str), never less: `coding` in any case, both lines whatever the first one holds, any line
 * break (CPython turns \r\n and \r into \n first), more leading whitespace. The property test
 * (test/python/source-encoding.test.ts) checks that against CPython itself.
 */
import type { Position } from './analyse.js';

export interface EncodingDeclaration extends Position {
  /** The codec's name as written. */
  name: string;
}

/** `#`, then anything (a line break other than \r and \n too: CPython's tokenizer splits at those alone), then `coding` `:` or `=`, blanks, and a codec name (CPython's characters). */
const DECLARATION = /^[ \t\f\v]*#[\s\S]*?coding[:=][ \t]*([-\w.]+)/i;

/** What CPython decodes as UTF-8, as the guard reads the text: `utf-8` and `utf-8-…` after its get_normal_name, and the codec alias `utf8`. */
const UTF8 = /^(utf[-_]8([-_].*)?|utf8)$/i;

/** Codecs that decode ASCII bytes to the same characters: harmless on code that is ASCII throughout. */
const ASCII_SAFE = /^(ascii|us[-_]ascii|latin[-_]?1|iso[-_]?8859[-_]1|iso[-_]latin[-_]1|l1|cp1252|windows[-_]1252)$/i;

const NON_ASCII = /[^\x00-\x7f]/;

/** A deliberately wrong variant, for the test that CPython's behaviour catches a broken check. */
export type BrokenEncodingVariant = 'first-line-only';

/**
 * The declaration on the code's first two lines of an encoding that may decode it differently from
 * the text the guard reads, or undefined.
 */
export function foreignEncodingDeclaration(source: string, variant?: BrokenEncodingVariant): EncodingDeclaration | undefined {
  const lines = variant === 'first-line-only' ? 1 : 2;
  let start = 0;
  for (let line = 1; line <= lines && start <= source.length; line++) {
    const breakAt = source.slice(start).search(/\r\n|\r|\n/);
    const end = breakAt < 0 ? source.length : start + breakAt;
    const text = source.slice(start, end);
    const match = DECLARATION.exec(text);
    if (match) {
      const name = match[1]!;
      if (!UTF8.test(name) && !(ASCII_SAFE.test(name) && !NON_ASCII.test(source))) return { name, line, column: text.indexOf('#') + 1 };
    }
    if (breakAt < 0) break;
    start = end + (source.startsWith('\r\n', end) ? 2 : 1);
  }
  return undefined;
}
