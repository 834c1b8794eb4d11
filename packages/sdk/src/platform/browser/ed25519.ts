/**
 * ed25519 in pure JavaScript for browsers (@noble/curves; ~20× slower to verify than OpenSSL,
 * which is why Node uses node:crypto). Same functions and the same verification rule as
 * platform/node/ed25519.ts; a test holds them to each other.
 *
 * noble's own `verify` checks the cofactored equation (and its default accepts ZIP-215
 * encodings), which accepts some hostile signatures that OpenSSL refuses. So verification is
 * spelled out here on noble's point arithmetic to be exactly the Node rule: RFC 8032 §5.1.7,
 * cofactorless encode([s]B − [k]A) == R, s < L, A and R refused when they encode a small-order
 * point. An explorer in a browser then agrees with the validators on every signature.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { checkSeed, isSmallOrderEncoding } from '../ed25519-rules.ts';

const { Point } = ed25519;
const ORDER = Point.Fn.ORDER;

/** The 32-byte public key of a 32-byte seed (RFC 8032 private key). */
export function getPublicKey(seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return ed25519.getPublicKey(seed);
}

/** 64-byte ed25519 signature (R ‖ s) of `message` (deterministic, RFC 8032). */
export function sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return ed25519.sign(message, seed);
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
  const r = signature.subarray(0, 32);
  if (isSmallOrderEncoding(publicKey) || isSmallOrderEncoding(r)) return false;
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= ORDER) return false;
  try {
    // Lenient decoding (y < 2^255, reduced mod p) as OpenSSL decodes A; a non-canonical R can
    // never equal the canonical encoding computed below.
    const a = Point.fromBytes(publicKey, true);
    const challenge = new Uint8Array(64 + message.length);
    challenge.set(r);
    challenge.set(publicKey, 32);
    challenge.set(message, 64);
    const k = bytesToNumberLE(sha512(challenge)) % ORDER;
    const expected = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k)).toBytes();
    let difference = 0;
    for (let i = 0; i < 32; i++) difference |= expected[i]! ^ r[i]!;
    return difference === 0;
  } catch {
    return false;
  }
}
