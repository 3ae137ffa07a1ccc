/**
 * Hostile edits to audit logs, checked with fast-check: lines deleted, edited, inserted, reordered,
 * the file cut anywhere (the last lines included), the chain rewritten from any line on by someone
 * without the key (recomputing every hash, or using a key of their own), forged seals and runs.
 *
 * What must hold (docs/audit-log.md, "What verify can show"):
 * 1. keyed logs, verified with the key: every edit is found, except cutting whole runs off the end
 *    (the file then ends at a seal); with the last head kept (--head), that too;
 * 2. unkeyed logs: every edit made without recomputing the chain is found, except cutting whole
 *    runs off the end; with the last head kept, every edit that changes what the head covers;
 * 3. with --open, a kept checkpoint head still finds every edit to the lines it covers;
 * 4. the summary never contradicts the finding (issue 20): the lines it says verify end before
 *    the line the finding names (at it, for problems at the end).
 *
 * Each property takes the verifier as a parameter, so the last block shows it FAILS for broken
 * verifiers: today's chain-only check, one that skips the seal, one that takes an unkeyed run for a
 * keyed one, one that trusts the seal's content. Shrunk counterexamples are kept in REGRESSIONS
 * and run first every time.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/audit/hash.js';
import type { AuditKey } from '../../src/audit/key.js';
import { GENESIS_HASH } from '../../src/audit/types.js';
import { verifyAuditBytes, type VerifyOptions, type VerifyResult } from '../../src/audit/verify.js';
import { KEY_A, KEY_B, KEY_X, logOf, type RunSpec } from '../helpers/audit-runs.js';

type Verify = (bytes: Buffer, options: VerifyOptions) => VerifyResult;
const verifier: Verify = verifyAuditBytes;

// --- the logs -------------------------------------------------------------------------------

interface Base {
  name: string;
  bytes: Buffer;
  lines: string[];
  keys: AuditKey[];
  /** Byte offsets just after each seal line: cutting there removes whole runs. */
  runEnds: number[];
  /** Head of each checkpoint and seal, with the byte offset where its line ends. */
  heads: Array<{ head: string; end: number }>;
}

const KEYED_SPECS: Record<string, RunSpec[]> = {
  'one keyed run': [{ key: KEY_A, calls: 5 }],
  'three keyed runs': [{ key: KEY_A, calls: 2 }, { key: KEY_A, calls: 3 }, { key: KEY_A, calls: 1 }],
  'runs under two keys': [{ key: KEY_A, calls: 3 }, { key: KEY_B, calls: 3 }],
};
const UNKEYED_SPECS: Record<string, RunSpec[]> = {
  'one run': [{ calls: 5 }],
  'three runs': [{ calls: 2 }, { calls: 3 }, { calls: 1 }],
};

function base(name: string, specs: RunSpec[]): Base {
  const bytes = logOf(specs, 4);
  const text = bytes.toString('utf8');
  const lines = text.trimEnd().split('\n');
  // Cutting everything is cutting whole runs too.
  const runEnds: number[] = [0];
  const heads: Base['heads'] = [];
  let offset = 0;
  for (const line of lines) {
    offset += Buffer.byteLength(line) + 1;
    const entry = JSON.parse(line) as { event: string; head?: string };
    if (entry.head) heads.push({ head: entry.head, end: offset });
    if (entry.event === 'seal') runEnds.push(offset);
  }
  const keys = [...new Set(specs.flatMap((spec) => (spec.key ? [spec.key] : [])))];
  return { name, bytes, lines, keys, runEnds, heads };
}

let keyed: Base[];
let unkeyed: Base[];
beforeAll(() => {
  keyed = Object.entries(KEYED_SPECS).map(([name, specs]) => base(name, specs));
  unkeyed = Object.entries(UNKEYED_SPECS).map(([name, specs]) => base(name, specs));
});

// --- the edits ------------------------------------------------------------------------------

/** Positions are taken modulo the log's size, so one edit applies to any log (negative: from the end). */
type Edit =
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'cut'; at: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'member'; line: number; member: string; value: unknown }
  | { kind: 'copy'; from: number; to: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'foreign'; at: number; text: string };

/** Edits by someone who also recomputes the chain: without the key, or with a key of their own. */
type Forgery =
  | { kind: 'rewrite'; from: number; change: { line: number; member: string; value: unknown }; as: ChainAs }
  | { kind: 'reseal'; keep: number; as: ChainAs }
  | { kind: 'append-run'; as: ChainAs };

