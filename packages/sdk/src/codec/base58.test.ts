import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssetL2Error } from '../errors/index.ts';
import {
  BASE58_ALPHABET,
  decodeAddress,
  decodeBase58,
  encodeAddress,
  encodeBase58,
  isAddress,
  maxBase58Length,
} from './base58.ts';
import { CodecError } from './codec.ts';
import { fromHex, toHex } from './hash.ts';

/** The textbook digit-at-a-time conversion through BigInt: slow, obviously right. */
function referenceEncode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let digits = '';
  while (n > 0n) {
    digits = BASE58_ALPHABET[Number(n % 58n)] + digits;
    n /= 58n;
  }
  return '1'.repeat(zeros) + digits;
}

// Bitcoin Core's src/test/data/base58_encode_decode.json (hex, base58).
const BITCOIN_VECTORS: readonly (readonly [string, string])[] = [
  ['', ''],
  ['61', '2g'],
  ['626262', 'a3gV'],
  ['636363', 'aPEr'],
  ['73696d706c792061206c6f6e6720737472696e67', '2cFupjhnEsSn59qHXstmK2ffpLv2'],
  ['00eb15231dfceb60925886b67d065299925915aeb172c06647', '1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L'],
  ['516b6fcd0f', 'ABnLTmg'],
  ['bf4f89001e670274dd', '3SEo3LWLoPntC'],
  ['572e4794', '3EFU7m'],
  ['ecac89cad93923c02321', 'EJDM8drfXA6uyA'],
  ['10c8511e', 'Rt5zm'],
  ['00000000000000000000', '1111111111'],
  [`${'00'.repeat(39)}01`, `${'1'.repeat(39)}2`],
  [`${'00'.repeat(86)}ec39d04c37e71e5d591881f6`, `${'1'.repeat(86)}5TYzLYH1udmLdzCLM`],
  [
    '000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5',
    '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
  ],
  ['271F359E', 'zzzzy'],
  ['271F359F', 'zzzzz'],
  ['271F35A0', '211111'],
  ['271F35A1', '211112'],
];

describe('base58', () => {
  it('matches the Bitcoin Core vectors both ways', () => {
    for (const [hex, text] of BITCOIN_VECTORS) {
      expect(encodeBase58(fromHex(hex))).toBe(text);
      expect(toHex(decodeBase58(text))).toBe(hex.toLowerCase());
    }
  });

  it('encodes Solana program ids', () => {
    // The System Program is the all-zero key: 32 zero bytes ↔ 32 '1's.
    expect(encodeAddress(new Uint8Array(32))).toBe('11111111111111111111111111111111');
    expect(decodeAddress('11111111111111111111111111111111')).toEqual(new Uint8Array(32));
    const token = fromHex('06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9');
    expect(encodeAddress(token)).toBe('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
    expect(decodeAddress('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA')).toEqual(token);
    const last = new Uint8Array(32);
    last[31] = 1;
    expect(encodeAddress(last)).toBe('11111111111111111111111111111112');
    expect(encodeAddress(new Uint8Array(32).fill(255))).toHaveLength(44);
  });

  it('agrees with the BigInt reference and round-trips, leading zeros included', () => {
    const withZeros = fc
      .tuple(fc.nat({ max: 8 }), fc.uint8Array({ maxLength: 80 }))
      .map(([zeros, rest]) => new Uint8Array([...new Uint8Array(zeros), ...rest]));
    fc.assert(
      fc.property(withZeros, (bytes) => {
        const text = encodeBase58(bytes);
        expect(text).toBe(referenceEncode(bytes));
        expect(decodeBase58(text)).toEqual(bytes);
        expect(text.length).toBeLessThanOrEqual(maxBase58Length(bytes.length));
      }),
      { numRuns: 2000 },
    );
  });

  it('decoding is the exact inverse: every valid string re-encodes to itself', () => {
    const text = fc.string({ unit: fc.constantFrom(...BASE58_ALPHABET), maxLength: 100 });
    fc.assert(
      fc.property(text, (s) => {
        expect(encodeBase58(decodeBase58(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects characters outside the alphabet, with their position', () => {
    for (const bad of ['0', 'O', 'I', 'l', ' ', '+', '/', 'é', '\n', '１']) {
      const text = `abc${bad}def`;
      expect(() => decodeBase58(text)).toThrow(CodecError);
      try {
        decodeBase58(text);
      } catch (e) {
        expect((e as CodecError).reason).toBe('INVALID_STRING');
        expect((e as CodecError).offset).toBe(3);
      }
    }
  });

  it('bounds the length when the decoded size is known', () => {
    expect(maxBase58Length(32)).toBe(44);
    expect(maxBase58Length(64)).toBe(88);
    expect(() => decodeBase58('2'.repeat(89), 64)).toThrow(/too long/);
    expect(() => decodeBase58('2'.repeat(10), 64)).toThrow(/decodes to 7 bytes, expected 64/);
  });
});

describe('addresses', () => {
  function addressError(text: string): string {
    try {
      decodeAddress(text);
      return 'decoded';
    } catch (e) {
      expect(e).toBeInstanceOf(AssetL2Error);
      expect((e as AssetL2Error).code).toBe('INVALID_ADDRESS');
      return (e as AssetL2Error).message;
    }
  }

  it('round-trips every 32-byte key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const text = encodeAddress(key);
        expect(text.length).toBeGreaterThanOrEqual(32);
        expect(text.length).toBeLessThanOrEqual(44);
        expect(decodeAddress(text)).toEqual(key);
        expect(isAddress(text)).toBe(true);
      }),
    );
  });

  it('throws INVALID_ADDRESS with a sentence for anything else', () => {
    expect(addressError('')).toMatch(/32 to 44/);
    expect(addressError('1111111111111111111111111111111')).toMatch(/32 to 44/); // 31 chars
    expect(addressError('z'.repeat(45))).toMatch(/32 to 44/);
    expect(addressError('z'.repeat(44))).toMatch(/does not decode to 32 bytes/); // 33 bytes
    expect(addressError('1'.repeat(33))).toMatch(/does not decode to 32 bytes/); // 33 zero bytes
    expect(addressError(`${'1'.repeat(31)}0`)).toMatch(/"0" at position 31 is not a base58 character/);
    expect(addressError(' 1111111111111111111111111111111')).toMatch(/position 0/);
    expect(isAddress('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA ')).toBe(false);
    expect(isAddress(42 as unknown as string)).toBe(false);
    expect(() => encodeAddress(new Uint8Array(31))).toThrow(RangeError);
  });
});
