import { parse } from '@humanwhocodes/momoa';

const TOKEN_NAMES: Record<string, string> = {
  LBrace: '"{"',
  RBrace: '"}"',
  LBracket: '"["',
  RBracket: '"]"',
  Colon: '":"',
  Comma: '","',
  String: 'a string',
  Number: 'a number',
  Boolean: 'true/false',
  Null: 'null',
};

export interface JsonSyntaxError {
  message: string;
  /** 1-based line and column (UTF-16 units) in the text. */
  line: number;
  column: number;
}

/**
 * Where and why `text` is not JSON, for one-line errors with a position. Node's JSON.parse does not
 * say where; momoa (the parser lint uses) does. Call it only after JSON.parse failed: it is slower.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    parse(text, { mode: 'json' });
    return undefined;
  } catch (error) {
    const e = error as Error & { line?: number; column?: number };
    const message = e.message
      .replace(/\s*\(\d+:\d+\)\s*$/, '')
      .replace(/\.$/, '')
      .replace(/Unexpected token (\w+) found/, (_, token: string) => `unexpected ${TOKEN_NAMES[token] ?? token}`)
      .replace(/ found$/, '')
      .replace(/^Unexpected/, 'unexpected');
    return { message, line: e.line ?? 1, column: e.column ?? 1 };
  }
}
