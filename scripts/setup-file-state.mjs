#!/usr/bin/env node
// Installs better-sqlite3 (for --state file:) from optional/file-state's lock and links it into
// node_modules/, where the CLI and the tests resolve it. The project's npm ci leaves it out: a
// native module, it compiles SQLite for minutes wherever no prebuilt binary can be fetched.
// Idempotent; `npm ci` at the root removes the link, so run this again after one.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'optional/file-state');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit', shell: process.platform === 'win32' });

const target = join(folder, 'node_modules/better-sqlite3');
const link = join(root, 'node_modules/better-sqlite3');
mkdirSync(dirname(link), { recursive: true });
if (existsSync(link) || isLink(link)) rmSync(link, { recursive: true, force: true });
// A junction on Windows needs no privilege; elsewhere a relative link survives moving the clone.
symlinkSync(process.platform === 'win32' ? target : relative(dirname(link), target), link, 'junction');
const Database = (await import(pathToFileURL(join(link, 'lib/index.js')).href)).default;
new Database(':memory:').close();
console.log(`better-sqlite3 ready: ${relative(root, link)} -> ${relative(root, target)}`);

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
