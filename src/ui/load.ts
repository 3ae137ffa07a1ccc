/**
 * Loads the ink UI on demand. ink uses top-level await, so the CommonJS CLI bundle cannot require
 * it: the UI is its own ES module bundle (dist/ui.mjs) imported by path, and only by commands that
 * draw on a terminal, so plain commands never load ink or react.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED, packageRoot } from '../util/bundle.js';
import type * as Ui from './index.js';
import { importModule } from '../util/import-module.js';

export type UiModule = typeof Ui;

// A variable, not a literal, so that esbuild leaves the source entry out of dist/cli.cjs.
const SOURCE_ENTRY = './index.js';

export async function loadUi(): Promise<UiModule> {
  // A URL, not the relative name: importModule resolves relative names from its own folder.
  if (!BUNDLED) return await importModule<UiModule>(new URL(SOURCE_ENTRY, import.meta.url).href);
  // React picks its development build (several times slower, and the bulk of an idle screen's CPU)
  // unless NODE_ENV says production. It decides when it loads, so the variable is set only for the
  // import: servers the proxy starts later must not inherit it.
  const unset = process.env.NODE_ENV === undefined;
  if (unset) process.env.NODE_ENV = 'production';
  try {
    return await importModule<UiModule>(pathToFileURL(join(packageRoot(), 'dist/ui.mjs')).href);
  } finally {
    if (unset) delete process.env.NODE_ENV;
  }
}

/** ink draws only the last frame under CI (its is-in-ci check), so interactive screens are unusable there. */
export function isCi(env: Record<string, string | undefined>): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}
