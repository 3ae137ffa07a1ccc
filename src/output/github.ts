/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner turns into
 * annotations on the pull request. Escaping as in actions/toolkit (packages/core/src/command.ts).
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
