/**
 * Files of policylayer's own kinds that are not policies: lock files, saved catalogs, MCP tool
 * lists, SARIF logs, the JSON outputs of our commands, recordings, policy test files. `lint` on a
 * folder skips them with a note instead of reporting every key as unknown. Each kind is recognised
 * by what only it has (a positive match): a document that matches none is linted as a policy, so a
 * policy with every key misspelt is still reported, never skipped. Pure.
 */
import { basename } from 'node:path';
import { TEST_FILE_PATTERN } from '../policy/discover.js';
import type { SourceDocument } from '../policy/source.js';

export interface FileKind {
  id: string;
  /** For "skipped: … , not a policy". */
  description: string;
}

type Doc = Record<string, unknown>;

const isObject = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);
const isToolDefinition = (tool: unknown) => isObject(tool) && typeof tool.name === 'string' && (isObject(tool.inputSchema) || typeof tool.description === 'string');

const BY_CONTENT: Array<FileKind & { matches: (doc: Doc) => boolean }> = [
  { id: 'lock', description: 'a lock file (policylayer pin)', matches: (d) => d.lockfileVersion !== undefined && isObject(d.server) && Array.isArray(d.tools) },
  { id: 'catalog', description: 'a saved catalog (policylayer catalog --format json)', matches: (d) => typeof d.serverName === 'string' && Array.isArray(d.tools) },
  {
    id: 'tools-list',
    description: 'MCP tool definitions (a tools/list answer)',
    matches: (d) => {
      const tools = isObject(d.result) ? d.result.tools : d.tools;
      return Array.isArray(tools) && tools.length > 0 && tools.every(isToolDefinition);
    },
  },
  { id: 'sarif', description: 'a SARIF log (policylayer lint --format sarif)', matches: (d) => d.version === '2.1.0' && Array.isArray(d.runs) },
  { id: 'json-schema', description: 'a JSON Schema (policylayer schema)', matches: (d) => typeof d.$schema === 'string' && /^https?:\/\/json-schema\.org\//.test(d.$schema) },
  { id: 'lint-output', description: 'lint results (policylayer lint --format json)', matches: (d) => d.format === 'policylayer-lint' },
  { id: 'test-output', description: 'policy test results (policylayer test --format json)', matches: (d) => typeof d.passed === 'number' && typeof d.failed === 'number' && Array.isArray(d.files) },
  {
    id: 'explain-output',
    description: 'an explanation (policylayer explain --format json)',
    matches: (d) => typeof d.tool === 'string' && typeof d.rule === 'string' && ['allow', 'deny', 'approval_required'].includes(d.outcome as string),
  },
  { id: 'top-summary', description: 'an audit log summary (policylayer top --format json)', matches: (d) => typeof d.generated_at === 'string' && isObject(d.proxy) },
];

export const POLICY_TEST_KIND: FileKind = { id: 'policy-test', description: 'a policy test file (policylayer test)' };
const LINT_CONFIG_KIND: FileKind = { id: 'lint-config', description: 'a lint configuration' };
const JSON_LINES_KIND: FileKind = { id: 'json-lines', description: 'JSON Lines (a recording, an audit log or replay output)' };

/** The kind of a parsed file that is one of ours but not a policy, or undefined for anything to lint as a policy. */
export function nonPolicyKind(path: string, source: SourceDocument): FileKind | undefined {
  const name = basename(path);
  if (TEST_FILE_PATTERN.test(name)) return POLICY_TEST_KIND;
  if (/^\.policylayer-lint\.(json|ya?ml)$/i.test(name)) return LINT_CONFIG_KIND;
  if (source.syntaxErrors.length > 0) return isJsonLines(source.text) ? JSON_LINES_KIND : undefined;
  if (!isObject(source.value)) return undefined;
  const doc = source.value;
  // What a policy has and none of our other files do: such a document is linted whatever else it has.
  if (doc.version === '1' || 'default' in doc) return undefined;
  const match = BY_CONTENT.find((kind) => kind.matches(doc));
  return match ? { id: match.id, description: match.description } : undefined;
}

/** Two or more lines, each one JSON object: a recording, an audit log or replay's JSON output, never a policy. */
function isJsonLines(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  return lines.every((line) => {
    try {
      return isObject(JSON.parse(line));
    } catch {
      return false;
    }
  });
}
