/**
 * A human-readable summary of a call's arguments for an approval prompt: each top-level member on
 * its own line, long values cut with their full length stated. A human approving
 * `execute_python_code` must see the code, so strings get a generous budget.
 */
export function summarizeArguments(args: unknown, budget = 4000): string {
  if (args === undefined) return '(no arguments)';
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return cut(JSON.stringify(args) ?? String(args), budget);
  const entries = Object.entries(args as Record<string, unknown>);
  if (entries.length === 0) return '(no arguments)';
  const per = Math.max(200, Math.floor(budget / entries.length));
  return entries.map(([key, value]) => `${key}: ${describe(value, per)}`).join('\n');
}

function describe(value: unknown, budget: number): string {
  if (typeof value === 'string') {
    const shown = value.length > budget ? `${value.slice(0, budget)}… (${value.length} characters in all)` : value;
    return value.includes('\n') ? `\n${indent(shown)}` : JSON.stringify(shown);
  }
  return cut(JSON.stringify(value) ?? String(value), budget);
}

function cut(text: string, budget: number): string {
  return text.length > budget ? `${text.slice(0, budget)}… (${text.length} characters in all)` : text;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
