/**
 * `lint --fix`: turns did-you-mean suggestions into text edits (a misspelt key renamed, an enum
 * value corrected, `"window": 60` → `"minute"`, `"version": 1` → `"1"`). Pure: the caller parses
 * the result again and writes it only if it still parses without duplicate keys.
 */
import type { SourceDocument } from '../policy/source.js';
import type { Finding } from './finding.js';
import { allRules } from './rules/index.js';

/** Rules that declare themselves fixable: their suggestion replaces exactly the text the finding points at. */
export const FIXABLE_RULES: ReadonlySet<string> = new Set(allRules.filter((rule) => rule.fixable).map((rule) => rule.id));

/** Whether `--fix` would apply this finding's suggestion (the stylish summary counts them; SARIF carries them as fixes). */
export function isFixable(finding: Finding): boolean {
  return finding.fix !== undefined;
}

/** The replacement text for a finding's suggestion, if `--fix` can write it: one scalar, rendered as the file quotes it. */
export function fixText(source: SourceDocument, finding: Finding): string | undefined {
  if (finding.suggestion === undefined || !FIXABLE_RULES.has(finding.ruleId)) return undefined;
  const original = source.text.slice(finding.range.start.offset, finding.range.end.offset);
  const text = renderScalar(finding.suggestion, original, source.format);
  return text !== undefined && text !== original ? text : undefined;
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  ruleId: string;
}

/** The edits for a file's fixable findings, in text order, without overlaps (the first one wins). */
export function fixesFor(source: SourceDocument, findings: readonly Finding[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const finding of findings) {
    const text = finding.fix?.text ?? fixText(source, finding);
    if (text !== undefined) edits.push({ start: finding.range.start.offset, end: finding.range.end.offset, text, ruleId: finding.ruleId });
  }
  edits.sort((a, b) => a.start - b.start);
  return edits.filter((edit, i) => i === 0 || edit.start >= edits[i - 1]!.end);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

/**
 * The suggestion written where `original` (one scalar: a key or a value) was. JSON: a JSON string.
 * YAML: the original's quoting is kept; a plain scalar stays plain only if YAML would still read it
 * as this string. Anything that is not one scalar on one line is left alone.
 */
function renderScalar(value: string, original: string, format: SourceDocument['format']): string | undefined {
  if (original.length === 0 || /[\r\n]/.test(original)) return undefined;
  if (format === 'json') return isJsonScalar(original) ? JSON.stringify(value) : undefined;
  if (original.startsWith('"')) return JSON.stringify(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (/^[[{|>&*!%@`]/.test(original)) return undefined;
  return isPlainYamlString(value) ? value : JSON.stringify(value);
}

function isJsonScalar(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null;
  } catch {
    return false;
  }
}

/** Words YAML (1.2, and 1.1 readers) would read as something other than a string. */
const YAML_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

function isPlainYamlString(value: string): boolean {
  return /^[A-Za-z_][\w./-]*$/.test(value) && !YAML_WORDS.has(value.toLowerCase());
}
