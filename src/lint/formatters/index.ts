import type { FormatName, Formatter } from './types.js';

/** Loads only the formatter in use: the others (and SARIF's rule table) are never evaluated. */
export async function loadFormatter(name: FormatName): Promise<Formatter> {
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).stylish;
    case 'json':
      return (await import('./json.js')).json;
    case 'sarif':
      return (await import('./sarif.js')).sarif;
    case 'github':
      return (await import('./github.js')).github;
    case 'markdown':
      return (await import('./markdown.js')).markdown;
  }
}
