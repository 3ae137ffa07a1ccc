import type { CatalogTool, JsonSchemaObject } from '../catalog/types.js';

/** Reading a tool's input schema (as MCP servers publish it) for the catalog-aware rules. Pure. */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type PathLookup =
  /** The path names a parameter (or a part of one) the schema describes. */
  | { kind: 'found'; schema: JsonSchemaObject }
  /** The schema does not say (no properties, additional properties allowed, or a shape we do not follow). */
  | { kind: 'open' }
  /** `segment` is not a property of the object at `at` (an `args.` path); `known` are the properties there. */
  | { kind: 'unknown'; segment: string; at: string; known: string[] };

/** The alternatives of a schema (anyOf/oneOf, as pydantic writes Optional[...]); boolean or malformed schemas have none we can read. */
function variants(schema: unknown): JsonSchemaObject[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const object = schema as JsonSchemaObject;
  const list = object.anyOf ?? object.oneOf;
  return Array.isArray(list) ? list.filter((option): option is JsonSchemaObject => !!option && typeof option === 'object') : [object];
}

/**
 * Follows `segments` (from `args.a.b`) through `properties` and array `items`. An object without
 * `properties` or with `additionalProperties` is open. MCP servers built on FastMCP or pydantic publish
 * closed parameter lists without `additionalProperties: false`, so a missing `additionalProperties`
 * counts as closed: an unknown name there is a typo, not a pass-through.
 */
export function lookupArgument(tool: CatalogTool, segments: readonly string[]): PathLookup {
  let current: unknown = tool.inputSchema;
  let at = 'args';
  for (const segment of segments) {
    let next: JsonSchemaObject | undefined;
    let open = false;
    const known: string[] = [];
    const options = variants(current);
    if (options.length === 0) return { kind: 'open' };
    for (const option of options) {
      if (option.properties && typeof option.properties === 'object' && Object.hasOwn(option.properties, segment)) {
        next = option.properties[segment] as JsonSchemaObject;
        break;
      }
      const index = /^(0|[1-9]\d*)$/.test(segment);
      if (index && option.items && typeof option.items === 'object') {
        next = option.items;
        break;
      }
      if (option.properties) known.push(...Object.keys(option.properties));
      const types = typesOf(option);
      const mayBeObject = types === undefined || types.has('object');
      const mayBeArray = types === undefined || types.has('array');
      const additional = option.additionalProperties;
      if ((mayBeObject && (!option.properties || (additional !== undefined && additional !== false))) || (index && mayBeArray && !option.items)) open = true;
    }
    if (next) {
      current = next;
      at = `${at}.${segment}`;
      continue;
    }
    return open ? { kind: 'open' } : { kind: 'unknown', segment, at, known };
  }
  return current && typeof current === 'object' ? { kind: 'found', schema: current as JsonSchemaObject } : { kind: 'open' };
}

/** The JSON types a schema admits, or undefined when it does not say. `integer` implies `number` checks accept it. */
export function typesOf(schema: JsonSchemaObject): Set<JsonType> | undefined {
  const types = new Set<JsonType>();
  const options = variants(schema);
  if (options.length === 0) return undefined;
  for (const option of options) {
    const t = option.type;
    if (t === undefined) {
      if (option.const !== undefined) types.add(jsonTypeOf(option.const));
      else if (Array.isArray(option.enum)) for (const v of option.enum) types.add(jsonTypeOf(v));
      else return undefined;
    } else for (const one of Array.isArray(t) ? t : [t]) if (typeof one === 'string') types.add(one as JsonType);
  }
  // FastMCP's `"default": null` on an optional parameter does not make null acceptable: pydantic rejects
  // an explicit null (mcp-slicer.md §5.1), so only the listed types count; "exists": false tests absence.
  return types.size > 0 ? types : undefined;
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

/** Whether a value of JSON type `actual` can be a value of a parameter typed `types`. */
export function typeAdmits(types: ReadonlySet<JsonType>, actual: JsonType): boolean {
  if (types.has(actual)) return true;
  if (actual === 'integer') return types.has('number');
  return false;
}

export function isNumeric(types: ReadonlySet<JsonType>): boolean {
  return types.has('number') || types.has('integer');
}

export function describeTypes(types: ReadonlySet<JsonType>): string {
  return [...types].filter((t) => t !== 'null').join(' or ') || 'null';
}

/** Whether every call must carry the argument (each level listed in `required`); undefined when the schema does not say. */
export function isRequiredArgument(tool: CatalogTool, segments: readonly string[]): boolean | undefined {
  let current: unknown = tool.inputSchema;
  for (const segment of segments) {
    const options = variants(current);
    if (options.length !== 1) return undefined;
    const option = options[0]!;
    if (!option.properties || typeof option.properties !== 'object' || !Object.hasOwn(option.properties, segment)) return undefined;
    if (!Array.isArray(option.required) || !option.required.includes(segment)) return false;
    current = option.properties[segment];
  }
  return true;
}
