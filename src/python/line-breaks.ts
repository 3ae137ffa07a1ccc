/**
 * Line breaks as CPython reads them. Its tokenizer turns \r\n and a lone \r into \n before anything
 * else (exec of a str or of bytes alike); tree-sitter's grammar reads a lone \r as part of a comment,
 * so `# note\rimport os` hid an import from the guard. The guard parses the text this returns. Line
 * and column numbers are unchanged: each break stays one break, and a \r\n loses its \r at the end
 * of its line.
 */
export function withCPythonLineBreaks(source: string): string {
  return source.includes('\r') ? source.replace(CR_BREAKS, '\n') : source;
}

const CR_BREAKS = /\r\n?/g;
