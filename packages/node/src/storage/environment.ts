/**
 * The node's one LMDB environment: a directory holding one memory-mapped file, one named
 * sub-database per repository, binary keys and binary values (encoded by codecs.ts).
 *
 * Durability (docs/decisions/008-storage-lmdb.md). What we rely on, and check at open:
 * - `overlappingSync: false`. lmdb-js enables overlappingSync by default on Linux and macOS;
 *   with it a write's promise resolves when the transaction is *committed* (visible), and the
 *   fsync happens later (`db.flushed`). Off, LMDB's own commit runs on the write thread: data
 *   pages written, fdatasync, then the meta page written through an O_DSYNC descriptor, and
 *   only then does the promise resolve (checked with strace). So "resolved" means "on disk",
 *   with no second promise to forget.
 * - none of noSync, noMetaSync, mapAsync, useWritemap (each trades durability or integrity for
 *   speed), and a real path (lmdb-js opens a temporary, noSync, delete-on-close database when
 *   the path is missing).
 * - every write goes through `write()`: a child transaction (`childTransaction`), which is
 *   aborted whole when its callback throws. lmdb-js's plain `transaction()` is not: its
 *   callback's writes up to the throw are committed with the batch.
 * lmdb-js batches every write of one event turn into one LMDB transaction, so many small
 * durable writes (mempool admissions) share one fsync.
 */
import { resolve } from 'node:path';
import { type Database, open, type RootDatabase } from 'lmdb';

/** Sub-database names: the on-disk layout (never rename one; add new ones at the end). */
export const SUB_DATABASES = [
  'blocks',
  'block-hashes',
  'receipts',
  'block-events',
  'state',
  'withdrawals',
  'mempool',
  'meta',
] as const;

export type SubDatabaseName = (typeof SUB_DATABASES)[number];

export type BinaryDatabase = Database<Uint8Array, Uint8Array>;

/** What every repository gets: its sub-databases and the one way to write. */
export interface StorageEnvironment {
  readonly path: string;
  db(name: SubDatabaseName): BinaryDatabase;
  /**
   * Runs `writes` in one atomic LMDB (child) transaction: all of it or, if it throws, none of
   * it (the promise then rejects with that error). Resolves once the transaction is committed
   * and synced to disk. Reads inside `writes` see the transaction's own writes.
   */
  write<T>(writes: () => T): Promise<T>;
  /** The durability-relevant options as lmdb-js resolved them for this environment (all false). */
  readonly durability: DurabilitySettings;
  close(): Promise<void>;
}

export interface DurabilitySettings {
  readonly overlappingSync: boolean;
  readonly noSync: boolean;
  readonly noMetaSync: boolean;
  readonly mapAsync: boolean;
  readonly useWritemap: boolean;
  readonly deleteOnClose: boolean;
}

const DURABILITY_FLAGS = [
  'overlappingSync',
  'noSync',
  'noMetaSync',
  'mapAsync',
  'useWritemap',
  'deleteOnClose',
] as const satisfies readonly (keyof DurabilitySettings)[];

/** Paths open in this process: LMDB must not open one environment twice in a process. */
const openPaths = new Set<string>();

/**
 * Room for the sub-databases and a few more later; each costs a little memory per
 * transaction, so this is not set much higher.
 */
const MAX_DBS = 16;

export class StorageClosedError extends Error {
  constructor(path: string) {
    super(`storage at ${path} is closed`);
    this.name = 'StorageClosedError';
  }
}

export function openEnvironment(path: string): StorageEnvironment {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('storage needs a directory path');
  const absolute = resolve(path);
  if (openPaths.has(absolute)) throw new Error(`storage at ${absolute} is already open in this process`);
  const root: RootDatabase<Uint8Array, Uint8Array> = open<Uint8Array, Uint8Array>({
    path: absolute,
    // A directory (data.mdb + lock.mdb) even when the name has a dot in it.
    noSubdir: false,
    maxDbs: MAX_DBS,
    overlappingSync: false,
    noSync: false,
    noMetaSync: false,
    useWritemap: false,
    encoding: 'binary',
    keyEncoding: 'binary',
    compression: false,
    cache: false,
  });
  const durability = checkDurable(root, absolute);
  openPaths.add(absolute);
  const dbs = new Map<SubDatabaseName, BinaryDatabase>();
  for (const name of SUB_DATABASES) {
    dbs.set(
      name,
      root.openDB<Uint8Array, Uint8Array>(name, {
        encoding: 'binary',
        keyEncoding: 'binary',
        compression: false,
        cache: false,
      }),
    );
  }
  let closed = false;
  let writing = 0;
  let closing: Promise<void> | undefined;
  return {
    path: absolute,
    durability,
    db(name) {
      // Writes queued before close() still run (close waits for them) and read inside.
      if (closed && writing === 0) throw new StorageClosedError(absolute);
      return dbs.get(name)!;
    },
    write(writes) {
      if (closed) return Promise.reject(new StorageClosedError(absolute));
      return root.childTransaction(() => {
        writing++;
        try {
          return writes();
        } finally {
          writing--;
        }
      });
    },
    close() {
      closed = true;
      closing ??= root.close().finally(() => openPaths.delete(absolute));
      return closing;
    },
  };
}

/** The settings lmdb-js resolved for this environment (its options live on the root store). */
function checkDurable(root: RootDatabase<Uint8Array, Uint8Array>, path: string): DurabilitySettings {
  const resolved = root as unknown as Record<string, unknown>;
  const settings = Object.fromEntries(
    DURABILITY_FLAGS.map((flag) => [flag, resolved[flag] === true]),
  ) as unknown as DurabilitySettings;
  const unsafe = DURABILITY_FLAGS.filter((flag) => settings[flag]);
  if (unsafe.length > 0) {
    void root.close();
    throw new Error(`storage at ${path} was opened with ${unsafe.join(', ')}: writes would not be durable`);
  }
  return settings;
}
