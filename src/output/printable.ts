/**
 * Text from recordings (tool names, grants) shown on a terminal: control characters become visible
 * escapes, so a name cannot move the cursor, recolour the screen or fake a line of output.
 */
export function printable(text: string): string {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text)
    ? text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}
