/**
 * Group commit in front of a MempoolStore. A synced LMDB commit costs about a millisecond, so
 * one commit per admission would cap admission near 1k/s; instead every put queued during a
 * turn of the event loop, and every put queued while the previous commit was syncing, goes
 * into one `store.put`. Each caller's promise resolves when the commit holding its entry is
 * durable. Deletes ride along, always after the puts they could follow (a transaction removed
 * while its put is in flight is deleted after that put, never before).
 */
import type { MempoolStore, StoredMempoolEntry } from './store.ts';

export interface StoreWriter {
  /** Resolves once `entry` is durable; rejects with the store's error if its commit failed. */
  put(entry: StoredMempoolEntry): Promise<void>;
  /** Queued; a failure is counted (reload drops leftovers: committed or expired). */
  delete(txIds: readonly string[]): void;
  /** Resolves when everything queued so far has been written. */
  flush(): Promise<void>;
  stats(): StoreWriterStats;
}

export interface StoreWriterStats {
  /** store.put calls and the entries they carried (entries / puts = the group-commit factor). */
  readonly puts: number;
  readonly putEntries: number;
  readonly largestPut: number;
  readonly deletes: number;
  readonly deletedEntries: number;
  readonly errors: number;
}

interface QueuedPut {
  readonly entry: StoredMempoolEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function createStoreWriter(store: MempoolStore): StoreWriter {
  let puts: QueuedPut[] = [];
  let deletes: string[] = [];
  let scheduled = false;
  let running: Promise<void> | null = null;
  const counters = { puts: 0, putEntries: 0, largestPut: 0, deletes: 0, deletedEntries: 0, errors: 0 };

  const idle = () => !scheduled && running === null;
  const queued = () => puts.length > 0 || deletes.length > 0;

  // setImmediate rather than a microtask: admissions whose verification finished in the same
  // batch resume over several microtask hops, and all of them should share the commit.
  function schedule(): void {
    if (!idle()) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      running = drain().finally(() => {
        running = null;
        if (queued()) schedule();
      });
    });
  }

  async function drain(): Promise<void> {
    while (queued()) {
      const batch = puts;
      const gone = deletes;
      puts = [];
      deletes = [];
      if (batch.length > 0) {
        counters.puts++;
        counters.putEntries += batch.length;
        counters.largestPut = Math.max(counters.largestPut, batch.length);
        try {
          await store.put(batch.map((p) => p.entry));
          for (const p of batch) p.resolve();
        } catch (e) {
          counters.errors++;
          for (const p of batch) p.reject(e);
        }
      }
      if (gone.length > 0) {
        counters.deletes++;
        counters.deletedEntries += gone.length;
        try {
          await store.delete(gone);
        } catch {
          counters.errors++;
        }
      }
    }
  }

  return {
    put(entry) {
      return new Promise<void>((resolve, reject) => {
        puts.push({ entry, resolve, reject });
        schedule();
      });
    },
    delete(txIds) {
      if (txIds.length === 0) return;
      for (const id of txIds) deletes.push(id);
      schedule();
    },
    async flush() {
      while (!idle() || queued()) {
        if (idle()) schedule();
        await (running ?? new Promise<void>((resolve) => setImmediate(resolve)));
      }
    },
    stats: () => ({ ...counters }),
  };
}
