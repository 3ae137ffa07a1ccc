/**
 * The planning core of `wrap` and `unwrap`: from a file's text and the entries chosen, the new text
 * and what unwrap needs to undo it. Pure (no file access); src/wrap/apply.ts writes the plan.
 *
 * Every edited text is parsed again and compared with the document it should be, the chosen
 * entries' `command` and `args` changed and nothing else; a mismatch is a bug and stops the run
 * before anything is written (fail closed).
 *
 * Byte-for-byte unwrap: wrap records the bytes it changed (the smallest span between the common
 * prefix and suffix of the old and new text), as an offset from the entry's anchor (where the
 * entry's text starts). Unwrap puts the original bytes back when the entry still holds exactly
 * the recorded bytes at that place, so edits elsewhere in the file meanwhile do not matter. When
 * the record is missing or the entry was edited since, unwrap rebuilds `command` and `args` from
 * what follows `--` in the proxy's arguments: the same server, not necessarily the same bytes.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConfigBackend, ParsedConfig, ServerEntry } from './config-types.js';
import { wrappedCommand, type ProxyPaths, type StdioCommand } from './proxy-command.js';

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
  const inner = innerCommand(entry);
  if (!inner) throw new PlanError(`${config.location.path}: "${entry.name}" proxies a remote server; unwrapping those is not supported yet`);
  if (record) {
    const anchor = backend.entryAnchor(text, entry.keyPath);
    if (anchor !== undefined) {
      const start = anchor + record.offset;
      if (text.slice(start, start + record.wrapped.length) === record.wrapped) {
        const restored = text.slice(0, start) + record.original + text.slice(start + record.wrapped.length);
        const before = backend.parse(config.location, text).value;
        let after: unknown;
        try {
          after = backend.parse(config.location, restored).value;
        } catch {
          after = undefined;
        }
        if (after !== undefined && onlyCommandChanged(before, after, entry.keyPath, inner)) return { text: restored, exact: true };
      }
    }
  }
  return { text: checkedEdit(backend, config, text, entry, inner), exact: false };
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
    const inner = innerCommand(entry);
    if (!inner) throw new PlanError(`${config.location.path}: "${entry.name}" is not a stdio server`);
    const desired = wrappedCommand(inner, paths);
    if (entry.wrapped && entry.command === desired.command && isDeepStrictEqual(entry.args, desired.args)) {
      changes.push({ kind: 'unchanged', entry });
      continue;
    }
    const base = entry.wrapped ? unwrapIn(backend, config, text, entry, record).text : text;
    const next = checkedEdit(backend, config, base, entry, desired);
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
