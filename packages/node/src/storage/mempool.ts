/**
 * Durable pending transactions (what the mempool admitted and told the submitter "accepted").
 *
 *   mempool  txId (the 64 signature bytes) → admittedAt f64 · the transaction's bytes
 *
 * Implements the mempool's MempoolStore interface (mempool/store.ts) structurally.
 */
import { decode, encode } from '@assetl2/sdk';
import { type MempoolValue, mempoolValueCodec, txIdKey, txIdOfKey } from './codecs.ts';
import type { StorageEnvironment } from './environment.ts';

export interface MempoolRecord {
  /** transactionId(tx): base58 of the signature. */
  readonly txId: string;
  /** The signed transaction as received. */
  readonly bytes: Uint8Array;
  /** Milliseconds since the Unix epoch, from the mempool's clock. */
  readonly admittedAt: number;
}

export class MempoolRepository {
  constructor(private readonly env: StorageEnvironment) {}

  /**
   * Writes the entries in one atomic transaction and resolves once it is committed and synced
   * to disk (environment.ts: overlappingSync off), so an entry whose put resolved survives a
   * crash. Entries already stored are overwritten. Throws RangeError, writing nothing, for an
   * id that is not a transaction id or a non-finite admittedAt.
   */
  put(entries: readonly MempoolRecord[]): Promise<void> {
    let prepared: (readonly [Uint8Array, Uint8Array])[];
    try {
      prepared = entries.map((entry) => {
        const value: MempoolValue = { admittedAt: entry.admittedAt, bytes: entry.bytes };
        return [txIdKey(entry.txId), encode(mempoolValueCodec, value)] as const;
      });
    } catch (e) {
      return Promise.reject(e);
    }
    if (prepared.length === 0) return Promise.resolve();
    return this.env.write(() => {
      const db = this.env.db('mempool');
      for (const [key, value] of prepared) db.putSync(key, value);
    });
  }

  /** Removes these entries; unknown or malformed ids are ignored. Durable when resolved. */
  delete(txIds: readonly string[]): Promise<void> {
    const keys = prepareMempoolRemovals(txIds);
    if (keys.length === 0) return Promise.resolve();
    return this.env.write(() => this.removePrepared(keys));
  }

  /** Every stored entry, ordered by admittedAt then txId bytes. */
  loadAll(): MempoolRecord[] {
    const records: { record: MempoolRecord; key: Uint8Array }[] = [];
    for (const { key, value } of this.env.db('mempool').getRange({})) {
      const { admittedAt, bytes } = decode(mempoolValueCodec, value);
      const keyCopy = new Uint8Array(key);
      records.push({ record: { txId: txIdOfKey(keyCopy), bytes, admittedAt }, key: keyCopy });
    }
    // Key order is the ids' byte order; a stable sort keeps it among equal times.
    records.sort((a, b) => a.record.admittedAt - b.record.admittedAt);
    return records.map((r) => r.record);
  }

  has(txId: string): boolean {
    try {
      return this.env.db('mempool').doesExist(txIdKey(txId));
    } catch {
      return false;
    }
  }

  /** Inside a write transaction (delete, Storage.commitBlock). */
  removePrepared(keys: readonly Uint8Array[]): void {
    const db = this.env.db('mempool');
    for (const key of keys) db.removeSync(key);
  }
}

/** Keys of the ids that can be transaction ids (others cannot be stored, so nothing to remove). */
export function prepareMempoolRemovals(txIds: readonly string[]): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (const txId of txIds) {
    try {
      keys.push(txIdKey(txId));
    } catch {
      // not an id any entry could have
    }
  }
  return keys;
}
