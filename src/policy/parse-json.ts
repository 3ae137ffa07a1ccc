import { parse as parseMomoa } from '@humanwhocodes/momoa';
import { scanJsonSpans } from './json-spans.js';
import { beginSource, type NodeSpan, type SourceDocument } from './source.js';

/** Parses JSON keeping the text range of every node and every duplicate key; syntax errors are explained by momoa (ESLint's JSON parser). */
export function parseJsonSource(path: string, rawText: string): SourceDocument {
  const { document, ready } = beginSource(path, 'json', rawText, (text) => text.trim() === '');
  if (!ready) return document;
  const { text } = document;
  let value: unknown;
  try {
    // JSON.parse creates "__proto__" as an own property, like defineMember; the last duplicate wins, as with momoa.
    value = JSON.parse(text);
  } catch {
    // momoa explains what is wrong and where.
    try {
      parseMomoa(text, { mode: 'json', ranges: false });
      document.syntaxErrors.push({ message: 'invalid JSON', offset: 0 });
    } catch (error) {
      document.syntaxErrors.push(describeSyntaxError(text, error as Error & { offset?: number }));
    }
    return document;
  }
  scanJsonSpans(text, undefined, document.duplicates);
  document.value = value;
  // Spans are only needed to place findings; a clean policy never pays for a map of every node.
  let spans: Map<string, NodeSpan> | undefined;
  Object.defineProperty(document, 'spans', {
    enumerable: true,
    get: () => {
      if (!spans) scanJsonSpans(text, (spans = new Map()), []);
      return spans;
    },
  });
  return document;
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
