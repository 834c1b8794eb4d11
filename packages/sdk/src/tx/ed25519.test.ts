/**
 * The two ed25519 implementations (node:crypto under Node, @noble/curves in browsers) must be
 * interchangeable: same keys, same signatures, and the same verdict on every signature,
 * hostile ones included, since validators and browsers judge the same transactions.
 */
import { ED25519_TORSION_SUBGROUP, ed25519 as noble } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../codec/hash.ts';
import * as browser from '../platform/browser/ed25519.ts';
import * as node from '../platform/node/ed25519.ts';

type Ed25519 = typeof node;
const IMPLEMENTATIONS: readonly (readonly [string, Ed25519])[] = [
  ['node', node],
  ['browser', browser],
];

const { Point } = noble;
const ORDER = Point.Fn.ORDER;
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array) =>
  bytesToNumberLE(sha512(concat(r, a, m))) % ORDER;
const signatureOf = (r: Uint8Array, s: bigint) => concat(r, numberToBytesLE(s, 32));

/** Both implementations' verdict, asserting they agree. */
function verdict(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const fromNode = node.verify(signature, message, publicKey);
  expect(browser.verify(signature, message, publicKey), 'browser and node disagree').toBe(fromNode);
  return fromNode;
}

// RFC 8032 §7.1, tests 1 to 3.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

