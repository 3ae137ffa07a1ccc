import * as z from 'zod/mini';
import { InputError } from '../errors.js';
import { parseJsonSource } from '../policy/parse-json.js';
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
