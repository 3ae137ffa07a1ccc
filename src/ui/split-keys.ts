import type { Key } from 'ink';

/**
 * ink hands over several characters that arrive in one read as one "pasted" input ("25w", "h\r").
 * Screens where every character is a command split them back into single keys, so fast typing
 * and keys sent in one burst (ssh, tmux) mean the same as slow typing. The approval prompt does
 * not: pasted text must never approve anything.
 */
export function splitKeys(input: string, key: Key): Array<{ input: string; key: Key }> {
  if ([...input].length <= 1) return [{ input, key }];
  return [...input].map((char) => {
    const single: Key = { ...key, return: false, tab: false, backspace: false, shift: /[A-Z]/.test(char) };
    if (char === '\r' || char === '\n') return { input: '', key: { ...single, return: true } };
    if (char === '\t') return { input: '', key: { ...single, tab: true } };
    if (char === '\u007f' || char === '\b') return { input: '', key: { ...single, backspace: true } };
    return { input: char, key: single };
  });
}
