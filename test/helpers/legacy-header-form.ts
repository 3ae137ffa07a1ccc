/**
 * A wrapped text (or a record's wrapped bytes) as `policylayer wrap` wrote remote entries before
 * `--header-env` existed: `"--header", "Name: ${VAR}"` where it now writes
 * `"--header-env", "Name=VAR"`, every other byte the same (test/wrap/remote-plan.test.ts checks
 * this against an entry as the previous release wrote it).
 */
export function legacyHeaderForm(text: string): string {
  return text.replace(/"--header-env", "([^"=]+)=([A-Z0-9_]+)"/g, (_match, name: string, variable: string) => `"--header", "${name}: \${${variable}}"`);
}
