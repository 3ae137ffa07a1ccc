import * as z from 'zod/mini';
import { policySchema, SCHEMA_ID } from './schema.js';

export { SCHEMA_ID };

/** The published JSON Schema, generated from the zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(policySchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'PolicyLayer policy (JSON v1)',
    description: 'A policy between AI agents and MCP servers. See docs/policy-language.md.',
    ...rest,
  };
}
