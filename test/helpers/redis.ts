/**
 * A real Redis server for tests. CI (.ci/run) starts one on loopback and sets
 * POLICYLAYER_TEST_REDIS_URL; without it, tests start their own `redis-server` on a free port when
 * the binary is installed. With neither, Redis tests are skipped on a developer's machine (with a
 * line saying why) and FAIL in CI (CI=true), where a skip would hide a missing install step.
 *
 * Tests that stop, pause or restart Redis always start their own server (never the shared one).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { requireFor, type Requirement } from './requirements.js';

export const SHARED_REDIS_URL = process.env.POLICYLAYER_TEST_REDIS_URL || undefined;
const binaryFound = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Whether the shared Redis answers, asked once per test file before any test connects: a URL that
 * points at nothing must stop the Redis tests with one line, not with a client retrying (and
 * logging) in every test until each times out.
 */
async function sharedRedisProblem(url: string): Promise<string | undefined> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    port = Number(parsed.port || 6379);
  } catch {
    return `POLICYLAYER_TEST_REDIS_URL=${url} is not a redis:// URL`;
  }
  const answer = await new Promise<string | undefined>((resolve) => {
    const socket = createConnection({ host, port });
    const done = (problem: string | undefined): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(1500, () => done('no answer within 1.5 s'));
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('connect', () => (url.startsWith('rediss:') ? done(undefined) : socket.write('PING\r\n')));
    socket.on('data', () => done(undefined));
  });
  return answer === undefined ? undefined : `POLICYLAYER_TEST_REDIS_URL=${url} does not answer (${answer}); start Redis there, or unset it to let the tests start their own redis-server`;
}

const sharedProblem = SHARED_REDIS_URL !== undefined ? await sharedRedisProblem(SHARED_REDIS_URL) : undefined;

/** Whether tests that only need some Redis can run: the shared one answers, or (without one) redis-server is installed. */
export const haveRedis = SHARED_REDIS_URL !== undefined ? sharedProblem === undefined : binaryFound;
/** Whether tests that stop and restart their own Redis can run. */
export const haveRedisServerBinary = binaryFound;

const INSTALL = 'Debian: apt-get install redis-server; .ci/run installs and starts it';
export const anyRedis: Requirement = {
  ok: haveRedis,
  reason: sharedProblem ?? `Redis tests need POLICYLAYER_TEST_REDIS_URL or the redis-server binary (${INSTALL})`,
};
export const redisServerBinary: Requirement = { ok: binaryFound, reason: `Redis outage tests need the redis-server binary (${INSTALL})` };

/**
 * Registers a test that fails in CI when Redis tests cannot run, and tells a developer why they were
 * skipped (again at the end of the run). Call once at the top of each Redis test file.
 */
export function requireRedisInCi(needsBinary: boolean): void {
  requireFor(needsBinary ? 'a redis-server binary' : 'a Redis server to test against', needsBinary ? redisServerBinary : anyRedis);
}

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL); its data goes with it. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** SIGSTOP: the server keeps its socket but answers nothing, like a hung or overloaded host. */
  pause(): void;
  resume(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a private `redis-server` on a free loopback port, persisting nothing. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  // Nothing is persisted (--save '', no AOF), so the temp folder itself will do as Redis's folder.
  const dir = tmpdir();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], {
      stdio: 'ignore',
    });
    const started = child;
    await waitForPing(port, 10_000, () => started.exitCode !== null);
  };
  await launch();
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGCONT');
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
    async start() {
      if (child) return;
      await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
  process.once('exit', () => child?.kill('SIGKILL'));
  return server;
}

/** The Redis for tests that only need one: the shared CI server, or a private one. */
export async function testRedisUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (SHARED_REDIS_URL) return { url: SHARED_REDIS_URL, stop: async () => {} };
  const server = await startRedisServer();
  return { url: server.url, stop: () => server.stop() };
}

/** A key prefix no other test (or run) uses, so tests can share one Redis. */
export function uniquePrefix(): string {
  return `pltest:${randomBytes(6).toString('hex')}:`;
}

/** Appends `?prefix=` to a Redis URL. */
export function withPrefix(url: string, prefix: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}prefix=${encodeURIComponent(prefix)}`;
}

async function waitForPing(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`redis-server on port ${port} exited at start`);
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

/** Sends one raw PING. */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
