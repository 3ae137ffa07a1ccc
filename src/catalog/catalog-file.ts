import { basename } from 'node:path';
import * as z from 'zod/mini';
import { InputError } from '../errors.js';
import { parseJsonSource } from '../policy/parse-json.js';
import { catalogFromListing, catalogIdFor, listedToolSchema, type ListedTool } from './listing.js';
import { CATEGORIES, RISKS, type ServerCatalog } from './types.js';

/**
 * A saved catalog (`policylayer catalog --format json`): the JSON form of `ServerCatalog`.
 * Unknown keys are allowed, so a catalog written by a newer policylayer still loads.
 */
const jsonSchemaObject = z.looseObject({
  type: z.optional(z.union([z.string(), z.array(z.string())])),
  properties: z.optional(z.record(z.string(), z.unknown())),
  required: z.optional(z.array(z.string())),
});

const recommendationSchema = z.discriminatedUnion('action', [
  z.looseObject({ action: z.literal('allow') }),
  z.looseObject({ action: z.literal('limit'), max: z.int().check(z.minimum(0)), window: z.enum(['minute', 'hour', 'day']) }),
  z.looseObject({ action: z.literal('require_approval') }),
  z.looseObject({ action: z.literal('deny') }),
  z.looseObject({ action: z.literal('hide') }),
]);

const catalogToolSchema = z.looseObject({
  name: z.string().check(z.minLength(1)),
  summary: z.string(),
  inputSchema: jsonSchemaObject,
  annotations: z.optional(z.looseObject({})),
  category: z.enum(CATEGORIES),
  risk: z.enum(RISKS),
  reason: z.string(),
  evidence: z.array(z.string()),
  confidence: z.number().check(z.minimum(0), z.maximum(1)),
  recommendation: recommendationSchema,
});

export const serverCatalogSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  serverName: z.string(),
  summary: z.string(),
  launch: z.array(z.string()),
  homepage: z.optional(z.string()),
  tools: z.array(catalogToolSchema),
});

function describePath(path: readonly PropertyKey[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('') || 'the catalog';
}

/** Parses and validates a saved catalog; any problem is one InputError line naming the file and the place. */
export function parseCatalogText(displayPath: string, text: string): ServerCatalog {
  const source = parseJsonSource(displayPath, text);
  const syntax = source.syntaxErrors[0];
  if (syntax) {
    const at = source.lines.position(syntax.offset);
    throw new InputError(`${displayPath}:${at.line}:${at.column}`, `not a catalog: ${syntax.message}`);
  }
  const listing = toolsListAnswer(displayPath, source.value);
  if (listing) return listing;
  const result = serverCatalogSchema.safeParse(source.value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const detail =
      issue.code === 'invalid_value' ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` :
      issue.code === 'invalid_type' ? `must be ${issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}` :
      issue.code === 'invalid_union' ? 'has an unknown "action"' :
      issue.message;
    throw new InputError(displayPath, `not a catalog (the JSON of \`policylayer catalog --format json\`): ${describePath(issue.path)} ${detail}`);
  }
  return result.data as ServerCatalog;
}

const toolsListSchema = z.looseObject({ tools: z.array(listedToolSchema), nextCursor: z.optional(z.string()) });

/** The tools of one `tools/list` page: the result itself, or the JSON-RPC response around it. */
function pageOf(displayPath: string, value: unknown, where: string): { tools: ListedTool[]; nextCursor?: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if ('jsonrpc' in record && 'error' in record) {
    const error = record.error as { code?: unknown; message?: unknown } | null;
    throw new InputError(displayPath, `${where}holds a JSON-RPC error, not a tools/list answer: ${String(error?.message ?? 'no message')} (code ${String(error?.code)})`);
  }
  const result = 'jsonrpc' in record && 'result' in record ? record.result : record;
  if (result === null || typeof result !== 'object' || !Array.isArray((result as { tools?: unknown }).tools)) return undefined;
  // Our own catalog also has `tools`; its tools carry a category, a tools/list answer's never do.
  if ('id' in (result as object) && 'serverName' in (result as object)) return undefined;
  const parsed = toolsListSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(displayPath, `${where}not a valid tools/list answer: ${describePath(issue.path)} ${issue.message}`);
  }
  return parsed.data as { tools: ListedTool[]; nextCursor?: string };
}

/**
 * A saved MCP `tools/list` answer, as a client receives it: the result (`{"tools": [...]}`), the
 * whole JSON-RPC response, or an array of them (one per page, in order). Classified now; the
 * server's name comes from the file name, since tools/list does not carry it.
 */
function toolsListAnswer(displayPath: string, value: unknown): ServerCatalog | undefined {
  const pages = Array.isArray(value) ? value : [value];
  if (pages.length === 0) return undefined;
  const tools: ListedTool[] = [];
  let nextCursor: string | undefined;
  for (const [i, page] of pages.entries()) {
    const found = pageOf(displayPath, page, Array.isArray(value) ? `[${i}] ` : '');
    if (!found) return undefined;
    tools.push(...found.tools);
    nextCursor = found.nextCursor;
  }
  if (nextCursor !== undefined) {
    throw new InputError(displayPath, `holds only part of the tools: its last page has nextCursor ${JSON.stringify(nextCursor)}; save every page (a JSON array of the answers, in order)`);
  }
  const name = basename(displayPath).replace(/(\.tools-list|\.tools)?\.json$/i, '') || 'server';
  const catalog = catalogFromListing({ command: [], serverInfo: { name }, tools });
  return { ...catalog, id: catalogIdFor(name), source: 'tools-list', launch: [] };
}
