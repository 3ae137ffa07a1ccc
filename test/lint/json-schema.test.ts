import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { lintDocument } from '../../src/lint/lint-document.js';
import { readPolicySource } from '../../src/policy/read.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { INVALID, policyFiles, VALID } from './fixtures.js';

const SCHEMA_RULES = new Set(['unknown-key', 'foreign-syntax', 'missing-key', 'invalid-value']);
const shipped = JSON.parse(readFileSync(`${ROOT}/schema/policy.schema.json`, 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(shipped);

async function valueOf(file: string) {
  return readPolicySource(file, relative(ROOT, file));
}

describe('the shipped JSON Schema (schema/policy.schema.json)', () => {
  it('is exactly what `policylayer schema` prints', async () => {
    const result = await runCli(['schema']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(`${ROOT}/schema/policy.schema.json`, 'utf8'));
  });

  it('gives editors a description for every property, so they show help on hover', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [key, property] of Object.entries(properties ?? {})) if (!property.description) missing.push(`${path}/${key}`);
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    walk(shipped, '');
    expect(missing).toEqual([]);
  });

  it.each(policyFiles(VALID).map((f) => [relative(VALID, f), f]))('accepts valid fixture %s', async (_, file) => {
    const source = await valueOf(file);
    expect(validate(source.value), JSON.stringify(validate.errors)).toBe(true);
  });

  // A fixture is schema-invalid when the linter reports a schema-level finding for it; the two validators must agree.
  const invalid = policyFiles(INVALID);
  it.each(invalid.map((f) => [relative(INVALID, f), f]))('agrees with the linter on invalid fixture %s', async (_, file) => {
    const source = await valueOf(file);
    if (source.syntaxErrors.length > 0) return;
    const findings = (await lintDocument(source)).findings;
    const schemaInvalid = findings.some((f) => SCHEMA_RULES.has(f.ruleId));
    expect(validate(source.value)).toBe(!schemaInvalid);
  });

  it('rejects at least the four schema-level fixtures', async () => {
    for (const name of ['unknown-key.json', 'unknown-key.yaml', 'foreign-syntax.json', 'missing-key.json', 'invalid-value.json']) {
      expect(validate((await valueOf(`${INVALID}/${name}`)).value), name).toBe(false);
    }
  });
});
