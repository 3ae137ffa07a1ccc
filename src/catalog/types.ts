import type { Rule } from '../policy/schema.js';

/** PolicyLayer's capability categories and the risk level each implies (policy-format.md §6). */
export const CATEGORIES = ['Read', 'Write', 'Execute', 'Destructive', 'Financial'] as const;
export type Category = (typeof CATEGORIES)[number];

export const RISKS = ['Low', 'Medium', 'High', 'Critical'] as const;
export type Risk = (typeof RISKS)[number];

export const RISK_OF_CATEGORY: Record<Category, Risk> = {
  Read: 'Low',
  Write: 'Medium',
  Execute: 'High',
  Destructive: 'Critical',
  Financial: 'Critical',
};

/** What the catalog recommends for a tool; `init` turns it into policy JSON. */
export type Recommendation =
  | { action: 'allow' }
  | { action: 'limit'; max: number; window: 'minute' | 'hour' | 'day' }
  | { action: 'require_approval' }
  | { action: 'deny' }
  | { action: 'hide' };

/** A JSON Schema object as MCP servers publish it in `tools/list`. */
export type JsonSchemaObject = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaObject>;
  required?: string[];
  items?: JsonSchemaObject;
  [key: string]: unknown;
};

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface CatalogTool {
  name: string;
  /** One line: our own words for built-in entries, the description's first sentence for live ones. */
  summary: string;
  /** The server's full description, for live entries. */
  description?: string;
  inputSchema: JsonSchemaObject;
  annotations?: ToolAnnotations;
  category: Category;
  risk: Risk;
  /** Why this class: one or two sentences. */
  reason: string;
  /** Quoted evidence behind the class (name tokens, schema, annotations). */
  evidence: string[];
  /** Where the evidence disagrees (e.g. a `readOnlyHint: true` tool named delete_…); the higher risk won. */
  conflicts?: string[];
  /** Evidence that pointed to another class and lost, with why it lost. */
  overruled?: string[];
  /**
   * Why a person must review this class before relying on it (its evidence is weak or conflicts);
   * absent when the evidence is clear. Such a tool gets the cautious recommendation.
   */
  needsReview?: string;
  /** 0..1; 1 for hand-reviewed built-in entries. */
  confidence: number;
  recommendation: Recommendation;
  /**
   * Argument checks the tool needs whatever its class, written into every policy `init` makes for
   * it: values the server pastes into code it runs (hand-written, for built-in entries only).
   */
  argumentRules?: Rule[];
}

export interface ServerCatalog {
  /** Stable id used on the command line, e.g. `mcp-slicer`. */
  id: string;
  name: string;
  /** `serverInfo.name` the server reports. */
  serverName: string;
  /** `serverInfo.version`, for live catalogs. */
  serverVersion?: string;
  /**
   * `builtin`: reviewed by hand and shipped; `live`: classified from the server's own tools/list;
   * `tools-list`: classified from a saved tools/list answer (a file).
   */
  source?: 'builtin' | 'live' | 'tools-list';
  summary: string;
  /** The command line users put in their MCP client config. */
  launch: string[];
  homepage?: string;
  tools: CatalogTool[];
}