type ChainAs = 'sha256' | 'own key' | 'own key, real key id';
type Mutation = Edit | Forgery;

const MEMBERS = ['ts', 'seq', 'prev', 'event', 'outcome', 'tool', 'count', 'head', 'chain', 'key_id', 'rule', 'latency_ms'];
const VALUES: unknown[] = ['allow', 'deny', 'seal', 'checkpoint', 'start', 'sha256', 'hmac-sha256', KEY_A.id, KEY_X.id, 0, 1, 2, 7, null, '2026-11-24T10:00:00.000Z', GENESIS_HASH, 'f'.repeat(64)];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('member' as const), line: fc.nat(), member: fc.constantFrom(...MEMBERS), value: fc.constantFrom(...VALUES) }),
  fc.record({ kind: fc.constant('copy' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('foreign' as const), at: fc.nat(), text: fc.constantFrom('{"hello":"world"}', '', '{"v":1}', '\r', 'null', '{"v":1,"ts":"x","seq":1,"prev":"0","event":"seal"}') }),
);
const chainAs = fc.constantFrom<ChainAs>('sha256', 'own key', 'own key, real key id');
const forgery: fc.Arbitrary<Forgery> = fc.oneof(
  fc.record({
    kind: fc.constant('rewrite' as const),
    from: fc.nat(),
    change: fc.record({ line: fc.nat(), member: fc.constantFrom('outcome', 'tool', 'rule', 'latency_ms', 'ts'), value: fc.constantFrom<unknown>('allow', 'deny', 'hidden_tool', 99, '2026-01-01T00:00:00.000Z') }),
    as: chainAs,
  }),
  fc.record({ kind: fc.constant('reseal' as const), keep: fc.nat(), as: chainAs }),
  fc.record({ kind: fc.constant('append-run' as const), as: chainAs }),
);
/** One to three hostile changes in a row. */
const mutations = (pieces: fc.Arbitrary<Mutation>) => fc.array(pieces, { minLength: 1, maxLength: 3 });
const anyMutation: fc.Arbitrary<Mutation> = fc.oneof({ arbitrary: edit, weight: 3 }, { arbitrary: forgery, weight: 2 });

function applyAll(bytes: Buffer, list: readonly Mutation[]): Buffer {
  return list.reduce((current, mutation) => apply(current, mutation), bytes);
}

function splitLines(bytes: Buffer): { lines: string[]; torn: string | undefined } {
  const text = bytes.toString('latin1');
  const parts = text.split('\n');
  const torn = parts.pop();
  return { lines: parts, torn: torn === '' ? undefined : torn };
}

function join(lines: string[], torn?: string): Buffer {
  return Buffer.from(lines.map((line) => `${line}\n`).join('') + (torn ?? ''), 'latin1');
}

const at = (i: number, n: number) => ((i % n) + n) % n;

