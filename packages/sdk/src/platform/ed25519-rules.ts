/**
 * The parts of the ed25519 verification rule both platform implementations share (node/ and
 * browser/ ed25519.ts), so Node and browsers accept exactly the same signatures.
 */

/**
 * The small-order points of edwards25519 as encodings with the sign bit cleared: the identity,
 * the point of order 2, the order-4 point (y = 0), the two order-8 y values, and the two
 * non-canonical encodings y = p and y = p + 1 that also decode to small-order points.
 * Refused as public keys and as R: runtimes disagree on them (Node 24's OpenSSL rejects what
 * Node 20 accepts), and validators must not split on their runtime's version.
 */
const SMALL_ORDER_ENCODINGS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((hex) => Uint8Array.from(hex.match(/../g)!, (byte) => Number.parseInt(byte, 16)));

export function isSmallOrderEncoding(point: Uint8Array): boolean {
  next: for (const candidate of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 31; i++) if (point[i] !== candidate[i]) continue next;
    if ((point[31]! & 0x7f) === candidate[31]) return true;
  }
  return false;
}

export function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== 32)
    throw new RangeError('an ed25519 seed is 32 bytes');
}
