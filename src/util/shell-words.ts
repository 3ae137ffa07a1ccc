/** A command line as a POSIX shell would take it back: plain words bare, anything else in single quotes. */
export function shellWords(command: readonly string[]): string {
  return command.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`)).join(' ');
}
