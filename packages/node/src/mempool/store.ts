/**
 * What the mempool needs from storage: a repository of admitted transactions keyed by txId.
 * Implemented on LMDB in storage/ (`openStorage({ path }).mempool`); the mempool knows only
 * this interface, never key layouts.
 */

export interface StoredMempoolEntry {
  /** transactionId(tx): base58 of the signature. */
  readonly txId: string;
  /** The signed transaction exactly as received (its canonical encoding). */
  readonly bytes: Uint8Array;
  /** Milliseconds since the Unix epoch, from the mempool's clock (drives the TTL). */
  readonly admittedAt: number;
}

export interface MempoolStore {
  /**
   * Writes the entries atomically; resolves only once they are durable (committed and synced),
   * so that a process killed right after the promise resolves still has them on restart. The
   * mempool group-commits: one call carries every admission of an event-loop turn.
   */
  put(entries: readonly StoredMempoolEntry[]): Promise<void>;
  /** Removes these entries (unknown ids are ignored). Need not be synced: reload re-checks. */
  delete(txIds: readonly string[]): Promise<void>;
  /** Every stored entry, in any order (called once, on start). */
  loadAll(): StoredMempoolEntry[];
}
