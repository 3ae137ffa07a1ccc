/**
 * The planning core of `wrap` and `unwrap`: from a file's text and the entries chosen, the new text
 * and what unwrap needs to undo it. Pure (no file access); src/wrap/apply.ts writes the plan.
 *
 * Every edited text is parsed again and compared with the document it should be, the chosen
 * entries changed to exactly what wrap (or unwrap) makes of them and nothing else: for a stdio
 * entry its `command` and `args`; for a remote one the entry src/wrap/remote-entry.ts computes. A
 * mismatch is a bug and stops the run before anything is written (fail closed).
 *
 * Byte-for-byte unwrap: wrap records the bytes it changed (the smallest span between the common
 * prefix and suffix of the old and new text), as an offset from the entry's anchor (where the
 * entry's text starts). Unwrap puts the original bytes back when the entry still holds exactly
 * the recorded bytes at that place, so edits elsewhere in the file meanwhile do not matter. When
 * the record is missing or the entry was edited since, unwrap rebuilds `command` and `args` from
 * what follows `--` in the proxy's arguments (a remote entry: its url and headers from `--upstream`,
 * `--header-env` or the older `--header`, and env): the same server, not necessarily the same bytes.
 */
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, type ConfigBackend, type ParsedConfig, type ServerEntry } from './config-types.js';
import { wrappedCommand, type ProxyPaths, type StdioCommand } from './proxy-command.js';
import { codexRebuild, rebuiltCodexEntry } from './codex-remote.js';
import { rebuiltRemoteEntry, remoteRebuild, remoteWrap, wrappedRemoteEntry, type HeaderForm } from './remote-entry.js';

export interface RestoreRecord {
  file: string;
  keyPath: string[];
  /** From the entry's anchor to the first changed byte. */
  offset: number;
  /** The bytes wrap wrote there, and the bytes they replaced. */
  wrapped: string;
  original: string;
}

export type EntryChange =
  | { kind: 'wrap'; entry: ServerEntry; paths: ProxyPaths; record: RestoreRecord }
  | { kind: 'unchanged'; entry: ServerEntry }
  | { kind: 'unwrap'; entry: ServerEntry; exact: boolean };

export interface FilePlan {
  config: ParsedConfig;
  after: string;
  changes: EntryChange[];
}

export class PlanError extends Error {}

function entryIn(value: unknown, keyPath: readonly string[]): Record<string, unknown> | undefined {
  let node = value;
  for (const key of keyPath) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

/** Whether `after` is `before` with only the entry's command and args changed, to `expected`. */
export function onlyCommandChanged(before: unknown, after: unknown, keyPath: readonly string[], expected: StdioCommand): boolean {
  const a = structuredClone(before);
  const b = structuredClone(after);
  const entryA = entryIn(a, keyPath);
  const entryB = entryIn(b, keyPath);
  if (!entryA || !entryB) return false;
  if (entryB.command !== expected.command || !isDeepStrictEqual(entryB.args ?? [], expected.args)) return false;
  for (const entry of [entryA, entryB]) {
    delete entry.command;
    delete entry.args;
  }
  return isDeepStrictEqual(a, b);
}

/**
 * A plain copy: jsonc-parser builds objects without a prototype, and isDeepStrictEqual compares
 * prototypes, so values from a parse and values built here are compared as copies.
 */
function plain<T>(value: T): T {
  return structuredClone(value);
}

/** `doc` with the entry at `keyPath` replaced by `entry` (a copy). */
function withEntry(doc: unknown, keyPath: readonly string[], entry: Record<string, unknown>): unknown {
  const copy = plain(doc);
  const parent = entryIn(copy, keyPath.slice(0, -1));
  if (parent) parent[keyPath[keyPath.length - 1]!] = plain(entry);
  return copy;
}

/** Whether `after` is `before` with the entry at `keyPath` replaced by exactly `expected`. */
export function onlyEntryChanged(before: unknown, after: unknown, keyPath: readonly string[], expected: Record<string, unknown>): boolean {
  return entryIn(before, keyPath) !== undefined && isDeepStrictEqual(withEntry(before, keyPath, expected), plain(after));
}

function sameKeyPath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function changedSpan(before: string, after: string): { start: number; beforeEnd: number; afterEnd: number } {
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, beforeEnd: before.length - tail, afterEnd: after.length - tail };
}

