import { parse as parseMomoa } from '@humanwhocodes/momoa';
import { describeMomoaError } from '../util/json-error.js';
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

/** momoa's explanation (util/json-error.ts), as the policy's syntax error. */
function describeSyntaxError(text: string, error: Error & { offset?: number }): { message: string; offset: number } {
  const { message, offset } = describeMomoaError(text, error);
  return { message: `invalid JSON: ${message}`, offset };
}
