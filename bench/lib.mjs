// Shared helpers for benchmarks: timing whole processes and reporting medians.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = resolve(ROOT, 'bin/policylayer');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Wall time of one process run in milliseconds. */
export function timeProcess(args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: ROOT, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  return ms;
}

/** Runs several commands interleaved (A B C A B C …) so drift on a noisy machine hits all alike; returns medians. */
export function interleaved(commands, runs = 25) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach((args, j) => samples[j].push(timeProcess(args)));
  return samples.map(median);
}

export function fmt(n, digits = 1) {
  return Number(n).toFixed(digits);
}

/**
 * Bundles TypeScript from src with the CLI build's settings (minified, node20: the code the CLI
 * runs, without the CLI around it) into `dir/<name>.mjs`; returns the file, for a child process to
 * run. `input` is esbuild's entryPoints or stdin.
 */
export async function bundleFromSource(dir, name, input) {
  const result = await build({
    ...input,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'warning',
    define: { __POLICYLAYER_BUNDLE__: 'true' },
    logOverride: { 'empty-import-meta': 'silent' },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, result.outputFiles[0].text);
  return file;
}

/** bundleFromSource, then imports the bundle. */
export async function importFromSource(dir, name, input) {
  return import(pathToFileURL(await bundleFromSource(dir, name, input)).href);
}

/** Calls per second of an MCP SDK `Client` calling `echo` `calls` times with `inFlight` calls outstanding. */
export async function echoThroughput(client, calls, inFlight) {
  let sent = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (sent < calls) {
      sent++;
      await client.callTool({ name: 'echo', arguments: { message: 'x' } });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return calls / (Number(process.hrtime.bigint() - start) / 1e9);
}
