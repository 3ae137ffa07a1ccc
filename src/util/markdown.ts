/** Text for a GitHub-flavoured Markdown table cell: one line, pipes and markup escaped. */
export function markdownCell(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/([\\`*_{}[\]<>|#~])/g, '\\$1')
    .trim();
}

/** Inline code that survives any backticks inside it. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|')}${fence}`;
}

/** Rows beyond this are counted, not listed: $GITHUB_STEP_SUMMARY takes at most 1 MiB per step. */
export const MARKDOWN_MAX_ROWS = 200;
