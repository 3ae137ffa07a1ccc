import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinCatalog } from '../../src/catalog/builtin.js';
import { parseCatalogText } from '../../src/catalog/catalog-file.js';
import type { ServerCatalog } from '../../src/catalog/types.js';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/cli.js';

export const VALID = join(ROOT, 'fixtures/policies/valid');
export const INVALID = join(ROOT, 'fixtures/policies/invalid');
export const PAYMENTS_CATALOG = join(ROOT, 'fixtures/lint/payments-catalog.json');
export const REVIEW_CATALOG = join(ROOT, 'fixtures/lint/review-catalog.json');

/** Fixture subfolders are linted against a catalog: mcp-slicer/ with --server mcp-slicer, payments/ and review/ with --catalog. */
export function catalogFor(file: string): { catalog?: ServerCatalog; args: string[] } {
  const folder = relative(ROOT, file).split('/').at(-2);
  if (folder === 'mcp-slicer') return { catalog: builtinCatalog('mcp-slicer')!, args: ['--server', 'mcp-slicer'] };
  if (folder === 'payments') return { catalog: parseCatalogText('payments-catalog.json', readFileSync(PAYMENTS_CATALOG, 'utf8')), args: ['--catalog', PAYMENTS_CATALOG] };
  if (folder === 'review') return { catalog: parseCatalogText('review-catalog.json', readFileSync(REVIEW_CATALOG, 'utf8')), args: ['--catalog', REVIEW_CATALOG] };
  return { args: [] };
}

export function policyFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...policyFiles(path));
    else if (/\.(json|ya?ml)$/.test(name)) found.push(path);
  }
  return found;
}
