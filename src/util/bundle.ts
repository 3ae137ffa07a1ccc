import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Defined as `true` by scripts/build.mjs; undefined when running from source (tests). */
declare const __POLICYLAYER_BUNDLE__: boolean | undefined;

export const BUNDLED: boolean = typeof __POLICYLAYER_BUNDLE__ !== 'undefined' && __POLICYLAYER_BUNDLE__;

/** The package's root folder, from the bundle in dist/ or from src/util/ when running from source. */
export function packageRoot(): string {
  if (BUNDLED) return resolve(typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(dirname(fileURLToPath(import.meta.url)), '../..');
}
