/**
 * The proxy command's setup, loaded only when `policylayer proxy` runs: reads the policy (exit 2
 * with the findings when invalid), the lock file, and starts the proxy with the process's stdio.
 */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Readable, Writable } from 'node:stream';
import { sha256Hex } from '../audit/hash.js';
import type { AuditKey } from '../audit/key.js';
import { UsageError } from '../errors.js';
import { stateFromOptions } from '../state/options.js';
import { describeStateSpec } from '../state/spec.js';
import type { ToolGate } from '../proxy/gates/tool-gates.js';
import type { Io } from '../output/io.js';
import { loadCodeAnalysis } from '../engine/code-analysis.js';
import { compileSource, loadPolicy } from './policy-input.js';
import { decodePolicyText, MAX_POLICY_BYTES, parsePolicyText } from '../policy/read.js';
import { InputError } from '../errors.js';
import type { ProxyCommandOptions } from './proxy.js';
import type { RemotePlan } from '../transport/options.js';
import type { ProxyOptions } from '../proxy/run.js';
import { readLockFile } from './lock-input.js';
import { displayUrl } from '../util/display-url.js';

export interface StartProxy {
  /** The upstream (a command or a URL) and, with --listen, the listener: checked by src/transport/options.ts. */
  remote: RemotePlan;
  options: ProxyCommandOptions;
  io: Io;
  input?: Readable;
  output?: Writable;
}

