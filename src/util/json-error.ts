import { parse } from '@humanwhocodes/momoa';

const TOKEN_TEXT: Record<string, string> = {
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
 * momoa's (ESLint's JSON parser's) error in the user's terms: tokens as characters, a trailing comma
 * named as one, a missing comma guessed, the end of input at the end of the text. The one wording
 * of JSON syntax errors for every file the tool reads; the message starts in lower case.
 */
export function describeMomoaError(text: string, error: Error & { offset?: number }): { message: string; offset: number } {
  let message = error.message.replace(/\s*\(\d+:\d+\)\s*$/, '').replace(/\.$/, '');
  let offset = typeof error.offset === 'number' ? error.offset : 0;
  if (/end of input/i.test(message)) return { message: 'the text ends before the JSON is complete (a missing "}" or "]"?)', offset: text.trimEnd().length };
  const token = /^Unexpected token (\w+) found$/.exec(message)?.[1];
  if (token) {
    const before = text.slice(0, offset).trimEnd();
    if ((token === 'RBrace' || token === 'RBracket') && before.endsWith(',')) {
      return { message: `trailing comma before ${TOKEN_TEXT[token]} (JSON allows none)`, offset: before.length - 1 };
    }
    message = `Unexpected ${TOKEN_TEXT[token] ?? token.toLowerCase()}`;
    if (token === 'String' && /[}\]"\d]$|true$|false$|null$/.test(before)) message += ' (a missing comma before it?)';
  }
  offset = Math.min(offset, text.length);
  message = message.replace(/ found$/, '');
  return { message: `${message.charAt(0).toLowerCase()}${message.slice(1)}`, offset };
}

/**
 * Where and why `text` is not JSON, for one-line errors with a position. Node's JSON.parse does not
 * say where; momoa does. Call it only after JSON.parse failed: it is slower.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    parse(text, { mode: 'json' });
    return undefined;
  } catch (error) {
    const { message, offset } = describeMomoaError(text, error as Error & { offset?: number });
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\r|\n/).length;
    const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) ;
    return { message, line, column };
  }
}
