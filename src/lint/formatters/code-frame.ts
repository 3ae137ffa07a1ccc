import type { SourceRange } from '../../policy/positions.js';

/** Longest source line shown whole; longer lines (minified JSON) are cut around the position. */
const MAX_LINE = 120;
const CONTEXT_BEFORE = 40;

export interface FrameLines {
  /** The source line, cut to fit, tabs kept. */
  text: string;
  /** Spaces (and the line's own tabs, so terminals align) up to the position, then the underline. */
  marker: string;
}

/**
 * One source line with an underline beneath the range: from the start column to the end column, or
 * to the end of the line when the range continues below; a single caret for an empty range.
 */
export function codeFrame(lineText: string, range: SourceRange): FrameLines {
  let text = lineText;
  let start = Math.min(range.start.column - 1, text.length);
  let end = range.end.line === range.start.line ? Math.min(range.end.column - 1, text.length) : text.length;
  if (end <= start) end = start + 1;
  if (text.length > MAX_LINE) {
    const from = Math.max(0, start - CONTEXT_BEFORE);
    const to = Math.min(text.length, from + MAX_LINE);
    const head = from > 0 ? '…' : '';
    text = `${head}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
    start = start - from + head.length;
    end = Math.min(end - from + head.length, text.length);
    if (end <= start) end = start + 1;
  }
  let pad = '';
  for (let i = 0; i < start; i++) pad += text[i] === '\t' ? '\t' : ' ';
  return { text, marker: `${pad}${'^'.repeat(end - start)}` };
}
