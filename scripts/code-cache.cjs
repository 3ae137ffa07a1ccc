'use strict';
// Build step: runs the freshly built CLI once (a lint of the seed policy, the path `npm run bench`
// measures) and writes V8's code cache for it to <bundle>.cache. See bin/run-bundle.cjs for why.
const { runBundle, writeCodeCache } = require('../bin/run-bundle.cjs');

const [relativeBundle, ...argv] = process.argv.slice(2);
const bundle = require('node:path').resolve(relativeBundle);
process.argv = [process.argv[0], bundle, ...argv];
const script = runBundle(bundle, undefined);
process.on('exit', () => writeCodeCache(script, bundle, `${bundle}.cache`));
