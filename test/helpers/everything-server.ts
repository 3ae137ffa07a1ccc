/**
 * `@modelcontextprotocol/server-everything` (the MCP project's reference server) in its HTTP modes,
 * as a child process on a free port: `streamableHttp` (POST/GET/DELETE /mcp, resumable streams) or
 * `sse` (the older transport: GET /sse, POST /message). It listens on every interface; tests reach
 * it on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './http-fixture-server.js';

const require = createRequire(import.meta.url);
export const EVERYTHING_ENTRY = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

export interface EverythingServer {
  /** The MCP endpoint: /mcp (streamableHttp) or /sse (sse). */
  url: URL;
  port: number;
  child: ChildProcess;
  output: () => string;
  kill: () => Promise<void>;
}

export async function startEverything(mode: 'streamableHttp' | 'sse', port?: number): Promise<EverythingServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, mode], { env: { ...process.env, PORT: String(chosen) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      // "MCP Streamable HTTP Server listening on port N" / "Server is running on port N" (stderr).
      if (/listening on port|running on port/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything ${mode} exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`server-everything ${mode} did not listen within 15 s:\n${output}`)), 15_000);
  });
  await ready;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: new URL(`http://127.0.0.1:${chosen}${mode === 'sse' ? '/sse' : '/mcp'}`),
    port: chosen,
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
