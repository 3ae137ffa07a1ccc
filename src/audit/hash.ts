import * as crypto from 'node:crypto';

// crypto.hash (Node ≥ 20.12) is a one-shot digest without a Hash object: a third of the cost per
// audit line. Older Node 20 releases fall back to createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}
