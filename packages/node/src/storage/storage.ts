/**
 * The node's storage: one LMDB environment, one typed repository per sub-database, and
 * `commitBlock`, which writes everything a committed block changes in ONE atomic, durable
 * transaction. Open it first and close it last (ARCHITECTURE: storage → state → mempool → ...).
 *
 * Restart: `meta.genesis()` and `state.entries()` / `state.withdrawals()` rebuild CurveVM
 * (`CurveVM.restore`), whose roots must equal those of `blocks.header(meta.headHeight())`;
 * `mempool.loadAll()` gives the pending transactions back.
 */
import type { CertifiedBlock, Genesis, Receipt, StateChange, VmEvent, WithdrawalLeaf } from '@assetl2/sdk';
import { BlockRepository, prepareBlock, sameBytes } from './blocks.ts';
import { type DurabilitySettings, openEnvironment, type StorageEnvironment } from './environment.ts';
import { MempoolRepository, prepareMempoolRemovals } from './mempool.ts';
import { encodeGenesis, MetaRepository } from './meta.ts';
import { prepareReceipts, ReceiptRepository } from './receipts.ts';
import { prepareStateChanges, StateRepository } from './state.ts';

export interface StorageOptions {
  /** Directory of the LMDB environment (created if missing). */
  readonly path: string;
}

/** Everything one committed block changes (CurveVM's BlockResult plus the block). */
export interface BlockCommit {
  readonly block: CertifiedBlock;
  /** BlockResult.receipts: receipts[i] is the receipt of block.transactions[i]. */
  readonly receipts: readonly Receipt[];
  /** BlockResult.changes: state records set (or deleted, null) by the block. */
  readonly changes: Iterable<StateChange>;
  /** BlockResult.withdrawals: leaves appended by the block, continuing the stored sequence. */
  readonly withdrawals: readonly WithdrawalLeaf[];
  /**
   * Mempool entries to remove with the commit. The block's own transactions are always
   * removed (a committed transaction is never pending again); list any others here (e.g.
   * transactions the block made stale).
   */
  readonly includedTxIds?: readonly string[];
  /** BlockResult.events: the block's own events (sealed clearings at its start). */
  readonly events?: readonly VmEvent[];
}

export type StorageErrorReason = 'NOT_INITIALIZED' | 'GENESIS_MISMATCH' | 'WRONG_CHAIN' | 'NOT_NEXT_BLOCK';

/** A write refused because it would make the stored chain inconsistent; nothing was written. */
export class StorageError extends Error {
  constructor(
    readonly reason: StorageErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export class Storage {
  readonly blocks: BlockRepository;
  readonly receipts: ReceiptRepository;
  readonly state: StateRepository;
  readonly mempool: MempoolRepository;
  readonly meta: MetaRepository;

  constructor(private readonly env: StorageEnvironment) {
    this.blocks = new BlockRepository(env);
    this.receipts = new ReceiptRepository(env);
    this.state = new StateRepository(env);
    this.mempool = new MempoolRepository(env);
    this.meta = new MetaRepository(env);
  }

  get path(): string {
    return this.env.path;
  }

  /** The LMDB options durability rests on, as resolved at open (all false, or open threw). */
  get durability(): DurabilitySettings {
    return this.env.durability;
  }

  /**
   * Stores the genesis, its chain id and the genesis state's records, once. Resolves true when
   * it wrote them, false when this exact genesis is already stored; rejects with
   * StorageError GENESIS_MISMATCH (writing nothing) when another one is.
   */
  initGenesis(genesis: Genesis, entries: Iterable<StateChange> = []): Promise<boolean> {
    let genesisBytes: Uint8Array;
    let prepared: ReturnType<typeof prepareStateChanges>;
    try {
      genesisBytes = encodeGenesis(genesis);
      prepared = prepareStateChanges(entries, []);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.env.write(() => {
      const stored = this.meta.genesisBytes();
      if (stored !== undefined) {
        if (sameBytes(stored, genesisBytes)) return false;
        throw new StorageError('GENESIS_MISMATCH', `${this.env.path} holds another chain's genesis`);
      }
      this.meta.writeGenesis(genesisBytes, genesis.chainId);
      this.state.writePrepared(prepared);
      return true;
    });
  }

  /**
   * Writes, in one atomic LMDB transaction: the block (by height and hash), its receipts and
   * events, the state changes, the withdrawals leaves, the head pointer, and the removal of
   * its transactions (and `includedTxIds`) from the durable mempool. Resolves once that
   * transaction is on disk. If anything fails (a value the codecs reject, a block that does
   * not extend the head, withdrawals that do not continue the sequence), it rejects and
   * nothing of it is stored.
   *
   * The block must extend the stored head: height = head + 1, parentHash = the head's hash
   * (32 zero bytes at height 1), the stored genesis's chain id (StorageError otherwise).
   */
  commitBlock(commit: BlockCommit): Promise<void> {
    let prepared: ReturnType<typeof prepareCommit>;
    try {
      prepared = prepareCommit(commit);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.env.write(() => {
      const { header } = commit.block;
      const chainId = this.meta.chainId();
      if (chainId === undefined) {
        throw new StorageError(
          'NOT_INITIALIZED',
          'no genesis stored: call initGenesis before committing blocks',
        );
      }
      if (header.chainId !== chainId) {
        throw new StorageError(
          'WRONG_CHAIN',
          `block of chain ${header.chainId}, storage of chain ${chainId}`,
        );
      }
      const head = this.meta.head();
      const expectedHeight = (head?.height ?? 0n) + 1n;
      if (header.height !== expectedHeight) {
        throw new StorageError(
          'NOT_NEXT_BLOCK',
          `block ${header.height} does not follow the head ${expectedHeight - 1n}`,
        );
      }
      const expectedParent = head?.hash ?? new Uint8Array(32);
      if (!sameBytes(header.parentHash, expectedParent)) {
        throw new StorageError('NOT_NEXT_BLOCK', `block ${header.height}'s parent is not the stored head`);
      }
      this.blocks.writePrepared(prepared.block);
      this.receipts.writePrepared(prepared.receipts);
      this.state.writePrepared(prepared.state);
      this.meta.writeHead({ height: header.height, hash: prepared.block.hash });
      this.mempool.removePrepared(prepared.mempoolRemovals);
    });
  }

  /** Waits for writes in flight, then closes the environment. Idempotent. */
  close(): Promise<void> {
    return this.env.close();
  }
}

/** Everything encoded and checked before the write transaction starts. */
function prepareCommit(commit: BlockCommit) {
  const { block } = commit;
  const signatures = block.transactions.map((tx) => tx.signature);
  return {
    block: prepareBlock(block),
    receipts: prepareReceipts(block.header.height, signatures, commit.receipts, commit.events ?? []),
    state: prepareStateChanges(commit.changes, commit.withdrawals),
    mempoolRemovals: [...signatures, ...prepareMempoolRemovals(commit.includedTxIds ?? [])],
  };
}

/** Opens (creating if needed) the storage at `path`; close it with `close()`. */
export function openStorage(options: StorageOptions): Storage {
  return new Storage(openEnvironment(options.path));
}
