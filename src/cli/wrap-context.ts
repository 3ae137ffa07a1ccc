/**
 * What wrap, unwrap and doctor share: which machine this is (platform, home folder), where
 * policylayer keeps its own files, and the absolute paths a wrapped entry starts the proxy with.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../util/bundle.js';
import type { LocationContext, Platform } from '../wrap/clients.js';
import { serverSlug, type ProxyPaths } from '../wrap/proxy-command.js';
import type { Io } from '../output/io.js';

export function platformOf(value: string): Platform {
  return value === 'win32' ? 'win32' : value === 'darwin' ? 'darwin' : 'linux';
}

export function homeOf(io: Pick<Io, 'env'>): string {
  return io.env.HOME || io.env.USERPROFILE || homedir();
}

export function locationContext(io: Io): LocationContext {
  return { platform: platformOf(process.platform), home: homeOf(io), env: io.env, cwd: io.cwd };
}

/** policylayer's own folder: policies, audit logs, backups and unwrap records. `POLICYLAYER_HOME` moves it. */
export function policylayerHome(io: Io): string {
  const set = io.env.POLICYLAYER_HOME;
  return set ? resolve(io.cwd, set) : join(homeOf(io), '.policylayer');
}

/** bin/policylayer of this installation, symlinks resolved (npm links the global one). */
export function launcherPath(): string {
  const bin = join(packageRoot(), 'bin', 'policylayer');
  try {
    return realpathSync(bin);
  } catch {
    return bin;
  }
}

export interface PathChoices {
  /** `--policy`: one policy for every chosen server. */
  policy?: string | undefined;
  policyDir?: string | undefined;
  auditDir?: string | undefined;
}

/** The absolute paths for one server: this node and launcher, its policy and its audit log. */
export function proxyPathsFor(io: Io, slug: string, choices: PathChoices): ProxyPaths {
  const home = policylayerHome(io);
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(io.cwd, path));
  return {
    node: process.execPath,
    bin: launcherPath(),
    policy: choices.policy ? abs(choices.policy) : join(choices.policyDir ? abs(choices.policyDir) : join(home, 'policies'), `${slug}.json`),
    audit: join(choices.auditDir ? abs(choices.auditDir) : join(home, 'audit'), `${slug}.jsonl`),
  };
}

export { serverSlug };
