/**
 * The VM's in-memory state: one Map per record kind. Every write goes through `put`/`remove`,
 * which log the previous value (undo journal of the running transaction: a failed one rolls
 * back to its mark) and, on a key's first write in the block, its value at the block's start
 * (`dirty`): an invalid block is undone from those, and the block's changes are the keys whose
 * value differs from it (by reference: records are immutable).
 *
 * No Map order reaches state: the root depends on the set of changes only, and every scan
 * that decides an outcome (sealed clearings) sorts what it found.
 */
import { type StateChange, statePathWords } from '../state/index.ts';
import { SINGLETON_KEY, stateKey } from './keys.ts';
import {
  type AccountRecord,
  type ChainRecord,
  type ConfigRecord,
  type CurveRecord,
  type DepositRecord,
  type EscrowRecord,
  encodeRecord,
  type HoldingRecord,
  type LpRecord,
  type RecordKind,
  type RecordOf,
} from './records.ts';

/** A record's key in the state tree and its path there (sha256 of the key, 8 words). */
interface TreeKey {
  readonly bytes: Uint8Array;
  readonly path: Int32Array;
}

/**
 * Tree keys kept per table. A table's cache is emptied when it reaches this size: memory stays
 * bounded whatever the state's size, and the keys that are hot (written block after block)
 * are back after one block.
 */
const TREE_KEY_CACHE_LIMIT = 1 << 16;

/** A Map whose writes are journaled; `kind` null for derived indexes that are not committed. */
export class Table<V> {
  readonly map = new Map<string, V>();
  /** Each key written in this block → its value at the block's start (undefined: absent). */
  readonly dirty = new Map<string, V | undefined>();
  /**
   * In-memory key → tree key and path, for records written recently: a hot account changes
   * in most blocks, and building its tree key and hashing it into its path every time was
   * ~15 % of the state root's cost.
   */
  private readonly treeKeys = new Map<string, TreeKey>();
  constructor(readonly kind: RecordKind | null) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  treeKey(key: string): TreeKey {
    let entry = this.treeKeys.get(key);
    if (entry === undefined) {
      if (this.treeKeys.size >= TREE_KEY_CACHE_LIMIT) this.treeKeys.clear();
      const bytes = stateKey(this.kind!, key);
      entry = { bytes, path: statePathWords(bytes) };
      this.treeKeys.set(key, entry);
    }
    return entry;
  }
}

export class VmState {
  readonly config = new Table<ConfigRecord>('config');
  readonly chain = new Table<ChainRecord>('chain');
  readonly accounts = new Table<AccountRecord>('account');
  readonly holdings = new Table<HoldingRecord>('holding');
  readonly curves = new Table<CurveRecord>('curve');
  readonly templates = new Table<Uint8Array>('template');
  readonly lp = new Table<LpRecord>('lp');
  readonly escrows = new Table<EscrowRecord>('escrow');
  readonly deposits = new Table<DepositRecord>('deposit');
  /** Derived: curve key → last block of its sealed window, for the curves still sealed. */
  readonly sealedUntil = new Table<bigint>(null);

  private readonly tables: readonly Table<unknown>[] = [
    this.config,
    this.chain,
    this.accounts,
    this.holdings,
    this.curves,
    this.templates,
    this.lp,
    this.escrows,
    this.deposits,
    this.sealedUntil,
  ] as Table<unknown>[];

  /**
   * Flat triples (table, key, previous value) since the last `settle`: the undo log of the
   * running transaction (or clearing). Blocks are undone from the tables' `dirty` maps, so
   * the log stays short and old records are not kept alive for a whole block.
   */
  private readonly journal: unknown[] = [];

  put<V>(table: Table<V>, key: string, value: V): void {
    const previous = table.map.get(key);
    this.journal.push(table, key, previous);
    // The first write of a key in a block records its value at the block's start. A rolled
    // back transaction may leave the entry behind: harmless, the value is unchanged then.
    if (!table.dirty.has(key)) table.dirty.set(key, previous);
    table.map.set(key, value);
  }

  remove<V>(table: Table<V>, key: string): void {
    const previous = table.map.get(key);
    this.journal.push(table, key, previous);
    if (!table.dirty.has(key)) table.dirty.set(key, previous);
    table.map.delete(key);
  }

  mark(): number {
    return this.journal.length;
  }

  /** Undoes the writes since `mark` (a failed transaction). */
  rollback(mark: number): void {
    const j = this.journal;
    for (let i = j.length - 3; i >= mark; i -= 3) {
      const table = j[i] as Table<unknown>;
      const key = j[i + 1] as string;
      const previous = j[i + 2];
      if (previous === undefined) table.map.delete(key);
      else table.map.set(key, previous);
    }
    j.length = mark;
  }

  /** The writes so far stand (until `rollbackBlock`): forgets their undo log. */
  settle(): void {
    this.journal.length = 0;
  }

  /** Puts every key written in this block back to its value at the block's start. */
  rollbackBlock(): void {
    for (const table of this.tables) {
      for (const [key, before] of table.dirty) {
        if (before === undefined) table.map.delete(key);
        else table.map.set(key, before);
      }
      table.dirty.clear();
    }
    this.journal.length = 0;
  }

  /**
   * The records that differ from the block's start, encoded (`null` deletes), with their tree
   * paths in `changePaths` (8 words per change, for AuthenticatedState.applyChanges). Leaves
   * the block open: `clear` ends it, `rollbackBlock` undoes it. Unsorted: the state root is a
   * function of the set of (key, value) pairs alone (state/state-proof.ts), and the order
   * (tables in tag order, keys in first-write order) is deterministic anyway. Keys are shared
   * with the key cache: read-only.
   */
  changes(): StateChange[] {
    const changes: StateChange[] = [];
    for (const table of this.tables) {
      const kind = table.kind;
      if (kind === null) continue;
      for (const [key, before] of table.dirty) {
        const now = table.map.get(key);
        if (now === before) continue;
        const treeKey = table.treeKey(key);
        this.pathAt(changes.length).set(treeKey.path, 8 * changes.length);
        changes.push([
          treeKey.bytes,
          now === undefined ? null : encodeRecord(kind, now as RecordOf<typeof kind>),
        ]);
      }
    }
    return changes;
  }

  /** Paths of the last `changes()`, 8 words per change. */
  changePaths = new Int32Array(8 * 1024);

  /** `changePaths`, grown to hold change `index`. */
  private pathAt(index: number): Int32Array {
    if (this.changePaths.length < 8 * (index + 1)) {
      const grown = new Int32Array(2 * this.changePaths.length);
      grown.set(this.changePaths);
      this.changePaths = grown;
    }
    return this.changePaths;
  }

  /** Ends the block: its writes can no longer be rolled back. */
  clear(): void {
    this.journal.length = 0;
    for (const table of this.tables) table.dirty.clear();
  }

  /** The committed table of a record kind. */
  tableOf(kind: RecordKind): Table<unknown> {
    return this.tables.find((t) => t.kind === kind)!;
  }

  get chainRecord(): ChainRecord {
    return this.chain.map.get(SINGLETON_KEY)!;
  }

  get configRecord(): ConfigRecord {
    return this.config.map.get(SINGLETON_KEY)!;
  }
}
