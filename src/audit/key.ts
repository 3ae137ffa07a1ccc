/**
 * Audit keys (`policylayer audit keygen`, `proxy --audit-key`, `audit verify --key`): 32 random
 * bytes written as 64 hex digits on one line. With a key the chain is HMAC-SHA256 instead of SHA-256
 * (src/audit/chain.ts), so nobody without the key can rewrite it. A log names its key by a key id,
 * never by the key.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { sha256Hex } from './hash.js';

export interface AuditKey {
  readonly bytes: Buffer;
  /** 16 hex digits derived from the key (a hash with its own label, so it reveals nothing of the key). */
  readonly id: string;
}

export const AUDIT_KEY_BYTES = 32;

export function auditKeyId(bytes: Uint8Array): string {
  return sha256Hex(Buffer.concat([Buffer.from('policylayer audit key id\n'), bytes])).slice(0, 16);
}

/** The key in a key file's text, or what is wrong with it. */
export function parseAuditKey(text: string): AuditKey | string {
  const hex = text.trim();
  if (hex === '') return 'the key file is empty';
  if (!/^[0-9a-fA-F]+$/.test(hex)) return `expected ${AUDIT_KEY_BYTES * 2} hex digits on one line (as \`policylayer audit keygen\` writes)`;
  if (hex.length % 2 !== 0 || hex.length < AUDIT_KEY_BYTES * 2) return `the key is ${hex.length} hex digits; it needs at least ${AUDIT_KEY_BYTES * 2} (${AUDIT_KEY_BYTES} bytes)`;
  const bytes = Buffer.from(hex, 'hex');
  return { bytes, id: auditKeyId(bytes) };
}

/** Reads a key file; exit 2 (InputError) when it cannot be read or is not a key. */
export function readAuditKey(path: string, shown: string): AuditKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === 'ENOENT' ? 'no such key file (create one with `policylayer audit keygen FILE`)' : `cannot read the key file (${code ?? (error as Error).message})`);
  }
  const key = parseAuditKey(text);
  if (typeof key === 'string') throw new InputError(shown, key);
  return key;
}

/** Whether users other than the owner may read the file (a key should be mode 0600). */
export function readableByOthers(path: string): number | undefined {
  try {
    const mode = statSync(path).mode & 0o777;
    return (mode & 0o077) !== 0 ? mode : undefined;
  } catch {
    return undefined;
  }
}

/** Creates a new key file, mode 0600; never overwrites one (logs written with it could no longer be verified). */
export function createAuditKey(path: string, shown: string): AuditKey {
  const bytes = randomBytes(AUDIT_KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      shown,
      code === 'EEXIST'
        ? 'already exists; keygen never overwrites a key (logs written with it could no longer be verified)'
        : `cannot create the key file (${code ?? (error as Error).message})`,
    );
  }
  try {
    writeSync(fd, `${bytes.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return { bytes, id: auditKeyId(bytes) };
}
