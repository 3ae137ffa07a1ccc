// Preloaded with NODE_OPTIONS=--import=…: reports every resolution of ink, react or web-tree-sitter on
// stderr, so a test can prove that a command did not load the terminal UI or the Python parser.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { writeSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      if (/^(ink|react|web-tree-sitter)(\\/|$)/.test(specifier)) writeSync(2, '[import] ' + specifier + '\\n');
      return next(specifier, context);
    }
  `)}`,
);
