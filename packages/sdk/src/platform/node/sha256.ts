import { hash } from 'node:crypto';

/** sha256 through Node's native crypto (one call, no object allocation beyond the result). */
export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}