function apply(bytes: Buffer, m: Mutation): Buffer {
  const { lines, torn } = splitLines(bytes);
  const n = lines.length;
  switch (m.kind) {
    case 'cut':
      return bytes.subarray(0, bytes.length === 0 ? 0 : at(m.at, bytes.length));
    case 'byte': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      copy[at(m.at, copy.length)] = m.value;
      return copy;
    }
    case 'foreign': {
      const i = at(m.at, n + 1);
      return join([...lines.slice(0, i), m.text, ...lines.slice(i)], torn);
    }
  }
  if (n === 0) return bytes;
  switch (m.kind) {
    case 'delete': {
      const i = at(m.at, n);
      return join([...lines.slice(0, i), ...lines.slice(i + m.count)], torn);
    }
    case 'member': {
      const i = at(m.line, n);
      const entry = parse(lines[i]!);
      if (!entry) return bytes;
      entry[m.member] = m.value;
      return join(lines.map((line, k) => (k === i ? JSON.stringify(entry) : line)), torn);
    }
    case 'copy': {
      const to = at(m.to, n + 1);
      return join([...lines.slice(0, to), lines[at(m.from, n)]!, ...lines.slice(to)], torn);
    }
    case 'swap': {
      const [a, b] = [at(m.a, n), at(m.b, n)];
      const copy = [...lines];
      [copy[a], copy[b]] = [copy[b]!, copy[a]!];
      return join(copy, torn);
    }
    case 'move': {
      const copy = [...lines];
      const [line] = copy.splice(at(m.from, n), 1);
      copy.splice(at(m.to, n), 0, line!);
      return join(copy, torn);
    }
    case 'rewrite': {
      const from = at(m.from, n);
      const entries = lines.map(parse);
      const target = at(m.change.line, n);
      if (target >= from && entries[target]) entries[target]![m.change.member] = m.change.value;
      return join(rechain(lines, entries, from, m.as));
    }
    case 'reseal': {
      // Cut after some line, then forge the seal that should end the run there.
      const keep = (at(m.keep, n)) + 1;
      const kept = lines.slice(0, keep);
      const last = parse(kept.at(-1)!);
      if (!last) return bytes;
      const seq = (last.seq as number) + 1;
      const forged = { v: 1, ts: '2026-11-24T11:00:00.000Z', seq, prev: '', event: 'seal', count: seq };
      const entries = [...kept.map(parse), forged as Record<string, unknown>];
      return join(rechain([...kept, ''], entries, keep, m.as));
    }
    case 'append-run': {
      const last = parse(lines.at(-1)!);
      if (!last || typeof last.seq !== 'number') return bytes;
      const start = { v: 1, ts: '2026-11-24T11:00:00.000Z', seq: last.seq + 1, prev: '', event: 'start', chain: 'sha256' };
      const call = { v: 1, ts: '2026-11-24T11:00:00.100Z', seq: last.seq + 2, prev: '', event: 'call', tool: 'delete_everything', outcome: 'allow' };
      const seal = { v: 1, ts: '2026-11-24T11:00:00.200Z', seq: last.seq + 3, prev: '', event: 'seal', count: last.seq + 3 };
      const all = [...lines, '', '', ''];
      return join(rechain(all, [...lines.map(parse), start, call, seal], n, m.as));
    }
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(line, 'latin1').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What an attacker without the key can do best: re-chain every line from `from` on, as a new run
 * from that line, with SHA-256 or with their own key (naming it, or claiming the real key's id),
 * recomputing each checkpoint and seal head.
 */
function rechain(lines: string[], entries: Array<Record<string, unknown> | undefined>, from: number, as: ChainAs): string[] {
  const key = KEY_X;
  const value = as === 'sha256' ? sha256Hex : (text: string) => createHmac('sha256', key.bytes).update(text).digest('hex');
  const out = lines.slice(0, from).map((line) => line);
  for (let i = from; i < lines.length; i++) {
    const entry = entries[i];
    if (!entry) {
      out.push(lines[i]!);
      continue;
    }
    const opens = i === from || entry.chain !== undefined || entry.event === 'start';
    if (opens) {
      delete entry.chain;
      delete entry.key_id;
      entry.chain = as === 'sha256' ? 'sha256' : 'hmac-sha256';
      if (as !== 'sha256') entry.key_id = as === 'own key' ? key.id : KEY_A.id;
    }
    const previous = out.at(-1);
    entry.prev = previous === undefined ? GENESIS_HASH : opens ? sha256Hex(Buffer.from(previous, 'latin1')) : value(previous);
    delete entry.head;
    let text = JSON.stringify(entry);
    if (entry.event === 'seal' || entry.event === 'checkpoint') text = `${text.slice(0, -1)},"head":"${value(text)}"}`;
    out.push(Buffer.from(text, 'utf8').toString('latin1'));
  }
  return out;
}

// --- the properties -------------------------------------------------------------------------

const isRunPrefix = (original: Base, mutated: Buffer) => original.runEnds.some((end) => end === mutated.length && mutated.equals(original.bytes.subarray(0, end)));
const finalHead = (b: Base) => b.heads.at(-1)!.head;

function keyedProperty(verify: Verify, withHead: boolean) {
  return fc.property(fc.nat(), mutations(anyMutation), (which, list) => {
    const original = keyed[which % keyed.length]!;
    const mutated = applyAll(original.bytes, list);
    fc.pre(!mutated.equals(original.bytes));
    const result = verify(mutated, { keys: original.keys, ...(withHead ? { heads: [finalHead(original)] } : {}) });
    if (!withHead && isRunPrefix(original, mutated)) return true;
    return result.problem !== undefined;
  });
}

function unkeyedProperty(verify: Verify) {
  return fc.property(fc.nat(), mutations(edit), (which, list) => {
    const original = unkeyed[which % unkeyed.length]!;
    const mutated = applyAll(original.bytes, list);
    fc.pre(!mutated.equals(original.bytes) && !isRunPrefix(original, mutated));
    return verify(mutated, {}).problem !== undefined;
  });
}

function unkeyedHeadProperty(verify: Verify) {
  return fc.property(fc.nat(), mutations(anyMutation), (which, list) => {
    const original = unkeyed[which % unkeyed.length]!;
    const mutated = applyAll(original.bytes, list);
    // A head proves the lines it covers; lines appended after them are another matter (keyed logs cover that).
    fc.pre(!(mutated.length >= original.bytes.length && mutated.subarray(0, original.bytes.length).equals(original.bytes)));
    return verify(mutated, { heads: [finalHead(original)] }).problem !== undefined;
  });
}

function openCheckpointProperty(verify: Verify) {
  return fc.property(fc.nat(), fc.nat(), fc.boolean(), mutations(anyMutation), (which, point, useKeyed, list) => {
    const logs = useKeyed ? keyed : unkeyed;
    const original = logs[which % logs.length]!;
    const { head, end } = original.heads[point % original.heads.length]!;
    const mutated = applyAll(original.bytes, list);
    fc.pre(!(mutated.length >= end && mutated.subarray(0, end).equals(original.bytes.subarray(0, end))));
    return verify(mutated, { keys: original.keys, open: true, heads: [head] }).problem !== undefined;
  });
}

function consistentSummaryProperty(verify: Verify) {
  return fc.property(fc.nat(), fc.boolean(), fc.boolean(), mutations(anyMutation), (which, useKeyed, open, list) => {
    const logs = useKeyed ? keyed : unkeyed;
    const original = logs[which % logs.length]!;
    const result = verify(applyAll(original.bytes, list), { keys: original.keys, open });
    const problem = result.problem;
    if (!problem) return true;
    const atEnd = problem.kind === 'unsealed' || problem.kind === 'head-not-found';
    return (atEnd ? problem.intact === problem.line : problem.intact < problem.line) && (problem.kind === 'head-not-found' || new RegExp(`\\b${problem.line}\\b`).test(problem.message));
  });
}

/** Shrunk counterexamples found while building this (each broke a verifier, real or broken), kept. */
const REGRESSIONS: Array<[number, Mutation[]]> = [
  // The seal cut off: today's verifier said intact.
  [0, [{ kind: 'delete', at: -1, count: 1 }]],
  // The seal's time edited: nothing after it to notice.
  [0, [{ kind: 'member', line: -1, member: 'ts', value: '2026-11-24T10:00:00.000Z' }]],
  // The last line before the seal edited.
  [1, [{ kind: 'member', line: -2, member: 'detail', value: 'the server exited (code 0)' }]],
  // The whole chain recomputed without the key.
  [0, [{ kind: 'rewrite', from: 0, change: { line: 3, member: 'outcome', value: 'allow' }, as: 'sha256' }]],
  // Cut inside a line.
  [1, [{ kind: 'cut', at: 1000 }]],
  // A forged seal after cutting the last run short.
  [1, [{ kind: 'reseal', keep: 20, as: 'own key, real key id' }]],
  // Lines appended after the last seal as a new run with a key of one's own.
  [2, [{ kind: 'append-run', as: 'own key' }]],
  // What the broken verifiers below let through (fast-check, seed 42).
  [0, [{ kind: 'delete', at: 355062943, count: 3 }]],
  [0, [{ kind: 'rewrite', from: 0, change: { line: 0, member: 'outcome', value: 'allow' }, as: 'sha256' }]],
  [683223748, [{ kind: 'reseal', keep: 26470753, as: 'own key, real key id' }]],
];
const UNKEYED_REGRESSIONS: Array<[number, Edit[]]> = [
  // The seal's time made invalid: today's verifier said intact.
  [0, [{ kind: 'member', line: 748592249, member: 'ts', value: 'allow' }]],
  [0, [{ kind: 'delete', at: -1, count: 1 }]],
];

describe('hostile edits to audit logs are found', () => {
  const runs = { numRuns: 400 };

  it('keyed logs, verified with the key: every edit but whole runs cut off the end', () => {
    fc.assert(keyedProperty(verifier, false), { ...runs, examples: REGRESSIONS });
  });

  it('keyed logs with the last head kept: every edit, whole runs cut off the end included', () => {
    fc.assert(keyedProperty(verifier, true), { ...runs, examples: REGRESSIONS });
  });

  it('unkeyed logs: every edit made without recomputing the chain, but whole runs cut off the end', () => {
    fc.assert(unkeyedProperty(verifier), { ...runs, examples: UNKEYED_REGRESSIONS });
  });

  it('unkeyed logs with the last head kept: every edit that changes what it covers, recomputed chains included', () => {
    fc.assert(unkeyedHeadProperty(verifier), runs);
  });

  it('with --open, a kept checkpoint head still finds every edit to the lines it covers', () => {
    fc.assert(openCheckpointProperty(verifier), runs);
  });

  it('the summary agrees with the finding: the lines said to verify end before the line named', () => {
    fc.assert(consistentSummaryProperty(verifier), runs);
  });

  it('the regressions, one by one', () => {
    for (const [which, list] of REGRESSIONS) {
      const original = keyed[which % keyed.length]!;
      expect(verifier(applyAll(original.bytes, list), { keys: original.keys }).problem, JSON.stringify(list)).toBeDefined();
    }
    for (const [which, list] of UNKEYED_REGRESSIONS) {
      const original = unkeyed[which % unkeyed.length]!;
      expect(verifier(applyAll(original.bytes, list), {}).problem, JSON.stringify(list)).toBeDefined();
      expect(chainOnly(applyAll(original.bytes, list), {}).problem, JSON.stringify(list)).toBeUndefined();
    }
  });
});

// --- the properties can fail ----------------------------------------------------------------

/** Today's (before seals) verifier: seq and SHA-256 prev only. */
const chainOnly: Verify = (bytes) => {
  const { lines, torn } = splitLines(bytes);
  let prev = GENESIS_HASH;
  for (let i = 0; i < lines.length; i++) {
    const entry = parse(lines[i]!);
    if (!entry || entry.v !== 1 || entry.seq !== i + 1 || entry.prev !== prev) return problemAt(i + 1);
    prev = sha256Hex(Buffer.from(lines[i]!, 'latin1'));
  }
  return torn === undefined ? { lines: lines.length, runs: [], headsFound: [], notes: [] } : problemAt(lines.length + 1);
};

function problemAt(line: number): VerifyResult {
  return { lines: line, runs: [], headsFound: [], notes: [], problem: { kind: 'changed', line, message: `line ${line}`, summary: '', intact: line - 1 } };
}

/** Forgets that a run must end with a seal. */
const skipsSeal: Verify = (bytes, options) => verifyAuditBytes(bytes, { ...options, open: true });

/** Takes a run without a key as good when keys were given. */
const trustsUnkeyed: Verify = (bytes, options) => {
  const result = verifyAuditBytes(bytes, options);
  return result.problem?.kind === 'unkeyed' ? verifyAuditBytes(bytes, { ...options, keys: [] }) : result;
};

/** Does not check a seal's own head. */
const trustsSeal: Verify = (bytes, options) => {
  const result = verifyAuditBytes(bytes, options);
  const problem = result.problem;
  if (problem?.kind !== 'changed' || !problem.message.includes('(the seal)')) return result;
  const { problem: _dropped, ...rest } = result;
  return rest;
};

describe('the properties can fail', () => {
  const fails = <T,>(property: fc.IProperty<T>) => {
    const details = fc.check(property, { numRuns: 2000, seed: 42 });
    if (process.env.SHOW_COUNTEREXAMPLES) console.log(JSON.stringify(details.counterexample));
    return details.failed;
  };

  it('today\'s chain-only verifier misses edits at the end of an unkeyed log', () => {
    expect(fails(unkeyedProperty(chainOnly))).toBe(true);
  });

  it('a verifier that skips the seal misses lines cut off the end', () => {
    expect(fails(keyedProperty(skipsSeal, false))).toBe(true);
  });

  it('a verifier that trusts unkeyed runs misses a chain rewritten without the key', () => {
    expect(fails(keyedProperty(trustsUnkeyed, false))).toBe(true);
  });

  it('a verifier that trusts the seal\'s content misses an edited seal', () => {
    expect(fails(keyedProperty(trustsSeal, false))).toBe(true);
  });
});
