/**
 * The chain that links audit lines (docs/audit-log.md): each line's `prev` is the previous line's
 * chain value, the SHA-256 of its exact bytes, or with a key (`--audit-key`) their HMAC-SHA256.
 * A run's first line links to the line before it by plain SHA-256, whatever the key: a proxy
 * continuing a log need not hold the key the previous run used.
 *
 * Checkpoint and seal lines end with their own `head`: the chain value of the line as it would be
 * without that last member, so the line vouches for itself (a seal has no successor to do it).
 */
import { createHmac } from 'node:crypto';
import type { AuditKey } from './key.js';
import { sha256Hex } from './hash.js';

export type ChainKind = 'sha256' | 'hmac-sha256';

export interface Chain {
  readonly kind: ChainKind;
  /** The key's id, for hmac-sha256. */
  readonly keyId?: string;
  value(line: string | Uint8Array): string;
}

export const SHA256_CHAIN: Chain = { kind: 'sha256', value: sha256Hex };

export function hmacChain(key: AuditKey): Chain {
  return {
    kind: 'hmac-sha256',
    keyId: key.id,
    value: (line) => createHmac('sha256', key.bytes).update(line).digest('hex'),
  };
}

export function chainFor(key: AuditKey | undefined): Chain {
  return key ? hmacChain(key) : SHA256_CHAIN;
}

const HEAD_PREFIX = ',"head":"';
/** `,"head":"` + 64 hex digits + `"}`. */
const HEAD_SUFFIX_BYTES = HEAD_PREFIX.length + 64 + 2;
const HEX64 = /^[0-9a-f]{64}$/;

/** Appends `head` to a line given as its JSON text without it (a closed object). */
export function withHead(text: string, chain: Chain): { line: string; head: string } {
  const head = chain.value(text);
  return { line: `${text.slice(0, -1)}${HEAD_PREFIX}${head}"}`, head };
}

/**
 * Splits a checkpoint or seal line into its text without the head member and the head, or
 * undefined when the line does not end with a head member exactly as the writer writes it.
 */
export function splitHead(line: Buffer): { text: Buffer; head: string } | undefined {
  if (line.length < HEAD_SUFFIX_BYTES + 2) return undefined;
  const start = line.length - HEAD_SUFFIX_BYTES;
  if (line.toString('latin1', start, start + HEAD_PREFIX.length) !== HEAD_PREFIX || line.toString('latin1', line.length - 2) !== '"}') return undefined;
  const head = line.toString('latin1', start + HEAD_PREFIX.length, line.length - 2);
  if (!HEX64.test(head)) return undefined;
  return { text: Buffer.concat([line.subarray(0, start), Buffer.from('}')]), head };
}
