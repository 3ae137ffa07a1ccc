/**
 * The project's one home. Rule documentation links, the JSON Schema's `$id`, SARIF's
 * `informationUri` and package.json's `repository` all derive from it, and a test checks that every
 * link in README.md, docs/ and schema/ that points at this project agrees.
 */
export const PROJECT_REPOSITORY = 'https://github.com/policylayer/policylayer';

/** A file of the main branch as a page (for people). */
export function projectPage(path: string): string {
  return `${PROJECT_REPOSITORY}/blob/main/${path}`;
}

/** A file of the main branch as its raw bytes (GitHub redirects `/raw/` to them): for editors fetching the schema. */
export function projectFile(path: string): string {
  return `${PROJECT_REPOSITORY}/raw/main/${path}`;
}
