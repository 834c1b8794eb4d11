/** Signed transactions and fixtures for the mempool tests and the crash child. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeTransaction,
  type Keypair,
  keypairFromSeed,
  type Operation,
  signTransaction,
  TX_VERSION,
  type TxKind,
} from '@assetl2/sdk';
import type { MempoolStore } from '../../src/mempool/index.ts';
import { openStorage } from '../../src/storage/index.ts';

export const CHAIN_ID = 0x4c32;

const keypairs = new Map<number, Keypair>();

/** A deterministic keypair per number (seed: the number, little-endian, then 0x5a). */
export function keypair(n: number): Keypair {
  let kp = keypairs.get(n);
  if (kp === undefined) {
    const seed = new Uint8Array(32).fill(0x5a);
    new DataView(seed.buffer).setUint32(0, n, true);
    kp = keypairFromSeed(seed);
    keypairs.set(n, kp);
  }
  return kp;
}

export interface TxOptions {
  readonly kind?: TxKind;
  readonly chainId?: number;
  /** Default: a lamport transfer (fast) or a CREATE_CURVE with `templateBytes` bytes (big). */
  readonly operation?: Operation;
  readonly templateBytes?: number;
  /** Distinguishes otherwise identical transactions (the transfer amount). */
  readonly amount?: bigint;
}

export function signedTx(sender: Keypair, nonce: bigint | number, options: TxOptions = {}): Uint8Array {
  const kind = options.kind ?? 'fast';
  const operation: Operation =
    options.operation ??
    (kind === 'big'
      ? {
          op: 'create_curve',
          template: Uint8Array.from({ length: options.templateBytes ?? 300 }, (_, i) => (i * 7 + 3) & 0xff),
        }
      : {
          op: 'transfer',
          to: new Uint8Array(32).fill(0xa2),
          asset: { kind: 'lamports' },
          amount: options.amount ?? 1_000n,
        });
  const tx = signTransaction(
    {
      version: TX_VERSION,
      chainId: options.chainId ?? CHAIN_ID,
      sender: sender.publicKey,
      nonce: BigInt(nonce),
      kind,
      operation,
    },
    sender,
  );
  return encodeTransaction(tx);
}

export function tempDir(prefix = 'assetl2-mempool-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Committed nonces that a test moves by hand: nonceOf for the mempool. */
export function nonceBook() {
  const nonces = new Map<string, bigint>();
  return {
    nonceOf: (sender: Uint8Array) => nonces.get(hexOf(sender)) ?? 0n,
    set: (kp: Keypair, nonce: bigint) => nonces.set(hexOf(kp.publicKey), nonce),
  };
}

export interface DurableStore extends MempoolStore {
  close(): Promise<void>;
}

/** The node's real LMDB storage at `path`, seen through the mempool's store interface. */
export function openDurableStore(path: string): DurableStore {
  const storage = openStorage({ path });
  return {
    put: (entries) => storage.mempool.put(entries),
    delete: (txIds) => storage.mempool.delete(txIds),
    loadAll: () => storage.mempool.loadAll(),
    close: () => storage.close(),
  };
}
