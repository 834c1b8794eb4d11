import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** sha256 in pure JavaScript for browsers. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}
