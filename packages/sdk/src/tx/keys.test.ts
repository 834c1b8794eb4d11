import { describe, expect, it } from 'vitest';
import { decodeAddress } from '../codec/base58.ts';
import { fromHex, toHex } from '../codec/hash.ts';
import { AssetL2Error } from '../errors/index.ts';
import {
  addressOf,
  generateKeypair,
  keypairFromSecretKey,
  keypairFromSeed,
  parseKeypairFile,
  serializeKeypairFile,
} from './keys.ts';

function keyError(text: string): string {
  try {
    parseKeypairFile(text);
    return 'parsed';
  } catch (e) {
    expect(e).toBeInstanceOf(AssetL2Error);
    expect((e as AssetL2Error).code).toBe('INVALID_KEY');
    return (e as AssetL2Error).message;
  }
}

// RFC 8032 test 1: the seed and the public key it derives.
const SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

describe('keypairs and Solana CLI key files', () => {
  it('derive the public key and lay out seed ‖ public key', () => {
    const keypair = keypairFromSeed(SEED);
    expect(toHex(keypair.publicKey)).toBe(PUBLIC_KEY);
    expect(toHex(keypair.secretKey)).toBe(toHex(SEED) + PUBLIC_KEY);
    expect(toHex(decodeAddress(addressOf(keypair)))).toBe(PUBLIC_KEY);
    expect(addressOf(keypair.publicKey)).toBe(addressOf(keypair));
  });

  it('round-trip through the file format, which is a bare JSON array of 64 bytes', () => {
    const keypair = generateKeypair();
    const text = serializeKeypairFile(keypair);
    expect(text).toMatch(/^\[(\d{1,3},){63}\d{1,3}\]$/);
    const back = parseKeypairFile(text);
    expect(toHex(back.secretKey)).toBe(toHex(keypair.secretKey));
    expect(toHex(back.publicKey)).toBe(toHex(keypair.publicKey));
    // As solana-keygen and editors write it: whitespace and a trailing newline are fine.
    expect(toHex(parseKeypairFile(`${JSON.stringify([...keypair.secretKey], null, 1)}\n`).publicKey)).toBe(
      toHex(keypair.publicKey),
    );
    expect(toHex(generateKeypair().publicKey)).not.toBe(toHex(keypair.publicKey));
  });

  it('refuse files of the wrong shape with a sentence', () => {
    const bytes = [...keypairFromSeed(SEED).secretKey];
    expect(keyError('not json')).toMatch(/not JSON/);
    expect(keyError('{"secretKey": []}')).toMatch(/not a JSON array/);
    expect(keyError(JSON.stringify(bytes.slice(0, 63)))).toMatch(/holds 63 numbers, expected 64/);
    expect(keyError(JSON.stringify([...bytes, 0]))).toMatch(/holds 65 numbers, expected 64/);
    expect(keyError(JSON.stringify(bytes.slice(0, 32)))).toMatch(/holds 32 numbers/);
    for (const [bad, shown] of [
      [1.5, '1.5'],
      ['7', '"7"'],
      [null, 'null'],
      [-1, '-1'],
      [256, '256'],
      [true, 'true'],
    ] as const) {
      const file = [...bytes];
      file[10] = bad as number;
      expect(keyError(JSON.stringify(file))).toBe(
        `the key file's entry 10 is ${shown}, expected an integer from 0 to 255`,
      );
    }
  });

  it('refuse a file whose public half does not belong to its seed', () => {
    const bytes = [...keypairFromSeed(SEED).secretKey];
    bytes[40]! ^= 1;
    expect(keyError(JSON.stringify(bytes))).toMatch(/public half is not the public key of its seed/);
    const swapped = [...bytes.slice(32), ...bytes.slice(0, 32)];
    expect(keyError(JSON.stringify(swapped))).toMatch(/public half/);
    expect(() => keypairFromSecretKey(new Uint8Array(32))).toThrow(/64 bytes/);
    expect(() => keypairFromSeed(new Uint8Array(31))).toThrow(AssetL2Error);
  });
});