export async function startProxy({ remote, options, io, input, output }: StartProxy): Promise<number> {
  const auditKey = options.auditKey === undefined ? undefined : await readKey(io, options.auditKey, options.audit);
  const loaded = await loadPolicy(io, options.policy);
  const warnings = loaded.findings.filter((finding) => finding.severity === 'warning').length;
  if (warnings > 0) io.stderr.write(`policylayer proxy: ${loaded.path} has ${warnings} lint warning${warnings === 1 ? '' : 's'}; run \`policylayer lint ${loaded.path}\`\n`);
  const gates: ToolGate[] = options.lock ? [await lockGate(io, options.lock, options.allowNewTools)] : [];
  const { runProxy } = await import('../proxy/run.js');
  const state = stateFromOptions(options, io.cwd);
  const { openDecider } = await import('../state/open.js');
  const decider = await openDecider(loaded.compiled, state, {
    onStoreStatus: (status) =>
      io.stderr.write(
        status.available
          ? `policylayer proxy: counter store ${describeStateSpec(state.spec)} answers again; limits are enforced\n`
          : `policylayer proxy: counter store unavailable (${status.error}); calls that need counters are ${state.failMode === 'closed' ? 'denied' : 'allowed uncounted'} (--state-fail-mode ${state.failMode})\n`,
      ),
  });
  // Say at once, not at the first limited call, when the store is down (the proxy starts anyway).
  if (state.spec.kind !== 'memory') void decider.checkStore();

  // --approve-tty: the terminal is asked first, then the client (src/ui/approval/tty-approver.ts).
  const approvers = options.approveTty
    ? (await import('../ui/approval/tty-approver.js')).terminalFirst({ ...(typeof options.approveTty === 'string' ? { device: resolve(io.cwd, options.approveTty) } : {}), env: io.env })
    : undefined;

  const stdout = output ?? process.stdout;
  if (stdout === process.stdout && !remote.listen) {
    // stdout belongs to the MCP stream: the proxy handles its errors (EPIPE) itself, with a clean shutdown.
    process.stdout.removeAllListeners('error');
    // The proxy's young generation is a few MiB with little surviving; scavenging it on V8's helper
    // threads only adds threads that wake up and compete with the server for the CPU. Measured on 2
    // cores, 64 calls in flight: 75-76% of direct's throughput with them, 82% without (docs/proxy.md).
    // V8 reads this flag at every scavenge, so setting it after startup takes effect.
    setFlagsFromString('--no-parallel-scavenge');
  }
  const outputPath = (path: string | undefined) => (path === undefined ? undefined : { path: resolve(io.cwd, path), display: path });

  const upstream = remote.upstream;
  const label = upstream.kind === 'stdio' ? [upstream.file, ...upstream.args] : [displayUrl(upstream.url)];
  io.stderr.write(`policylayer proxy: ${loaded.path} → ${label.join(' ')}${state.spec.kind === 'memory' ? '' : ` (counters: ${describeStateSpec(state.spec)})`}\n`);
  const log = (message: string): void => void io.stderr.write(`policylayer proxy: ${message}\n`);
  const stopping = new AbortController();
  const target =
    upstream.kind === 'stdio'
      ? { command: upstream.file, args: upstream.args }
      : {
          upstreamLabel: label,
          openUpstream: async () => (await import('../transport/open-upstream.js')).openHttpUpstream(upstream, { env: process.env, log, signal: stopping.signal }),
        };
  const proxyOptions: ProxyOptions = {
    ...target,
    policy: {
      compiled: loaded.compiled,
      display: loaded.path,
      sha256: sha256Hex(loaded.source.text),
      file: loaded.absolutePath,
      load: async (bytes) => {
        if (bytes.length > MAX_POLICY_BYTES) throw new InputError(loaded.path, `file is over ${MAX_POLICY_BYTES / 1024 / 1024} MiB`);
        const text = decodePolicyText(loaded.path, bytes);
        const next = compileSource(await parsePolicyText(loaded.path, text), loaded.path, loaded.absolutePath);
        // A reloaded policy may add the first python condition: its parser loads before the policy applies.
        await loadCodeAnalysis(next.compiled);
        return { compiled: next.compiled, sha256: sha256Hex(text) };
      },
    },
    grant: options.grant,
    decider,
    gates,
    ...(approvers ? { approvers } : {}),
    ...(options.audit ? { audit: { ...outputPath(options.audit)!, ...(auditKey ? { key: auditKey } : {}) } } : {}),
    ...(options.record ? { record: outputPath(options.record)! } : {}),
    watch: options.watch,
    approvalTimeoutMs: Math.round(options.approvalTimeout * 1000),
    limits: { maxInFlight: options.maxInFlight, maxHeldApprovals: options.maxHeldApprovals },
    ...(input ? { input } : {}),
    output: stdout,
    log: (line) => io.stderr.write(line),
    env: process.env,
    cwd: io.cwd,
  };
  // The proxy closes the store when it stops; if it cannot start, a Redis client reconnecting in the background would keep this process alive.
  const running = remote.listen ? (await import('../proxy/listen.js')).runListen({ ...proxyOptions, listen: remote.listen }) : runProxy(proxyOptions);
  return running
    .catch(async (error: unknown) => {
      await decider.close().catch(() => {});
      throw error;
    })
    .finally(() => stopping.abort());
}

/** `--audit-key`: read before anything starts (exit 2 when unreadable); a key others can read is worth a warning. */
async function readKey(io: Io, path: string, audit: string | undefined): Promise<AuditKey> {
  if (audit === undefined) throw new UsageError('--audit-key: only with --audit FILE (the key chains the audit log)');
  const { readAuditKey, readableByOthers } = await import('../audit/key.js');
  const absolute = resolve(io.cwd, path);
  const key = readAuditKey(absolute, path);
  const mode = readableByOthers(absolute);
  if (mode !== undefined) io.stderr.write(`policylayer proxy: ${path} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); \`chmod 600 ${path}\`\n`);
  return key;
}

async function lockGate(io: Io, lockPath: string, allowNewTools: boolean): Promise<ToolGate> {
  const { lock, shown } = await readLockFile(io, lockPath);
  const { LockGate } = await import('../proxy/gates/lock-gate.js');
  return new LockGate(lock, { allowNewTools, lockName: shown });
}
