import { describe, expect, it } from 'vitest';
import { AssetL2Error } from '../errors/index.ts';
import { decodeTransaction, encodeTransaction, encodeUnsignedTransaction } from './codec.ts';
import {
  SAMPLE_CHAIN_ID,
  SAMPLE_KEYPAIR,
  SAMPLE_OPERATIONS,
  sampleTransaction,
  sampleUnsigned,
} from './fixtures/transactions.ts';
import { ed25519 } from './index.ts';
import { keypairFromSeed } from './keys.ts';
import { signTransaction, verifyTransaction, verifyTransactionSignature } from './sign.ts';
import { signingHash } from './signing.ts';
import type { Transaction } from './types.ts';

function errorCode(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(AssetL2Error);
    return (e as AssetL2Error).code;
  }
}

describe('transaction signatures', () => {
  it('a signed transaction of every operation verifies', () => {
    for (const operation of SAMPLE_OPERATIONS) {
      const tx = sampleTransaction(operation);
      expect(tx.signature).toHaveLength(64);
      expect(verifyTransactionSignature(tx)).toBe(true);
      expect(() => verifyTransaction(tx, SAMPLE_CHAIN_ID)).not.toThrow();
      expect(verifyTransactionSignature(decodeTransaction(encodeTransaction(tx)))).toBe(true);
    }
  });

  it('signing is deterministic and keeps only the transaction fields', () => {
    const unsigned = { ...sampleUnsigned(SAMPLE_OPERATIONS[3]!), extra: 'ignored' };
    const a = signTransaction(unsigned, SAMPLE_KEYPAIR);
    const b = signTransaction(unsigned, SAMPLE_KEYPAIR);
    expect(a.signature).toEqual(b.signature);
    expect(Object.keys(a).sort()).toEqual([
      'chainId',
      'kind',
      'nonce',
      'operation',
      'sender',
      'signature',
      'version',
    ]);
  });

  it('any single flipped bit of the encoded transaction or of the signature fails', () => {
    for (const operation of [
      SAMPLE_OPERATIONS[1]!,
      { op: 'create_curve' as const, template: Uint8Array.of(1, 2) },
    ]) {
      const bytes = encodeTransaction(sampleTransaction(operation));
      let decodable = 0;
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = bytes.slice();
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        let tx: Transaction;
        try {
          tx = decodeTransaction(flipped);
        } catch (e) {
          expect(e).toBeInstanceOf(AssetL2Error);
          continue;
        }
        decodable++;
        expect(verifyTransactionSignature(tx), `bit ${bit}`).toBe(false);
        expect(['TX_BAD_SIGNATURE', 'TX_WRONG_CHAIN']).toContain(
          errorCode(() => verifyTransaction(tx, SAMPLE_CHAIN_ID)),
        );
      }
      // Most flips still decode (field values, keys, the signature) and are caught by the signature.
      expect(decodable).toBeGreaterThan(bytes.length * 8 * 0.9);
    }
  });

  it('TX_WRONG_CHAIN for another chain; re-labelling the chain breaks the signature', () => {
    const tx = sampleTransaction(SAMPLE_OPERATIONS[3]!);
    expect(errorCode(() => verifyTransaction(tx, SAMPLE_CHAIN_ID + 1))).toBe('TX_WRONG_CHAIN');
    const relabelled = { ...tx, chainId: SAMPLE_CHAIN_ID + 1 };
    expect(errorCode(() => verifyTransaction(relabelled, SAMPLE_CHAIN_ID + 1))).toBe('TX_BAD_SIGNATURE');
  });

  it("a signature over another domain's hash of the same bytes does not verify", () => {
    const unsigned = sampleUnsigned(SAMPLE_OPERATIONS[7]!);
    const seed = SAMPLE_KEYPAIR.secretKey.subarray(0, 32);
    const voteHash = signingHash('assetl2/vote/v1', SAMPLE_CHAIN_ID, encodeUnsignedTransaction(unsigned));
    const replayed: Transaction = { ...unsigned, signature: ed25519.sign(voteHash, seed) };
    expect(verifyTransactionSignature(replayed)).toBe(false);
    expect(errorCode(() => verifyTransaction(replayed, SAMPLE_CHAIN_ID))).toBe('TX_BAD_SIGNATURE');
    // …and signing the raw unsigned bytes without the domain does not either.
    const raw: Transaction = {
      ...unsigned,
      signature: ed25519.sign(encodeUnsignedTransaction(unsigned), seed),
    };
    expect(verifyTransactionSignature(raw)).toBe(false);
  });

  it("refuses to sign with a key that is not the sender's", () => {
    const other = keypairFromSeed(new Uint8Array(32).fill(9));
    expect(errorCode(() => signTransaction(sampleUnsigned(SAMPLE_OPERATIONS[5]!), other))).toBe(
      'INVALID_KEY',
    );
  });

  it('verification never throws on hostile transactions', () => {
    const tx = sampleTransaction(SAMPLE_OPERATIONS[3]!);
    const hostile: Transaction[] = [
      { ...tx, signature: tx.signature.subarray(0, 63) },
      { ...tx, signature: new Uint8Array(64) },
      { ...tx, sender: new Uint8Array(32) },
      { ...tx, sender: new Uint8Array(31) },
      { ...tx, nonce: 2n ** 64n },
      { ...tx, nonce: -1n },
      { ...tx, version: 2 },
      { ...tx, chainId: -1 },
    ];
    for (const bad of hostile) expect(verifyTransactionSignature(bad)).toBe(false);
    expect(errorCode(() => verifyTransaction(hostile[2]!, SAMPLE_CHAIN_ID))).toBe('TX_BAD_SIGNATURE');
  });
});
