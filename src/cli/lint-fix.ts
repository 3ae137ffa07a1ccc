import type { AppliedConfig } from '../lint/config.js';
import { applyEdits, fixesFor, type TextEdit } from '../lint/fix.js';
import { parsePolicyText } from '../policy/read.js';
import type { SourceDocument } from '../policy/source.js';
import { replaceFile } from './fmt-file.js';
import type { Io } from '../output/io.js';

/** A fix can reveal another one (values inside a key that was misspelt are checked once it is not): a few passes. */
const MAX_PASSES = 5;

/**
 * Applies a file's fixable suggestions, pass after pass, and writes the file once. An edit is kept
 * only if the text still parses without duplicate keys (renaming `limit` to `limits` next to an
 * existing `limits` would make one); the others are reported to be fixed by hand. `lintOf` lints a
 * text (with the lint configuration applied); returns the fixed source with its lint, or undefined
 * when nothing changed. Reports on stderr, so stdout formats stay clean.
 */
export async function fixFile(
  file: string,
  shown: string,
  original: SourceDocument,
  lintOf: (source: SourceDocument) => Promise<AppliedConfig>,
  firstLint: AppliedConfig,
  io: Io,
): Promise<{ source: SourceDocument; lint: AppliedConfig } | undefined> {
  let source = original;
  let lint = firstLint;
  const applied: TextEdit[] = [];
  const refused = new Map<string, string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const edits = fixesFor(source, lint.findings).filter((edit) => !refused.has(editKey(edit)));
    if (edits.length === 0) break;
    const next = (await tryEdits(source, shown, edits)) ?? (await oneByOne(source, shown, edits, refused));
    if (!next) break;
    applied.push(...next.edits);
    source = next.source;
    lint = await lintOf(source);
  }
  for (const why of new Set(refused.values())) io.stderr.write(`policylayer: ${shown}: not fixed: ${why}; fix it by hand\n`);
  if (applied.length === 0) return undefined;
  await replaceFile(file, shown, (source.hadBom ? '\uFEFF' : '') + source.text);
  const rules = [...new Set(applied.map((edit) => edit.ruleId))].join(', ');
  io.stderr.write(`policylayer: ${shown}: fixed ${applied.length} problem${applied.length === 1 ? '' : 's'} (${rules})\n`);
  return { source, lint };
}

async function tryEdits(source: SourceDocument, shown: string, edits: TextEdit[]): Promise<{ source: SourceDocument; edits: TextEdit[] } | undefined> {
  const next = await parsePolicyText(shown, applyEdits(source.text, edits), source.format);
  return next.syntaxErrors.length === 0 && next.duplicates.length === 0 ? { source: next, edits } : undefined;
}

/** Some edit of a pass spoils the text: keep those that do not, from the end of the text backwards (offsets before stay valid). */
async function oneByOne(source: SourceDocument, shown: string, edits: TextEdit[], refused: Map<string, string>): Promise<{ source: SourceDocument; edits: TextEdit[] } | undefined> {
  let current = source.text;
  const kept: TextEdit[] = [];
  for (const edit of [...edits].reverse()) {
    const candidate = await parsePolicyText(shown, applyEdits(current, [edit]), source.format);
    if (candidate.syntaxErrors.length === 0 && candidate.duplicates.length === 0) {
      current = candidate.text;
      kept.push(edit);
    } else {
      const duplicate = candidate.duplicates[0];
      refused.set(editKey(edit), duplicate ? `it would make the key "${duplicate.key}" appear twice` : 'the result would not parse');
    }
  }
  if (kept.length === 0) return undefined;
  return { source: await parsePolicyText(shown, current, source.format), edits: kept.reverse() };
}

function editKey(edit: TextEdit): string {
  return `${edit.ruleId}\u0000${edit.text}\u0000${edit.start}`;
}