function checkedEdit(backend: ConfigBackend, config: ParsedConfig, text: string, entry: ServerEntry, target: StdioCommand): string {
  const next = backend.setCommand(text, entry.keyPath, target.command, target.args);
  const before = backend.parse(config.location, text).value;
  const after = backend.parse(config.location, next).value;
  if (!onlyCommandChanged(before, after, entry.keyPath, target)) {
    throw new PlanError(`${config.location.path}: editing "${entry.name}" would change more than its command and args; nothing was written (please report this)`);
  }
  return next;
}

/** The document an edited text parses to; undefined when it does not parse (the edit is then refused). */
function valueIfParsed(backend: ConfigBackend, config: ParsedConfig, text: string): unknown {
  try {
    return backend.parse(config.location, text).value;
  } catch {
    return undefined;
  }
}

/** Applies `edit` and checks that the result parses to the document with only this entry changed, to `expected`. */
function checkedEntryEdit(backend: ConfigBackend, config: ParsedConfig, text: string, entry: ServerEntry, expected: Record<string, unknown>, edit: (text: string) => string): string {
  const next = edit(text);
  const before = backend.parse(config.location, text).value;
  const after = valueIfParsed(backend, config, next);
  if (after === undefined || !onlyEntryChanged(before, after, entry.keyPath, expected)) {
    throw new PlanError(`${config.location.path}: editing "${entry.name}" would change more than that entry; nothing was written (please report this)`);
  }
  return next;
}

/** The entry at `keyPath` of `text`, read again (after an earlier edit of the same file). */
function entryAt(backend: ConfigBackend, config: ParsedConfig, text: string, keyPath: readonly string[]): { entry: ServerEntry; raw: Record<string, unknown> } | undefined {
  const parsed = backend.parse(config.location, text);
  const entry = parsed.entries.find((e) => sameKeyPath(e.keyPath, keyPath));
  const raw = entryIn(parsed.value, keyPath);
  return entry && raw ? { entry, raw } : undefined;
}

/** A remote entry turned into the proxy with `--upstream`, checked. */
function wrapRemoteIn(backend: ConfigBackend, config: ParsedConfig, text: string, keyPath: readonly string[], paths: ProxyPaths): string {
  const found = entryAt(backend, config, text, keyPath);
  const remote = found?.entry.remote;
  if (!found || !remote) throw new PlanError(`${config.location.path}: cannot find the remote entry at ${keyPath.join('.')}; nothing was written (please report this)`);
  if (remote.unwrappable || !backend.wrapRemote) throw new PlanError(`${config.location.path}: "${found.entry.name}" is not wrappable: ${remote.unwrappable ?? 'remote entries in this format are not supported'}`);
  const plan = remoteWrap(found.raw, remote, config.location.client, paths);
  return checkedEntryEdit(backend, config, text, found.entry, wrappedRemoteEntry(found.raw, remote, plan), (t) => backend.wrapRemote!(t, keyPath, plan));
}

/** The paths a wrapped entry starts the proxy with, as wrap would have written them. */
function pathsOfWrapped(entry: ServerEntry): ProxyPaths | undefined {
  const wrapped = entry.wrapped;
  if (!wrapped?.launcher.node || wrapped.policy === undefined || wrapped.audit === undefined) return undefined;
  return { node: wrapped.launcher.node, bin: wrapped.launcher.bin, policy: wrapped.policy, audit: wrapped.audit };
}

/** Codex's `bearer_token_env_var`, as wrap writes it: the one `--header` it writes now. */
const CODEX_BEARER = /^Authorization: Bearer \$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Whether a wrapped remote entry already starts this node, launcher, policy and audit log, with
 * its headers in the form wrap writes now (`--header-env`, and for Codex the bearer token's
 * `--header`; an older `--header 'Name: ${VAR}'` is rewritten).
 */
