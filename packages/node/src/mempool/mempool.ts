/**
 * The mempool: durable, bounded, two pools (fast and big, by the transaction's `kind`).
 *
 * Admission (`submit`), cheapest checks first so that spam costs no signature check:
 *   1. running (MEMPOOL_STOPPED), size (TX_TOO_LARGE), strict decode (the decoder's TX_* code),
 *      chain id (TX_WRONG_CHAIN), compute a block can hold (MEMPOOL_TOO_LARGE);
 *   2. duplicate by transactionHash (MEMPOOL_DUPLICATE; a copy arriving while the first is
 *      being verified waits for that verdict), nonce window against the committed account
 *      nonce (MEMPOOL_NONCE_TOO_LOW, MEMPOOL_NONCE_TOO_FAR: at most `nonceWindow` beyond it),
 *      same sender and nonce already pending (MEMPOOL_NONCE_CONFLICT: first seen wins, no
 *      replacement, as there are no fees to outbid with), per-sender bounds
 *      (MEMPOOL_SENDER_FULL), pool bounds (MEMPOOL_FULL), count and bytes each;
 *   3. decode + chain + ed25519 signature on a verifier thread (TX_BAD_SIGNATURE);
 *   4. step 2 again (the pool changed while verifying), then the entry is indexed and written
 *      through the group-committing StoreWriter; `submit` resolves only once that write is
 *      durable (MEMPOOL_UNAVAILABLE, and the entry is dropped, if it fails).
 * An entry is selectable and `pending` only once durable: nothing that a client was not told
 * "accepted" goes into a block, and nothing it was told is lost by a kill -9.
 *
 * On start the store is reloaded and re-checked cheaply (decode, id, chain, dedup by hash and
 * by sender+nonce, nonce not below the account's, TTL); signatures are not re-verified, as
 * only verified transactions were ever written.
 */
import {
  AssetL2Error,
  computeUnits,
  decodeTransaction,
  type ErrorCode,
  isAssetL2Error,
  type Transaction,
  TX_LIMITS,
  type TxKind,
  transactionHash,
  transactionId,
} from '@assetl2/sdk';
import { type PendingEntry, type SelectOptions, type SenderQueue, selectRunnable } from './select.ts';
import type { MempoolStore } from './store.ts';
import { createStoreWriter, type StoreWriter, type StoreWriterStats } from './store-writer.ts';
import type { TransactionVerifier, VerifyOutcome } from './verifier-pool.ts';

export interface PoolLimits {
  /** Transactions in the pool, all senders. */
  readonly maxCount: number;
  /** Encoded bytes in the pool, all senders. */
  readonly maxBytes: number;
  /** Pending transactions of one sender in this pool. */
  readonly perSenderCount: number;
  readonly perSenderBytes: number;
  /** computeUnits above which a transaction could never fit a block of this kind. */
  readonly maxTransactionCompute: number;
}

export interface MempoolLimits {
  readonly fast: PoolLimits;
  readonly big: PoolLimits;
}

/**
 * Per sender: 16 leaves room for the full nonce window (9: the account nonce and 8 beyond)
 * plus entries that went stale before onCommitted ran. Bytes: fast transactions are ~100–200
 * bytes; a big one (CREATE_CURVE) up to 2,300.
 */
export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = {
  fast: {
    maxCount: 50_000,
    maxBytes: 16 * 1024 * 1024,
    perSenderCount: 16,
    perSenderBytes: 16 * 1024,
    maxTransactionCompute: Number.POSITIVE_INFINITY,
  },
  big: {
    maxCount: 2_000,
    maxBytes: 4 * 1024 * 1024,
    perSenderCount: 16,
    perSenderBytes: 40 * 1024,
    maxTransactionCompute: Number.POSITIVE_INFINITY,
  },
};

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_NONCE_WINDOW = 8;

export interface MempoolOptions {
  readonly chainId: number;
  readonly store: MempoolStore;
  readonly verifier: TransactionVerifier;
  /** The committed next nonce of an account (0n for an unknown one). */
  readonly nonceOf: (sender: Uint8Array) => bigint;
  /** Milliseconds since the Unix epoch (default Date.now). */
  readonly now?: () => number;
  readonly limits?: { readonly fast?: Partial<PoolLimits>; readonly big?: Partial<PoolLimits> };
  /** Entries older than this are pruned (default 24 h). */
  readonly ttlMs?: number;
  /** How often prune() runs while started (default 60 s; 0 for never). */
  readonly pruneIntervalMs?: number;
  /** Highest accepted nonce is the account nonce plus this (default 8). */
  readonly nonceWindow?: number;
}

