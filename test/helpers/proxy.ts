/** Runs the proxy in-process (fast) against a real child server, with a raw client on its stdio. */
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { compilePolicy } from '../../src/engine/compile.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { runProxy, type ProxyOptions } from '../../src/proxy/run.js';
import { ROOT } from './cli.js';
import { McpStream } from './mcp-stream.js';

export const SIM = resolve(ROOT, 'dist/fixtures/mcp-slicer-sim.mjs');
export const SIM_COMMAND = [process.execPath, SIM];

export const SEED_POLICY: PolicyDocument = {
  version: '1',
  default: 'deny',
  tools: { execute_python_code: { limits: [{ counter: 'execute_python_code_rate', window: 'minute', max: 10, scope: 'grant' }] } },
};

export interface InProcessProxy {
  client: McpStream;
  /** Everything the proxy logged. */
  log: () => string;
  /** Resolves with the proxy's exit code. */
  done: Promise<number>;
  /** Closes the client side and waits for the proxy to finish. */
  stop: () => Promise<number>;
}

const running = new Set<InProcessProxy>();

export function startProxy(
  policy: PolicyDocument,
  options: Partial<Omit<ProxyOptions, 'policy' | 'command'>> & { command?: string[] } = {},
): InProcessProxy {
  const input = new PassThrough();
  const output = new PassThrough();
  let log = '';
  const [command, ...args] = options.command ?? SIM_COMMAND;
  const done = runProxy({
    shutdownGraceMs: 500,
    ...options,
    command: command!,
    args,
    policy: { compiled: compilePolicy(policy), display: 'policy.json', sha256: '0'.repeat(64) },
    input,
    output,
    log: (line) => (log += line),
    handleSignals: false,
  });
  const proxy: InProcessProxy = {
    client: new McpStream(input, output),
    log: () => log,
    done,
    stop: async () => {
      input.end();
      return done;
    },
  };
  running.add(proxy);
  void done.finally(() => running.delete(proxy)).catch(() => {});
  return proxy;
}

/** Stops every in-process proxy still running (afterEach): closing its input shuts its server down. */
export async function stopAllProxies(): Promise<void> {
  await Promise.allSettled([...running].map((proxy) => proxy.stop()));
}
