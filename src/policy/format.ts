import { jsonEqual } from '../util/json.js';
import { InputError } from '../errors.js';
import { isYamlPath, parsePolicyText, type PolicySyntax } from './read.js';

export interface Formatted {
  text: string;
  changed: boolean;
}

/**
 * Formats a policy's text (JSON or YAML, by the file's extension unless `syntax` says). Refuses text that does not parse or has
 * duplicate keys (formatting would silently keep one of them), and checks that the result parses to
 * the same document before anyone writes it. A byte-order mark and CRLF line endings are kept.
 */
export async function formatPolicyText(displayPath: string, rawText: string, syntax: PolicySyntax = isYamlPath(displayPath) ? 'yaml' : 'json'): Promise<Formatted> {
  const before = await parsePolicyText(displayPath, rawText, syntax);
  const syntaxError = before.syntaxErrors[0];
  if (syntaxError) {
    const at = before.lines.position(syntaxError.offset);
    throw new InputError(`${displayPath}:${at.line}:${at.column}`, `not formatted: ${syntaxError.message}`);
  }
  const duplicate = before.duplicates[0];
  if (duplicate) {
    const at = before.lines.position(duplicate.duplicate[0]);
    throw new InputError(`${displayPath}:${at.line}:${at.column}`, `not formatted: duplicate key "${duplicate.key}"; keep one (policylayer lint explains)`);
  }
  const newline = /\r\n/.test(before.text.slice(0, before.text.search(/\n|$/) + 1)) ? '\r\n' : '\n';
  let body: string;
  if (syntax === 'yaml') {
    const { formatYamlText } = await import('./format-yaml.js');
    body = formatYamlText(before.text);
    if (newline === '\r\n') body = body.replace(/\r?\n/g, '\r\n');
  } else {
    const { formatJsonText } = await import('./format-json.js');
    body = formatJsonText(before.text, newline);
  }
  const text = (before.hadBom ? '\uFEFF' : '') + body;
  const after = await parsePolicyText(displayPath, text, syntax);
  if (after.syntaxErrors.length > 0 || after.duplicates.length > 0 || !jsonEqual(before.value, after.value)) {
    throw new InputError(displayPath, 'not formatted: the formatted text would not parse to the same policy (an anchor moved after its alias?); the file is unchanged');
  }
  return { text, changed: text !== rawText };
}
