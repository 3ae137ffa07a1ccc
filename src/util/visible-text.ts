/**
 * Text that a client or server chose (tool names, methods, argument values), made safe to show on a
 * terminal or write as one log line: control characters, Unicode line and paragraph separators and
 * bidirectional formatting characters are written as escapes. Raw, they could start a forged line
 * on stderr ("policylayer proxy: approved: …"), send escape sequences to the terminal, or make an
 * approval prompt show other code than the code that would run: a "\r" or "\u001b[2K" overwrites
 * what came before it, a right-to-left override reorders it (Trojan Source, CVE-2021-42574).
 */
export function visibleText(text: string, options: { keepNewlines?: boolean } = {}): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (char) => (char === '\n' && options.keepNewlines ? char : escape(char)));
}

/** One log line: visibleText with newlines escaped too. */
export function logLine(text: string): string {
  return visibleText(text);
}

// C0 controls (tab included), DEL, C1 controls (U+0085 ends a line for some readers, U+009B is a
// terminal's CSI), ALM, LRM/RLM, U+2028 and U+2029, the bidi embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  return NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
