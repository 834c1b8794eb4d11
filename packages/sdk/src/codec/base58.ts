/**
 * base58 with the Bitcoin/Solana alphabet: addresses (32-byte ed25519 public keys), curve ids and
 * transaction ids (64-byte signatures) at the edges of the system, exactly as on Solana.
 *
 * Leading zero bytes map one-to-one to leading '1's and the rest is the big-endian number in
 * base 58 without leading zeros, so every byte string has exactly one encoding and decoding is
 * its exact inverse (no other string decodes to the same bytes).
 *
 * The conversion works on limbs of 58^5 (encode) and 2^16 (decode) instead of one digit at a
 * time: about 5× fewer inner steps, and every intermediate stays below 2^53.
 */
import { AssetL2Error } from '../errors/index.ts';
import { CodecError } from './codec.ts';

export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** 58^5 < 2^30: a limb of five base-58 digits; limb · 2^16 + carry stays below 2^53. */
const LIMB = 58 ** 5;
const LIMB_DIGITS = 5;
/** log(256) / log(58): base-58 digits per byte. */
const DIGITS_PER_BYTE = Math.log(256) / Math.log(58);

const ALPHABET_CODES = Uint8Array.from(BASE58_ALPHABET, (c) => c.charCodeAt(0));
/** Character code → digit value, -1 for anything outside the alphabet. */
const DIGIT_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) DIGIT_OF[BASE58_ALPHABET.charCodeAt(i)] = i;

/** The longest base58 text `byteLength` bytes can encode to (44 for 32 bytes, 88 for 64). */
export function maxBase58Length(byteLength: number): number {
  return Math.ceil(byteLength * DIGITS_PER_BYTE);
}

export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Little-endian limbs of 58^5, fed two bytes at a time (big-endian input).
  const limbs = new Float64Array(Math.ceil(((bytes.length - zeros) * DIGITS_PER_BYTE) / LIMB_DIGITS) + 1);
  let used = 0;
  let i = zeros;
  if ((bytes.length - zeros) % 2 === 1) {
    limbs[0] = bytes[i++]!;
    used = 1;
  }
  for (; i < bytes.length; i += 2) {
    let carry = bytes[i]! * 256 + bytes[i + 1]!;
    for (let j = 0; j < used; j++) {
      const x = limbs[j]! * 65536 + carry;
      carry = Math.floor(x / LIMB);
      limbs[j] = x - carry * LIMB;
    }
    while (carry > 0) {
      limbs[used++] = carry % LIMB;
      carry = Math.floor(carry / LIMB);
    }
  }
  // Digits right to left as character codes; the most significant limb without leading zeros.
  const codes = new Uint8Array(used * LIMB_DIGITS);
  let at = codes.length;
  for (let j = 0; j < used; j++) {
    let limb = limbs[j]!; // < 58^5 < 2^31: integer arithmetic from here
    for (let d = 0; d < LIMB_DIGITS && (limb > 0 || j < used - 1); d++) {
      const quotient = (limb / 58) | 0;
      codes[--at] = ALPHABET_CODES[limb - quotient * 58]!;
      limb = quotient;
    }
  }
  return '1'.repeat(zeros) + String.fromCharCode(...codes.subarray(at));
}

/**
 * Strict decoding: any character outside the alphabet (including whitespace, '0', 'O', 'I',
 * 'l') throws CodecError INVALID_STRING at its index. With `expectedLength`, text longer than
 * that many bytes can encode is refused before any work (the conversion is quadratic, so bound
 * untrusted input this way), and any other decoded length throws CodecError OUT_OF_RANGE.
 */
export function decodeBase58(text: string, expectedLength?: number): Uint8Array {
  if (expectedLength !== undefined && text.length > maxBase58Length(expectedLength)) {
    throw new CodecError('TOO_LONG', `base58 text of ${text.length} characters is too long`, 0);
  }
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  // Little-endian limbs of 2^16, fed five digits (one 58^5 limb) at a time.
  const limbs = new Float64Array(Math.ceil((text.length - zeros) / DIGITS_PER_BYTE / 2) + 1);
  let used = 0;
  let i = zeros;
  while (i < text.length) {
    let chunk = 0;
    let scale = 1;
    const end = Math.min(i + LIMB_DIGITS, text.length);
    for (; i < end; i++) {
      const code = text.charCodeAt(i);
      const digit = code < 128 ? DIGIT_OF[code]! : -1;
      if (digit < 0)
        throw new CodecError('INVALID_STRING', `invalid base58 character ${JSON.stringify(text[i])}`, i);
      chunk = chunk * 58 + digit;
      scale *= 58;
    }
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      const x = limbs[j]! * scale + carry;
      carry = Math.floor(x / 65536);
      limbs[j] = x - carry * 65536;
    }
    while (carry > 0) {
      limbs[used++] = carry % 65536;
      carry = Math.floor(carry / 65536);
    }
  }
  let significant = used * 2;
  if (used > 0 && limbs[used - 1]! < 256) significant--;
  const out = new Uint8Array(zeros + significant);
  for (let j = 0, at = out.length - 1; at >= zeros; j++) {
    const limb = limbs[j]!;
    out[at--] = limb & 0xff;
    if (at >= zeros) out[at--] = limb >>> 8;
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new CodecError(
      'OUT_OF_RANGE',
      `base58 text decodes to ${out.length} bytes, expected ${expectedLength}`,
      0,
    );
  }
  return out;
}

/** base58 of a 32-byte public key (or curve id), as Solana shows addresses. */
export function encodeAddress(bytes: Uint8Array): string {
  if (bytes.length !== 32) throw new RangeError(`an address is 32 bytes, got ${bytes.length}`);
  return encodeBase58(bytes);
}

/** The 32 bytes of a base58 address; throws AssetL2Error INVALID_ADDRESS with a sentence. */
export function decodeAddress(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length < 32 || text.length > maxBase58Length(32)) {
    throw new AssetL2Error('INVALID_ADDRESS', 'not an address: expected 32 to 44 base58 characters');
  }
  try {
    return decodeBase58(text, 32);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    const reason =
      e.reason === 'INVALID_STRING'
        ? `${JSON.stringify(text[e.offset])} at position ${e.offset} is not a base58 character`
        : 'it does not decode to 32 bytes';
    throw new AssetL2Error('INVALID_ADDRESS', `not an address: ${reason}`);
  }
}

export function isAddress(text: string): boolean {
  try {
    decodeAddress(text);
    return true;
  } catch {
    return false;
  }
}
