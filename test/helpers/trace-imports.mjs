// Preloaded with NODE_OPTIONS=--import=…: reports every resolution of ink or react on stderr, so a
// test can prove that a command did not load the terminal UI.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { writeSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      if (/^(ink|react)(\\/|$)/.test(specifier)) writeSync(2, '[import] ' + specifier + '\\n');
      return next(specifier, context);
    }
  `)}`,
);
