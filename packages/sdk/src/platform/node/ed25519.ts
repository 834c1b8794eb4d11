/**
 * ed25519 through Node's native crypto (OpenSSL). Same functions and the same verification rule
 * as platform/browser/ed25519.ts (@noble/curves); a test holds them to each other.
 *
 * Verification rule (consensus-relevant, identical on every platform and Node version):
 * RFC 8032 §5.1.7 with the cofactorless equation encode([s]B − [k]A) == R, s < L, and both A
 * and R refused when they encode a small-order point. Node itself refuses those on 24.21
 * (nodejs/node#64026) but Node 20 accepts them (measured), so we refuse them here, before
 * OpenSSL: validators on different Node versions must never disagree about a block.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { checkSeed, isSmallOrderEncoding } from '../ed25519-rules.ts';

/** DER SubjectPublicKeyInfo header of an Ed25519 key (OID 1.3.101.112); the raw 32 bytes follow. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER PKCS#8 header of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Verifying with a cached KeyObject is ~1.3–2× faster than rebuilding it from raw bytes. Bounded,
 * least recently used first out (a Map iterates in insertion order; a hit is re-inserted).
 */
const PUBLIC_KEY_CACHE_LIMIT = 4096;
const publicKeys = new Map<string, KeyObject>();

/**
 * Importing a private key derives its public key (a scalar multiplication), which makes a
 * sign ~3× slower than signing with a ready KeyObject. Cached per backing buffer, so the entry
 * goes when the caller's key bytes are garbage-collected; a hit re-checks the seed bytes, so a
 * caller that reuses or overwrites its buffer never signs with a stale key.
 */
const privateKeys = new WeakMap<ArrayBufferLike, Map<number, { seed: Uint8Array; key: KeyObject }>>();

function privateKeyOf(seed: Uint8Array): KeyObject {
  let entries = privateKeys.get(seed.buffer);
  const hit = entries?.get(seed.byteOffset);
  if (hit?.seed.every((b, i) => b === seed[i])) return hit.key;
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  if (!entries) {
    entries = new Map();
    privateKeys.set(seed.buffer, entries);
  }
  entries.set(seed.byteOffset, { seed: seed.slice(), key });
  return key;
}

function publicKeyOf(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1');
  let key = publicKeys.get(id);
  if (key) {
    publicKeys.delete(id);
  } else {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (publicKeys.size >= PUBLIC_KEY_CACHE_LIMIT) publicKeys.delete(publicKeys.keys().next().value!);
  }
  publicKeys.set(id, key);
  return key;
}

/** The 32-byte public key of a 32-byte seed (RFC 8032 private key). */
export function getPublicKey(seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  const spki = createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** 64-byte ed25519 signature (R ‖ s) of `message` (deterministic, RFC 8032). */
export function sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return new Uint8Array(cryptoSign(null, message, privateKeyOf(seed)));
}

/** Never throws: wrong lengths, non-points, small-order points, s ≥ L all give false. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (
    !(signature instanceof Uint8Array) ||
    !(message instanceof Uint8Array) ||
    !(publicKey instanceof Uint8Array)
  ) {
    return false;
  }
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  if (isSmallOrderEncoding(publicKey) || isSmallOrderEncoding(signature.subarray(0, 32))) return false;
  try {
    return cryptoVerify(null, message, publicKeyOf(publicKey), signature);
  } catch {
    return false;
  }
}