export interface SubmitResult {
  readonly txId: string;
  readonly kind: TxKind;
}

export interface PendingTransaction {
  readonly txId: string;
  readonly transaction: Transaction;
  readonly bytes: Uint8Array;
  readonly kind: TxKind;
  readonly admittedAt: number;
}

export interface PoolSize {
  readonly count: number;
  readonly bytes: number;
}

export type MempoolSizes = Readonly<Record<TxKind, PoolSize>>;

export interface MempoolStats {
  readonly admitted: number;
  /** Rejections by stable code (metrics label). */
  readonly rejected: Readonly<Partial<Record<ErrorCode, number>>>;
  /** Removed after commit (remove). */
  readonly removed: number;
  /** Dropped because the account nonce passed them (onCommitted, reload). */
  readonly stale: number;
  /** Dropped by the TTL (prune, reload). */
  readonly expired: number;
  readonly reloaded: number;
  /** Stored entries dropped on reload that failed a re-check (undecodable, wrong id or chain, duplicate). */
  readonly droppedInvalid: number;
  readonly store: StoreWriterStats;
  readonly sizes: MempoolSizes;
}

const KINDS: readonly TxKind[] = ['fast', 'big'];

function pendingOf({ txId, transaction, bytes, kind, admittedAt }: PendingEntry): PendingTransaction {
  return { txId, transaction, bytes, kind, admittedAt };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

export class Mempool {
  private readonly chainId: number;
  private readonly store: MempoolStore;
  private readonly verifier: TransactionVerifier;
  private readonly nonceOf: (sender: Uint8Array) => bigint;
  private readonly now: () => number;
  private readonly limits: MempoolLimits;
  private readonly ttlMs: number;
  private readonly pruneIntervalMs: number;
  private readonly nonceWindow: bigint;

  private state: 'stopped' | 'started' | 'stopping' = 'stopped';
  private stopping: Promise<void> | null = null;
  private readonly byId = new Map<string, PendingEntry>();
  private readonly byHash = new Map<string, PendingEntry>();
  private readonly senders = new Map<string, SenderQueue>();
  /** Senders with at least one entry of each kind: select() scans only these. */
  private readonly active: Record<TxKind, Map<string, SenderQueue>> = { fast: new Map(), big: new Map() };
  private readonly totals: Record<TxKind, { count: number; bytes: number }> = {
    fast: { count: 0, bytes: 0 },
    big: { count: 0, bytes: 0 },
  };
  /** Verdicts of transactions being verified, by hash: a concurrent copy waits for it. */
  private readonly verifying = new Map<string, Promise<VerifyOutcome>>();
  /** Admissions between submit() and their verdict; stop() waits for them. */
  private underway = 0;
  private whenIdle: (() => void) | null = null;
  private nextArrival = 0;
  private writer: StoreWriter;
  private pruneTimer: NodeJS.Timeout | null = null;
  private counters = { admitted: 0, removed: 0, stale: 0, expired: 0, reloaded: 0, droppedInvalid: 0 };
  private rejected: Partial<Record<ErrorCode, number>> = {};

  constructor(options: MempoolOptions) {
    this.chainId = options.chainId;
    this.store = options.store;
    this.verifier = options.verifier;
    this.nonceOf = options.nonceOf;
    this.now = options.now ?? Date.now;
    this.limits = {
      fast: { ...DEFAULT_MEMPOOL_LIMITS.fast, ...options.limits?.fast },
      big: { ...DEFAULT_MEMPOOL_LIMITS.big, ...options.limits?.big },
    };
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    const window = options.nonceWindow ?? DEFAULT_NONCE_WINDOW;
    if (!Number.isInteger(window) || window < 0) throw new RangeError(`bad nonce window ${window}`);
    this.nonceWindow = BigInt(window);
    this.writer = createStoreWriter(this.store);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Reloads the stored entries (re-checked, pruned) and starts the prune timer. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') throw new Error(`the mempool is ${this.state}`);
    this.clear();
    this.writer = createStoreWriter(this.store);
    this.reload();
    this.state = 'started';
    if (this.pruneIntervalMs > 0) {
      this.pruneTimer = setInterval(() => this.prune(), this.pruneIntervalMs);
      this.pruneTimer.unref();
    }
  }

  /**
   * Refuses new submissions (MEMPOOL_STOPPED), lets those under way finish (a client told
   * "accepted" is on disk), flushes pending deletes, then forgets the in-memory pool.
   */
  stop(): Promise<void> {
    if (this.state === 'started') this.stopping = this.shutDown();
    return this.stopping ?? Promise.resolve();
  }

  private async shutDown(): Promise<void> {
    this.state = 'stopping';
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    if (this.underway > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve));
    this.whenIdle = null;
    await this.writer.flush();
    this.clear();
    this.state = 'stopped';
    this.stopping = null;
  }

  // ------------------------------------------------------------------ admission

  /** Resolves once the transaction is durably pending; throws AssetL2Error with the reason. */
  async submit(bytes: Uint8Array): Promise<SubmitResult> {
    this.underway++;
    try {
      const result = await this.admit(bytes);
      this.counters.admitted++;
      return result;
    } catch (e) {
      if (isAssetL2Error(e)) this.rejected[e.code] = (this.rejected[e.code] ?? 0) + 1;
      throw e;
    } finally {
      if (--this.underway === 0) this.whenIdle?.();
    }
  }

  private async admit(input: Uint8Array): Promise<SubmitResult> {
    if (this.state !== 'started') throw new AssetL2Error('MEMPOOL_STOPPED', 'the mempool is not running');
    if (!(input instanceof Uint8Array)) throw new AssetL2Error('TX_MALFORMED', 'a transaction is bytes');
    if (input.length > TX_LIMITS.maxTransactionBytes) {
      throw new AssetL2Error(
        'TX_TOO_LARGE',
        `transaction of ${input.length} bytes exceeds the limit of ${TX_LIMITS.maxTransactionBytes}`,
      );
    }
    const bytes = input.slice(); // ours: the caller may reuse its buffer
    const tx = decodeTransaction(bytes);
    if (tx.chainId !== this.chainId) {
      throw new AssetL2Error(
        'TX_WRONG_CHAIN',
        `the transaction is for chain ${tx.chainId}, this is chain ${this.chainId}`,
      );
    }
    const kind = tx.kind;
    const compute = computeUnits(tx);
    const limit = this.limits[kind].maxTransactionCompute;
    if (compute > limit) {
      throw new AssetL2Error(
        'MEMPOOL_TOO_LARGE',
        `the transaction needs ${compute} compute units, more than a ${kind} block holds (${limit})`,
      );
    }
    const hash = hex(transactionHash(bytes));
    const txId = transactionId(tx);
    const senderKey = hex(tx.sender);

    const earlier = this.verifying.get(hash);
    if (earlier !== undefined) {
      // The same bytes are being verified: same verdict; if valid, this copy is a duplicate.
      const outcome = await earlier;
      if (!outcome.ok) throw new AssetL2Error(outcome.code, outcome.message);
      throw this.duplicate();
    }
    this.checkAdmissible(tx, hash, txId, senderKey, bytes.length);

    const verdict = this.verifier.verify(bytes);
    this.verifying.set(hash, verdict);
    let outcome: VerifyOutcome;
    try {
      outcome = await verdict;
    } finally {
      this.verifying.delete(hash);
    }
    if (!outcome.ok) throw new AssetL2Error(outcome.code, outcome.message);

    this.checkAdmissible(tx, hash, txId, senderKey, bytes.length);
    const entry: PendingEntry = {
      txId,
      hash,
      bytes,
      transaction: tx,
      kind,
      senderKey,
      nonce: tx.nonce,
      compute,
      admittedAt: this.now(),
      arrival: this.nextArrival++,
      durable: false,
    };
    this.index(entry);
    try {
      await this.writer.put({ txId, bytes, admittedAt: entry.admittedAt });
    } catch {
      if (this.byId.get(txId) === entry) this.unindex(entry);
      throw new AssetL2Error(
        'MEMPOOL_UNAVAILABLE',
        'the transaction could not be stored, so it was not accepted; try again',
      );
    }
    entry.durable = true;
    return { txId, kind };
  }

  private duplicate(): AssetL2Error {
    return new AssetL2Error('MEMPOOL_DUPLICATE', 'this transaction is already pending');
  }

  /** Every bound a transaction must fit; the same order before and after verification. */
  private checkAdmissible(
    tx: Transaction,
    hash: string,
    txId: string,
    senderKey: string,
    size: number,
  ): void {
    if (this.byHash.has(hash) || this.byId.has(txId)) throw this.duplicate();
    const accountNonce = this.nonceOf(tx.sender);
    if (tx.nonce < accountNonce) {
      throw new AssetL2Error(
        'MEMPOOL_NONCE_TOO_LOW',
        `nonce ${tx.nonce} is already used: the account's next nonce is ${accountNonce}`,
      );
    }
    if (tx.nonce > accountNonce + this.nonceWindow) {
      throw new AssetL2Error(
        'MEMPOOL_NONCE_TOO_FAR',
        `nonce ${tx.nonce} is too far ahead: at most ${this.nonceWindow} beyond the account's next nonce ${accountNonce}`,
      );
    }
    const kind = tx.kind;
    const limits = this.limits[kind];
    const queue = this.senders.get(senderKey);
    const taken = queue?.byNonce.get(tx.nonce);
    if (taken !== undefined) {
      throw new AssetL2Error(
        'MEMPOOL_NONCE_CONFLICT',
        `another transaction of this sender with nonce ${tx.nonce} is pending (${taken.txId}); the first one seen stays`,
      );
    }
    const senderCount = queue?.count[kind] ?? 0;
    const senderBytes = queue?.bytes[kind] ?? 0;
    if (senderCount + 1 > limits.perSenderCount) {
      throw new AssetL2Error(
        'MEMPOOL_SENDER_FULL',
        `the sender already has ${senderCount} pending ${kind} transactions, the most allowed`,
      );
    }
    if (senderBytes + size > limits.perSenderBytes) {
      throw new AssetL2Error(
        'MEMPOOL_SENDER_FULL',
        `the sender's pending ${kind} transactions would take ${senderBytes + size} bytes, more than the ${limits.perSenderBytes} allowed`,
      );
    }
    const total = this.totals[kind];
    if (total.count + 1 > limits.maxCount) {
      throw new AssetL2Error('MEMPOOL_FULL', `the ${kind} pool is full (${total.count} transactions)`);
    }
    if (total.bytes + size > limits.maxBytes) {
      throw new AssetL2Error(
        'MEMPOOL_FULL',
        `the ${kind} pool is full (${total.bytes} of ${limits.maxBytes} bytes used)`,
      );
    }
  }

  // ------------------------------------------------------------------ block building

  /** Runnable transactions of one pool, fair across senders, within every bound (select.ts). */
  select(options: SelectOptions): Transaction[] {
    return selectRunnable(this.active[options.kind].values(), options).map((e) => e.transaction);
  }

  /** The same selection with each transaction's id and received bytes (for proposals and remove). */
  selectPending(options: SelectOptions): PendingTransaction[] {
    return selectRunnable(this.active[options.kind].values(), options).map(pendingOf);
  }

  /** After a commit: forgets these transactions (unknown ids are ignored); returns how many. */
  remove(txIds: readonly string[]): number {
    const gone: string[] = [];
    for (const txId of txIds) {
      const entry = this.byId.get(txId);
      if (entry === undefined) continue;
      this.unindex(entry);
      gone.push(txId);
    }
    this.counters.removed += gone.length;
    this.writer.delete(gone);
    return gone.length;
  }

  /**
   * After a commit: drops entries whose nonce the account has passed (another transaction with
   * that nonce was committed). Checks only `senders` when given (the block's senders), else all.
   */
  onCommitted(nonceOf: (sender: Uint8Array) => bigint, senders?: Iterable<Uint8Array>): number {
    const queues: SenderQueue[] = [];
    if (senders === undefined) queues.push(...this.senders.values());
    else {
      for (const sender of senders) {
        const queue = this.senders.get(hex(sender));
        if (queue !== undefined) queues.push(queue);
      }
    }
    const gone: string[] = [];
    for (const queue of queues) {
      const next = nonceOf(queue.sender);
      for (const entry of [...queue.byNonce.values()]) {
        if (entry.nonce >= next) continue;
        this.unindex(entry);
        gone.push(entry.txId);
      }
    }
    this.counters.stale += gone.length;
    this.writer.delete(gone);
    return gone.length;
  }

  /** Drops entries older than the TTL; returns how many. Runs on a timer while started. */
  prune(now: number = this.now()): number {
    const gone: string[] = [];
    for (const entry of this.byId.values()) {
      if (now - entry.admittedAt <= this.ttlMs) continue;
      this.unindex(entry);
      gone.push(entry.txId);
    }
    this.counters.expired += gone.length;
    this.writer.delete(gone);
    return gone.length;
  }

  // ------------------------------------------------------------------ reads

  /** True once the transaction is durably pending (its submitter was told "accepted"). */
  pending(txId: string): boolean {
    return this.byId.get(txId)?.durable === true;
  }

  get(txId: string): PendingTransaction | undefined {
    const entry = this.byId.get(txId);
    return entry?.durable ? pendingOf(entry) : undefined;
  }

  sizes(): MempoolSizes {
    return { fast: { ...this.totals.fast }, big: { ...this.totals.big } };
  }

  stats(): MempoolStats {
    return {
      ...this.counters,
      rejected: { ...this.rejected },
      store: this.writer.stats(),
      sizes: this.sizes(),
    };
  }

  /** Resolves when every queued store write (puts and deletes) has completed. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  // ------------------------------------------------------------------ indexes

  private index(entry: PendingEntry): void {
    this.byId.set(entry.txId, entry);
    this.byHash.set(entry.hash, entry);
    let queue = this.senders.get(entry.senderKey);
    if (queue === undefined) {
      queue = {
        sender: entry.transaction.sender,
        byNonce: new Map(),
        count: { fast: 0, big: 0 },
        bytes: { fast: 0, big: 0 },
      };
      this.senders.set(entry.senderKey, queue);
    }
    queue.byNonce.set(entry.nonce, entry);
    queue.count[entry.kind]++;
    queue.bytes[entry.kind] += entry.bytes.length;
    this.active[entry.kind].set(entry.senderKey, queue);
    this.totals[entry.kind].count++;
    this.totals[entry.kind].bytes += entry.bytes.length;
  }

  private unindex(entry: PendingEntry): void {
    this.byId.delete(entry.txId);
    this.byHash.delete(entry.hash);
    const queue = this.senders.get(entry.senderKey)!;
    queue.byNonce.delete(entry.nonce);
    queue.count[entry.kind]--;
    queue.bytes[entry.kind] -= entry.bytes.length;
    if (queue.count[entry.kind] === 0) this.active[entry.kind].delete(entry.senderKey);
    if (queue.byNonce.size === 0) this.senders.delete(entry.senderKey);
    this.totals[entry.kind].count--;
    this.totals[entry.kind].bytes -= entry.bytes.length;
  }

  private clear(): void {
    this.byId.clear();
    this.byHash.clear();
    this.senders.clear();
    for (const kind of KINDS) {
      this.active[kind].clear();
      this.totals[kind] = { count: 0, bytes: 0 };
    }
    this.verifying.clear();
    this.nextArrival = 0;
  }

  /**
   * Loads the stored entries in admission order (admittedAt, then txId) and keeps those that
   * still make sense; the others are deleted from the store.
   */
  private reload(): void {
    const stored = this.store.loadAll().slice();
    stored.sort((a, b) => a.admittedAt - b.admittedAt || (a.txId < b.txId ? -1 : a.txId > b.txId ? 1 : 0));
    const now = this.now();
    const drop: string[] = [];
    for (const record of stored) {
      const bytes = new Uint8Array(record.bytes); // a copy: the store may hand out views of its pages
      let tx: Transaction;
      try {
        tx = decodeTransaction(bytes);
      } catch {
        this.counters.droppedInvalid++;
        drop.push(record.txId);
        continue;
      }
      const txId = transactionId(tx);
      const hash = hex(transactionHash(bytes));
      const senderKey = hex(tx.sender);
      if (
        txId !== record.txId ||
        tx.chainId !== this.chainId ||
        this.byId.has(txId) ||
        this.byHash.has(hash) ||
        this.senders.get(senderKey)?.byNonce.has(tx.nonce)
      ) {
        this.counters.droppedInvalid++;
        drop.push(record.txId);
        continue;
      }
      if (now - record.admittedAt > this.ttlMs) {
        this.counters.expired++;
        drop.push(record.txId);
        continue;
      }
      if (tx.nonce < this.nonceOf(tx.sender)) {
        this.counters.stale++;
        drop.push(record.txId);
        continue;
      }
      this.index({
        txId,
        hash,
        bytes,
        transaction: tx,
        kind: tx.kind,
        senderKey,
        nonce: tx.nonce,
        compute: computeUnits(tx),
        admittedAt: record.admittedAt,
        arrival: this.nextArrival++,
        durable: true,
      });
      this.counters.reloaded++;
    }
    this.writer.delete(drop);
  }
}
