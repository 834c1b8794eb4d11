/**
 * Signing and verifying transactions: ed25519 over signingHash(TX_DOMAIN, chainId, unsigned
 * bytes). Verification is the most expensive per-transaction step of a validator (~80 µs), so
 * the boolean form neither throws nor allocates errors and is safe to call in bulk on hostile
 * input.
 */
import { sign, verify } from '#platform/ed25519.ts';
import { AssetL2Error } from '../errors/index.ts';
import { encodeUnsignedTransaction } from './codec.ts';
import { type Keypair, seedOf } from './keys.ts';
import { signingHash, TX_DOMAIN } from './signing.ts';
import type { Transaction, UnsignedTransaction } from './types.ts';

/** What the sender's key signs: 32 bytes. */
export function transactionSigningHash(tx: UnsignedTransaction): Uint8Array {
  return signingHash(TX_DOMAIN, tx.chainId, encodeUnsignedTransaction(tx));
}

/**
 * Signs as `keypair`, which must be the transaction's sender (INVALID_KEY otherwise: such a
 * signature could never verify). Throws RangeError for a field its type cannot hold.
 */
export function signTransaction(unsigned: UnsignedTransaction, keypair: Keypair): Transaction {
  if (!sameBytes(unsigned.sender, keypair.publicKey)) {
    throw new AssetL2Error('INVALID_KEY', "the signing key is not the transaction's sender");
  }
  const { version, chainId, sender, nonce, kind, operation } = unsigned;
  const signature = sign(transactionSigningHash(unsigned), seedOf(keypair));
  return { version, chainId, sender, nonce, kind, operation, signature };
}

/** True iff the signature is the sender's over this exact transaction and chain; never throws. */
export function verifyTransactionSignature(tx: Transaction): boolean {
  let hash: Uint8Array;
  try {
    hash = transactionSigningHash(tx);
  } catch {
    return false; // a field out of range cannot have been signed
  }
  return verify(tx.signature, hash, tx.sender);
}

/** Throws TX_WRONG_CHAIN or TX_BAD_SIGNATURE; returns nothing when the transaction may run here. */
export function verifyTransaction(tx: Transaction, expectedChainId: number): void {
  if (tx.chainId !== expectedChainId) {
    throw new AssetL2Error(
      'TX_WRONG_CHAIN',
      `the transaction is for chain ${tx.chainId}, this is chain ${expectedChainId}`,
    );
  }
  if (!verifyTransactionSignature(tx)) {
    throw new AssetL2Error('TX_BAD_SIGNATURE', "the signature is not the sender's over this transaction");
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
