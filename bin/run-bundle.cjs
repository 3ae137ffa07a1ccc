'use strict';
// Loads the CLI bundle with V8's code cache.
// Why: Node 20 has no module compile cache (module.enableCompileCache arrived in Node 22), and
// parsing and compiling the bundle is the largest part of `policylayer`'s start-up. The build runs
// the CLI once and stores V8's code cache next to the bundle (scripts/code-cache.cjs); this loader
// hands it back to V8. The cache is only used for the exact bundle it was made from (size and
// modification time are checked first), and V8 itself rejects it for another Node version or other
// flags — then the bundle is simply compiled as usual.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');
const { isAscii } = require('node:buffer');

const HEADER_BYTES = 64;

// Code run through vm.Script has no loader for import() (and Node 20's opt-in loader is
// experimental and is lost under a code cache), so this module lends its own: the bundle's
// importModule() (src/util/import-module.ts) calls it for every package or file it imports.
globalThis[Symbol.for('policylayer.import')] = (specifier) => import(specifier);

// The build ends the bundle with a build id (scripts/build.mjs). The cache is keyed on it, not on
// the file's modification time: npm sets its own times when it installs a package, and a key of
// the time would throw the cache away on every `npm install -g`. (V8 itself compares only the
// source's length, so some key of the exact build is needed.) Bundles without an id fall back to
// the modification time.
const BUILD_ID = /\/\/# policylayer-build ([0-9a-f]+)\s*$/;

function bundleKey(source, stat) {
  const id = BUILD_ID.exec(source.slice(-80))?.[1] ?? Math.floor(stat.mtimeMs);
  return `policylayer-code-cache ${stat.size} ${id}`;
}

/** Runs the CommonJS bundle `file` as the CLI; returns the compiled script so the build can serialise its cache. */
function runBundle(file, cacheFile) {
  // The build makes the bundle ASCII (scripts/build.mjs): read so, it is a one-byte string made without decoding.
  const bytes = fs.readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData;
  if (cacheFile) {
    try {
      const cache = fs.readFileSync(cacheFile);
      if (cache.subarray(0, HEADER_BYTES).toString('latin1').trimEnd() === bundleKey(source, fs.statSync(file))) cachedData = cache.subarray(HEADER_BYTES);
    } catch {
      // No cache: compile as usual.
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const compiled = script.runInThisContext();
  const bundleModule = new Module(file, module);
  bundleModule.filename = file;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(file));
  bundleModule.loaded = true;
  compiled.call(bundleModule.exports, bundleModule.exports, Module.createRequire(file), bundleModule, file, path.dirname(file));
  return script;
}

function writeCodeCache(script, file, cacheFile) {
  const header = Buffer.alloc(HEADER_BYTES, ' ');
  header.write(bundleKey(fs.readFileSync(file, 'utf8'), fs.statSync(file)), 'latin1');
  fs.writeFileSync(cacheFile, Buffer.concat([header, script.createCachedData()]));
}

module.exports = { runBundle, writeCodeCache };
