/**
 * Text for XML attributes and content: the five special characters escaped, and characters XML 1.0
 * cannot carry at all (most control characters, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD,
 * so a tool name from a recording can never make a JUnit report unreadable.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
