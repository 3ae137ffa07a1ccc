/**
 * Reads every client configuration that exists: each parsed, or the one-line reason it cannot be.
 * A missing file is simply not there; the caller decides whether a broken one stops the run.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { configLocations, type ClientId, type ConfigLocation, type LocationContext } from './clients.js';
import { ConfigError, type ConfigBackend, type ParsedConfig } from './config-types.js';
import { jsonBackend } from './json-config.js';
import { loadTomlBackend } from './toml-config.js';

export interface FoundConfig {
  location: ConfigLocation;
  /** The file starts with a byte order mark (kept when writing; not part of `parsed.text`). */
  bom: boolean;
  parsed?: ParsedConfig;
  error?: UserError;
}

let toml: Promise<ConfigBackend> | undefined;

export async function backendFor(location: Pick<ConfigLocation, 'format'>): Promise<ConfigBackend> {
  if (location.format !== 'toml') return jsonBackend;
  toml ??= loadTomlBackend();
  return toml;
}

export async function readConfig(location: ConfigLocation): Promise<FoundConfig | undefined> {
  let raw: string;
  try {
    raw = await readFile(location.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { location, bom: false, error: new UserError(`${location.path}: cannot read (${code ?? (error as Error).message})`) };
  }
  const bom = raw.startsWith('\uFEFF');
  const text = bom ? raw.slice(1) : raw;
  try {
    return { location, bom, parsed: (await backendFor(location)).parse(location, text) };
  } catch (error) {
    if (error instanceof ConfigError) return { location, bom, error };
    throw error;
  }
}

export async function discoverConfigs(context: LocationContext, clients?: readonly ClientId[]): Promise<FoundConfig[]> {
  const locations = configLocations(context).filter((location) => !clients || clients.includes(location.client));
  // The same file can be two locations (a project folder that is also the home folder): read it once.
  const seen = new Set<string>();
  const unique = locations.filter((location) => (seen.has(location.path) ? false : (seen.add(location.path), true)));
  const found = await Promise.all(unique.map(readConfig));
  return found.filter((config): config is FoundConfig => config !== undefined);
}
