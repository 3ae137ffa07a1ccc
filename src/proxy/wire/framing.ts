/**
 * The one framing rule every stdio reader agrees on. MCP frames messages with "\n", but readers
 * differ on "\r": the TypeScript SDK splits on "\n" (and drops one "\r" before it), Go's
 * bufio.Scanner likewise; the Python SDK (universal newlines), Java's and .NET's readLine and Node's
 * readline end a line at a bare "\r" as well. JSON.parse reads a raw "\r" as whitespace, so a line
 * with one inside is one harmless message to the proxy and two or three messages to those servers
 * (issue 15: a call hidden in a notification's params ran on Python servers).
 *
 * A raw "\r" can only stand in JSON's whitespace (it is not allowed raw inside a string), so no
 * message needs one: a line that holds a "\r" anywhere but last (just before its "\n") is refused
 * whole, in both directions. Other separators need no rule: U+2028, U+2029 and U+0085 can only
 * stand raw inside a JSON string, where no reader in use splits, and a piece of a string cannot
 * be a message; every other control character is invalid JSON wherever it stands.
 */
const CR = 0x0d;

/** The index of a "\r" that some reader would take as a line end, or -1. `line` excludes its "\n". */
export function strayLineBreak(line: Buffer): number {
  const at = line.indexOf(CR);
  return at < 0 || at === line.length - 1 ? -1 : at;
}

/** The same for a line that arrived in pieces (never joined). */
export function strayLineBreakInParts(parts: readonly Buffer[], length: number): number {
  let offset = 0;
  for (const part of parts) {
    const at = part.indexOf(CR);
    if (at >= 0 && offset + at !== length - 1) return offset + at;
    offset += part.length;
  }
  return -1;
}

/** Whether a chunk of whole lines (each ending in "\n") is free of stray "\r": a "\r" is allowed only right before a "\n". */
export function chunkHasStrayLineBreak(chunk: Buffer): boolean {
  for (let at = chunk.indexOf(CR); at >= 0; at = chunk.indexOf(CR, at + 1)) if (chunk[at + 1] !== 0x0a) return true;
  return false;
}

export const LINE_BREAK_REASON = 'it holds a carriage return (\\r) that some servers read as the end of a line';