// ed25519-speccheck (Chalkias et al., "Taming the many EdDSAs", 2020): message, A, R ‖ s.
// Under our rule only vector 3 verifies: 0–2 carry small-order A or R, 4–5 need the
// cofactored equation, 6–7 have s ≥ L, 8–9 a non-canonical R, 10–11 a non-canonical A.
const SPECCHECK: readonly (readonly [string, string, string])[] = [
  [
    '8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000',
  ],
  [
    '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  ],
  [
    'aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e',
  ],
  [
    '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009',
  ],
  [
    'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09',
  ],
  [
    'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    '21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405',
  ],
  [
    '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    'e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514',
  ],
  [
    '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    '8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22',
  ],
  [
    '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f',
  ],
  [
    '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908',
  ],
  [
    'e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  ],
  [
    '39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  ],
];

describe('ed25519 implementations', () => {
  it('reproduce RFC 8032 test vectors 1–3', () => {
    for (const [name, impl] of IMPLEMENTATIONS) {
      for (const v of RFC8032) {
        const seed = fromHex(v.seed);
        const message = fromHex(v.message);
        expect(toHex(impl.getPublicKey(seed)), name).toBe(v.publicKey);
        expect(toHex(impl.sign(message, seed)), name).toBe(v.signature);
        expect(impl.verify(fromHex(v.signature), message, fromHex(v.publicKey)), name).toBe(true);
      }
    }
  });

  it('sign with one, verify with the other; any flipped bit fails in both', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.nat(),
        (seed, message, bit) => {
          const publicKey = node.getPublicKey(seed);
          expect(toHex(browser.getPublicKey(seed))).toBe(toHex(publicKey));
          const signature = node.sign(message, seed);
          expect(toHex(browser.sign(message, seed))).toBe(toHex(signature));
          expect(verdict(signature, message, publicKey)).toBe(true);
          const flipped = signature.slice();
          flipped[(bit >> 3) % 64]! ^= 1 << (bit & 7);
          expect(verdict(flipped, message, publicKey)).toBe(false);
          const otherKey = publicKey.slice();
          otherKey[(bit >> 3) % 32]! ^= 1 << (bit & 7);
          expect(verdict(signature, message, otherKey)).toBe(false);
          if (message.length > 0) {
            const otherMessage = message.slice();
            otherMessage[(bit >> 3) % message.length]! ^= 1 << (bit & 7);
            expect(verdict(signature, otherMessage, publicKey)).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('agree on the speccheck edge cases (only the plain valid signature passes)', () => {
    const verdicts = SPECCHECK.map(([m, a, sig]) => verdict(fromHex(sig), fromHex(m), fromHex(a)));
    expect(verdicts.map((v) => (v ? 'V' : 'X')).join('')).toBe('XXXVXXXXXXXX');
  });

  it('refuse every small-order A and R, even where the cofactorless equation holds', () => {
    const torsion = ED25519_TORSION_SUBGROUP.map((hex) => Point.fromHex(hex));
    const message = new TextEncoder().encode('small order');
    for (const t of torsion) {
      // A = t: with R = [s]B the equation holds whenever [k]t = 0, i.e. k ≡ 0 (mod 8) suffices.
      const a = t.toBytes();
      const s = 5555n;
      const r = Point.BASE.multiply(s).toBytes();
      for (let i = 0; ; i++) {
        const m = concat(message, Uint8Array.of(i));
        if (challenge(r, a, m) % 8n !== 0n) continue;
        expect(verdict(signatureOf(r, s), m, a)).toBe(false);
        break;
      }
    }
    // Every encoding (canonical or not, either sign bit) that decodes to a small-order point.
    const p = Point.Fp.ORDER;
    const ys = [0n, 1n, p - 1n, p, p + 1n, ...torsion.map((t) => t.toAffine().y)];
    for (const y of ys) {
      for (const sign of [0, 0x80]) {
        const encoding = numberToBytesLE(y, 32);
        encoding[31]! |= sign;
        let point: ReturnType<typeof Point.fromBytes>;
        try {
          point = Point.fromBytes(encoding, true);
        } catch {
          continue; // not a point at all (x = 0 cannot be negative for some decoders)
        }
        expect(point.isSmallOrder()).toBe(true);
        const seed = new Uint8Array(32).fill(1);
        const good = node.sign(message, seed);
        expect(verdict(good, message, encoding)).toBe(false);
        expect(verdict(concat(encoding, good.subarray(32)), message, node.getPublicKey(seed))).toBe(false);
      }
    }
  });

  it('verify cofactorless: mixed-order A passes only when the strict equation holds', () => {
    const torsion = ED25519_TORSION_SUBGROUP.map((hex) => Point.fromHex(hex));
    const secret = 123_456_789n;
    const nonce = 987_654_321n;
    for (const t of [torsion[1]!, torsion[2]!, torsion[4]!]) {
      const a = Point.BASE.multiply(secret).add(t).toBytes();
      const r = Point.BASE.multiply(nonce).toBytes();
      let strict = 0;
      let cofactoredOnly = 0;
      for (let i = 0; strict < 1 || cofactoredOnly < 1; i++) {
        const m = Uint8Array.of(i, 1);
        const k = challenge(r, a, m);
        const signature = signatureOf(r, (nonce + k * secret) % ORDER);
        // [s]B − [k]A = R − [k]t: equal to R iff [k]t is the identity.
        const holds = t.multiplyUnsafe(k).is0();
        expect(verdict(signature, m, a)).toBe(holds);
        if (holds) strict++;
        else {
          cofactoredOnly++;
          expect(noble.verify(signature, m, a)).toBe(true); // why noble's own verify is not used
        }
      }
    }
  });

  it('never throw on hostile input', () => {
    const seed = new Uint8Array(32).fill(7);
    const message = Uint8Array.of(1, 2, 3);
    const signature = node.sign(message, seed);
    const publicKey = node.getPublicKey(seed);
    const highS = signatureOf(signature.subarray(0, 32), bytesToNumberLE(signature.subarray(32)) + ORDER);
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2; // y = 2 is not on the curve
    const cases: [unknown, unknown, unknown][] = [
      [signature.subarray(0, 63), message, publicKey],
      [concat(signature, Uint8Array.of(0)), message, publicKey],
      [signature, message, publicKey.subarray(0, 31)],
      [signature, message, new Uint8Array(33)],
      [signature, message, notAPoint],
      [highS, message, publicKey],
      [new Uint8Array(64), message, publicKey],
      [new Uint8Array(64).fill(0xff), message, new Uint8Array(32).fill(0xff)],
      ['not bytes', message, publicKey],
      [signature, null, publicKey],
      [signature, message, [...publicKey]],
    ];
    for (const [name, impl] of IMPLEMENTATIONS) {
      for (const [s, m, a] of cases) {
        expect(impl.verify(s as Uint8Array, m as Uint8Array, a as Uint8Array), name).toBe(false);
      }
      expect(impl.verify(signature, message, publicKey), name).toBe(true);
      expect(() => impl.sign(message, new Uint8Array(31)), name).toThrow(RangeError);
      expect(() => impl.getPublicKey(new Uint8Array(64)), name).toThrow(RangeError);
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (s, a) => {
          expect(verdict(s, message, a)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('node: cached keys stay correct when the caller reuses or overwrites its buffers', () => {
    const buffer = new Uint8Array(64);
    const first = buffer.subarray(0, 32).fill(1);
    const message = Uint8Array.of(9);
    const signedByFirst = node.sign(message, first);
    first.fill(2); // same buffer and offset, different seed: must not reuse the cached key
    const signedBySecond = node.sign(message, first);
    expect(toHex(signedBySecond)).toBe(toHex(browser.sign(message, new Uint8Array(32).fill(2))));
    expect(toHex(signedByFirst)).toBe(toHex(browser.sign(message, new Uint8Array(32).fill(1))));
    // Many keys through the bounded public-key cache: verdicts never change.
    const seeds = Array.from({ length: 50 }, (_, i) => new Uint8Array(32).fill(i + 10));
    for (let round = 0; round < 2; round++) {
      for (const seed of seeds) {
        const publicKey = node.getPublicKey(seed);
        expect(node.verify(node.sign(message, seed), message, publicKey)).toBe(true);
        expect(node.verify(signedByFirst, message, publicKey)).toBe(false);
      }
    }
  });
});
