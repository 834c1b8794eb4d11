/**
 * ed25519 keypairs in the Solana CLI key-file format, so existing wallets and `solana-keygen`
 * files work unchanged: a JSON array of 64 numbers, the 32-byte seed then the 32-byte public
 * key. Reading and writing the files themselves is the CLI's business (no file IO here).
 */
import { getPublicKey } from '#platform/ed25519.ts';
import { encodeAddress } from '../codec/base58.ts';
import { AssetL2Error } from '../errors/index.ts';

export interface Keypair {
  /** 32 bytes: the address, base58-encoded. */
  readonly publicKey: Uint8Array;
  /** 64 bytes, as in Solana key files: seed (32) ‖ public key (32). */
  readonly secretKey: Uint8Array;
}

export function keypairFromSeed(seed: Uint8Array): Keypair {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new AssetL2Error('INVALID_KEY', 'an ed25519 seed is 32 bytes');
  }
  const publicKey = getPublicKey(seed);
  const secretKey = new Uint8Array(64);
  secretKey.set(seed);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

export function generateKeypair(): Keypair {
  return keypairFromSeed(crypto.getRandomValues(new Uint8Array(32)));
}

/** A 64-byte secret key whose public half must be the one its seed derives. */
export function keypairFromSecretKey(secretKey: Uint8Array): Keypair {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 64) {
    throw new AssetL2Error(
      'INVALID_KEY',
      'a secret key is 64 bytes: the 32-byte seed then the 32-byte public key',
    );
  }
  const keypair = keypairFromSeed(secretKey.subarray(0, 32));
  if (!keypair.publicKey.every((b, i) => b === secretKey[32 + i])) {
    throw new AssetL2Error(
      'INVALID_KEY',
      'the secret key is corrupt: its public half is not the public key of its seed',
    );
  }
  return keypair;
}

/** Parses a Solana CLI key file; throws INVALID_KEY with a sentence naming what is wrong. */
export function parseKeypairFile(text: string): Keypair {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AssetL2Error('INVALID_KEY', 'the key file is not JSON (expected an array of 64 numbers)');
  }
  if (!Array.isArray(value)) {
    throw new AssetL2Error(
      'INVALID_KEY',
      'the key file is not a JSON array (expected an array of 64 numbers)',
    );
  }
  if (value.length !== 64) {
    throw new AssetL2Error('INVALID_KEY', `the key file holds ${value.length} numbers, expected 64`);
  }
  const bad = value.findIndex((n) => !Number.isInteger(n) || n < 0 || n > 255);
  if (bad >= 0) {
    throw new AssetL2Error(
      'INVALID_KEY',
      `the key file's entry ${bad} is ${JSON.stringify(value[bad]) ?? String(value[bad])}, expected an integer from 0 to 255`,
    );
  }
  return keypairFromSecretKey(Uint8Array.from(value as number[]));
}

/** The key file text, byte for byte what `solana-keygen` writes: `[n,n,...]`. */
export function serializeKeypairFile(keypair: Keypair): string {
  return JSON.stringify(Array.from(keypair.secretKey));
}

/** base58 address of a keypair (or of a raw 32-byte public key). */
export function addressOf(keypair: Keypair | Uint8Array): string {
  return encodeAddress(keypair instanceof Uint8Array ? keypair : keypair.publicKey);
}

/** The seed half, which is what ed25519 signs with. */
export function seedOf(keypair: Keypair): Uint8Array {
  return keypair.secretKey.subarray(0, 32);
}