function wrappedAsAsked(entry: ServerEntry, paths: ProxyPaths, client: ParsedConfig['location']['client']): boolean {
  const current = pathsOfWrapped(entry);
  const inner = entry.wrapped?.inner;
  const headersCurrent = inner?.kind === 'upstream' && inner.headers.every((header) => header.option === '--header-env' || (client === 'codex' && CODEX_BEARER.test(header.value)));
  return current !== undefined && entry.command === paths.node && isDeepStrictEqual(current, paths) && headersCurrent;
}

/** The forms a record's wrapped bytes may hold: what wrap writes now, and what it wrote before. */
const HEADER_FORMS: readonly HeaderForm[] = ['header-env', 'header'];

/** The original command of an entry: its own, or what its proxy starts. Undefined for an upstream (url) proxy. */
export function innerCommand(entry: ServerEntry): StdioCommand | undefined {
  if (entry.wrapped) return entry.wrapped.inner.kind === 'stdio' ? { command: entry.wrapped.inner.command, args: entry.wrapped.inner.args } : undefined;
  if (entry.transport !== 'stdio') return undefined;
  return { command: entry.command!, args: entry.args ?? [] };
}

/**
 * Unwraps one entry in `text`: the recorded original bytes when the entry still holds exactly what
 * wrap wrote, otherwise command and args rebuilt from the proxy's arguments.
 */
function unwrapIn(backend: ConfigBackend, config: ParsedConfig, text: string, entry: ServerEntry, record: RestoreRecord | undefined): { text: string; exact: boolean } {
  if (entry.wrapped?.inner.kind === 'upstream') return unwrapRemoteIn(backend, config, text, entry, record);
  const inner = innerCommand(entry);
  if (!inner) throw new PlanError(`${config.location.path}: "${entry.name}" does not start policylayer proxy`);
  const restored = restoredBytes(backend, text, entry, record);
  if (restored !== undefined) {
    const before = backend.parse(config.location, text).value;
    const after = valueIfParsed(backend, config, restored);
    if (after !== undefined && onlyCommandChanged(before, after, entry.keyPath, inner)) return { text: restored, exact: true };
  }
  return { text: checkedEdit(backend, config, text, entry, inner), exact: false };
}

/** The text with the recorded original bytes put back, when the entry still holds exactly what wrap wrote there. */
function restoredBytes(backend: ConfigBackend, text: string, entry: ServerEntry, record: RestoreRecord | undefined): string | undefined {
  if (!record) return undefined;
  const anchor = backend.entryAnchor(text, entry.keyPath);
  if (anchor === undefined) return undefined;
  const start = anchor + record.offset;
  if (text.slice(start, start + record.wrapped.length) !== record.wrapped) return undefined;
  return text.slice(0, start) + record.original + text.slice(start + record.wrapped.length);
}

/**
 * Unwraps a proxy with `--upstream`: the recorded bytes when wrapping what they restore gives back
 * exactly the entry as it is now (with its paths; headers in either form wrap has written),
 * otherwise the url entry rebuilt from `--upstream`, `--header-env`/`--header` and the header
 * variables in env.
 */
