/**
 * A server's tool list as a client receives it, and the catalog classified from it. Pure: shared by
 * live introspection (introspect.ts) and saved `tools/list` answers (catalog-file.ts).
 */
import * as z from 'zod/mini';
import { BUILTIN_CATALOGS } from './builtin.js';
import { classifyTool } from './classify.js';
import type { ToolDefinition } from './lock.js';
import { cautiousRecommendation, recommendationFor } from './recommend.js';
import type { CatalogTool, JsonSchemaObject, ServerCatalog, ToolAnnotations } from './types.js';

/** One tool as the server listed it (members this type does not name are kept in the object). */
export interface ListedTool extends ToolDefinition {
  inputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations & Record<string, unknown>;
}

export interface ListedServer {
  command: string[];
  serverInfo: { name: string; version?: string; title?: string };
  instructions?: string;
  tools: ListedTool[];
}

export const listedToolSchema = z.looseObject({
  name: z.string(),
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  inputSchema: z.optional(z.looseObject({})),
  annotations: z.optional(z.looseObject({})),
});

export const listToolsResultSchema = z.looseObject({
  tools: z.array(listedToolSchema),
  nextCursor: z.optional(z.string()),
});

/** A stable id for a live server: its reported name in kebab case. */
export function catalogIdFor(serverName: string): string {
  const id = serverName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? 'server' : id;
}

/** The first sentence of a description, at most about 160 characters: the table's summary. */
export function summarize(description: string | undefined): string {
  const text = (description ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > 160 ? `${sentence.slice(0, 159).trimEnd()}…` : sentence;
}

/** Classifies every listed tool into a catalog. Pure. */
export function catalogFromListing(listed: ListedServer): ServerCatalog {
  const known = BUILTIN_CATALOGS.find((catalog) => catalog.serverName === listed.serverInfo.name);
  const tools: CatalogTool[] = listed.tools.map((tool) => {
    const result = classifyTool(tool);
    const argumentRules = known && argumentRulesFor(known, tool);
    return {
      name: tool.name,
      summary: summarize(tool.description),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema ?? {},
      ...(tool.annotations ? { annotations: tool.annotations } : {}),
      category: result.category,
      risk: result.risk,
      reason: result.reason,
      evidence: result.evidence,
      ...(result.conflicts.length > 0 ? { conflicts: result.conflicts } : {}),
      ...(result.overruled.length > 0 ? { overruled: result.overruled } : {}),
      ...(result.needsReview !== undefined ? { needsReview: result.needsReview } : {}),
      confidence: result.confidence,
      recommendation: result.needsReview !== undefined ? cautiousRecommendation(result.category) : recommendationFor(result.category),
      ...(argumentRules ? { argumentRules } : {}),
    };
  });
  const name = listed.serverInfo.title ?? listed.serverInfo.name;
  return {
    id: catalogIdFor(listed.serverInfo.name),
    name,
    serverName: listed.serverInfo.name,
    ...(listed.serverInfo.version ? { serverVersion: listed.serverInfo.version } : {}),
    summary: summarize(listed.instructions),
    launch: listed.command,
    source: 'live',
    tools,
  };
}

/**
 * A known server's argument checks (CatalogTool.argumentRules) for a tool it lists live: the same
 * server started by hand gets the protections of its built-in entry, for each argument the live
 * tool still takes.
 */
function argumentRulesFor(known: ServerCatalog, tool: ToolDefinition): CatalogTool['argumentRules'] {
  const rules = known.tools.find((entry) => entry.name === tool.name)?.argumentRules;
  const properties = (tool.inputSchema as { properties?: unknown } | undefined)?.properties;
  const takes = new Set(properties !== null && typeof properties === 'object' ? Object.keys(properties) : []);
  const kept = rules?.filter((rule) => (rule.conditions ?? []).every((condition) => takes.has(condition.path.replace(/^args\./, '').split('.')[0]!)));
  return kept && kept.length > 0 ? kept : undefined;
}