function unwrapRemoteIn(backend: ConfigBackend, config: ParsedConfig, text: string, entry: ServerEntry, record: RestoreRecord | undefined): { text: string; exact: boolean } {
  const inner = entry.wrapped!.inner;
  if (inner.kind !== 'upstream') throw new PlanError(`${config.location.path}: "${entry.name}" does not proxy a remote server`);
  const current = entryAt(backend, config, text, entry.keyPath);
  if (!current) throw new PlanError(`${config.location.path}: cannot find "${entry.name}"; nothing was written (please report this)`);
  const restored = restoredBytes(backend, text, entry, record);
  const paths = pathsOfWrapped(entry);
  if (restored !== undefined && paths) {
    let back: ReturnType<typeof entryAt>;
    try {
      back = entryAt(backend, config, restored, entry.keyPath);
    } catch {
      back = undefined;
    }
    const remote = back?.entry.remote;
    if (back && remote && !remote.unwrappable) {
      const rewraps = HEADER_FORMS.map((form) => wrappedRemoteEntry(back.raw, remote, remoteWrap(back.raw, remote, config.location.client, paths, form)));
      const before = backend.parse(config.location, text).value;
      const after = backend.parse(config.location, restored).value;
      if (rewraps.some((rewrapped) => isDeepStrictEqual(plain(rewrapped), plain(current.raw))) && onlyEntryChanged(before, after, entry.keyPath, back.raw)) return { text: restored, exact: true };
    }
  }
  if (config.location.client === 'codex' && backend.rebuildCodexRemote) {
    let plan: ReturnType<typeof codexRebuild>;
    try {
      plan = codexRebuild(current.raw, inner);
    } catch (error) {
      // The entry was edited by hand: the user's to fix, not a bug.
      throw new ConfigError(`${config.location.path}:${entry.line}:${entry.column}`, `cannot turn "${entry.name}" back into a Codex url entry: ${(error as Error).message}; edit it by hand (nothing was written)`);
    }
    return { text: checkedEntryEdit(backend, config, text, entry, rebuiltCodexEntry(current.raw, plan), (t) => backend.rebuildCodexRemote!(t, entry.keyPath, plan)), exact: false };
  }
  if (!backend.rebuildRemote) throw new PlanError(`${config.location.path}: "${entry.name}" cannot be unwrapped in this format without wrap's record`);
  const plan = remoteRebuild(current.raw, inner, config.location.client);
  return { text: checkedEntryEdit(backend, config, text, entry, rebuiltRemoteEntry(current.raw, plan), (t) => backend.rebuildRemote!(t, entry.keyPath, plan)), exact: false };
}

/**
 * Wraps the chosen entries of one file. An entry already wrapped with the same paths is left alone
 * (wrapping twice changes nothing); one wrapped with other paths (a moved clone, another policy) is
 * unwrapped first and wrapped again, so that its record still leads back to the original bytes.
 */
export function planWrap(
  backend: ConfigBackend,
  config: ParsedConfig,
  targets: readonly { entry: ServerEntry; paths: ProxyPaths; record?: RestoreRecord | undefined }[],
): FilePlan {
  let text = config.text;
  const changes: EntryChange[] = [];
  for (const { entry, paths, record } of targets) {
    let base: string;
    let next: string;
    if (entry.transport === 'remote' || entry.wrapped?.inner.kind === 'upstream') {
      if (entry.wrapped && wrappedAsAsked(entry, paths, config.location.client)) {
        changes.push({ kind: 'unchanged', entry });
        continue;
      }
      base = entry.wrapped ? unwrapIn(backend, config, text, entry, record).text : text;
      next = wrapRemoteIn(backend, config, base, entry.keyPath, paths);
    } else {
      const inner = innerCommand(entry);
      if (!inner) throw new PlanError(`${config.location.path}: "${entry.name}" has no command or url`);
      const desired = wrappedCommand(inner, paths);
      if (entry.wrapped && entry.command === desired.command && isDeepStrictEqual(entry.args, desired.args)) {
        changes.push({ kind: 'unchanged', entry });
        continue;
      }
      base = entry.wrapped ? unwrapIn(backend, config, text, entry, record).text : text;
      next = checkedEdit(backend, config, base, entry, desired);
    }
    const anchor = backend.entryAnchor(next, entry.keyPath);
    const span = changedSpan(base, next);
    if (anchor === undefined || span.start < anchor) throw new PlanError(`${config.location.path}: cannot locate "${entry.name}" after editing it; nothing was written (please report this)`);
    changes.push({
      kind: 'wrap',
      entry,
      paths,
      record: { file: config.location.path, keyPath: entry.keyPath, offset: span.start - anchor, wrapped: next.slice(span.start, span.afterEnd), original: base.slice(span.start, span.beforeEnd) },
    });
    text = next;
  }
  return { config, after: text, changes };
}

export function planUnwrap(backend: ConfigBackend, config: ParsedConfig, targets: readonly { entry: ServerEntry; record?: RestoreRecord | undefined }[]): FilePlan {
  let text = config.text;
  const changes: EntryChange[] = [];
  for (const { entry, record } of targets) {
    if (!entry.wrapped) {
      changes.push({ kind: 'unchanged', entry });
      continue;
    }
    const result = unwrapIn(backend, config, text, entry, record);
    text = result.text;
    changes.push({ kind: 'unwrap', entry, exact: result.exact });
  }
  return { config, after: text, changes };
}
