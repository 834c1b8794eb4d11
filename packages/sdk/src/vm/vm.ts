/**
 * CurveVM: the deterministic state machine of Asset L2 (ARCHITECTURE.md §5, notes/curve-math.md).
 *
 * One object per chain state, built from a genesis, with no lifecycle (nothing to start or
 * stop): `applyBlock` either commits a whole block and returns its receipts and roots, or
 * throws BlockInvalidError and leaves the state exactly as it was. Within a block every valid
 * transaction consumes its nonce; one that fails changes nothing else (journal rollback to its
 * mark) and gets a receipt with its error code.
 *
 * Commitment: the records a block changed are encoded and handed to the authenticated state
 * (a sparse Merkle tree) once per block; withdrawals are appended to the withdrawals tree at
 * the same point, so a rolled-back block never reaches either tree.
 */

import { toHex } from '../codec/index.ts';
import { U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error, type ErrorCode, isAssetL2Error } from '../errors/index.ts';
import type { StateProof } from '../state/index.ts';
import {
  AuthenticatedState,
  type StateChange,
  type WithdrawalLeaf,
  WithdrawalsTree,
} from '../state/index.ts';
import { transactionHash, verifyTransactionSignature } from '../tx/index.ts';
import type { Bytes32, Transaction } from '../tx/types.ts';
import { computeUnits } from './compute.ts';
import { type CurveRuntime, CurveRuntimes } from './curves.ts';
import { Executor } from './execute.ts';
import { escrowKey, keyOf, pairKey, parseStateKey, SINGLETON_KEY, stateKey } from './keys.ts';
import {
  type AccountRecord,
  type ChainRecord,
  type ConfigRecord,
  type CurveRecord,
  type DepositRecord,
  decodeRecord,
  type EscrowRecord,
  encodeRecord,
  type HoldingRecord,
  MAX_BRIDGE_AUTHORITIES,
  type RecordOf,
} from './records.ts';
import { type Table, VmState } from './state.ts';
import type { ApplyOptions, Block, BlockResult, Genesis, Receipt, VmEvent } from './types.ts';
import { BlockInvalidError, transactionShapeError } from './validity.ts';

/** What the VM needs of the authenticated state (state/AuthenticatedState). */
export interface StateStore {
  /**
   * Must be atomic: apply the whole batch or throw with nothing changed (AuthenticatedState
   * checks a batch before touching the tree). The VM used to take a snapshot around it
   * instead, which made every block copy each node on its changed paths.
   */
  applyChanges(changes: Iterable<StateChange>, paths?: Int32Array): void;
  root(): Uint8Array;
  prove(key: Uint8Array): StateProof;
}

/** What the VM needs of the withdrawals tree (state/WithdrawalsTree). */
export interface WithdrawalsStore {
  append(leaf: WithdrawalLeaf): number;
  root(): Uint8Array;
  prove(index: number | bigint): Uint8Array[];
}

export interface CurveVMOptions {
  /** An empty store; defaults to a new AuthenticatedState. */
  readonly state?: StateStore;
  /** An empty tree; defaults to a new WithdrawalsTree of depth 24. */
  readonly withdrawals?: WithdrawalsStore;
}

/** A record of the state, for reads and proofs. */
export type RecordRef =
  | { readonly kind: 'config' }
  | { readonly kind: 'chain' }
  | { readonly kind: 'account'; readonly address: Bytes32 }
  | { readonly kind: 'holding'; readonly address: Bytes32; readonly curve: Bytes32 }
  | { readonly kind: 'lp'; readonly address: Bytes32; readonly curve: Bytes32 }
  | { readonly kind: 'curve'; readonly curve: Bytes32 }
  | { readonly kind: 'template'; readonly curve: Bytes32 }
  | { readonly kind: 'escrow'; readonly curve: Bytes32; readonly buyer: Bytes32 }
  | { readonly kind: 'deposit'; readonly depositSeq: bigint };

export interface StateProofResult {
  readonly key: Uint8Array;
  /** The record's encoding (records.ts codecs), or null when absent. */
  readonly value: Uint8Array | null;
  readonly proof: StateProof;
  readonly root: Uint8Array;
}

/** Read-only view of every record, for the conservation checker and tests. */
export interface VmAuditView {
  readonly config: ConfigRecord;
  readonly chain: ChainRecord;
  readonly accounts: ReadonlyMap<string, AccountRecord>;
  /** Keyed by address key || curve key (keys.ts: 32-char binary strings). */
  readonly holdings: ReadonlyMap<string, HoldingRecord>;
  readonly curves: ReadonlyMap<string, CurveRecord>;
  readonly lp: ReadonlyMap<string, { readonly shares: bigint }>;
  /** Keyed by curve key || buyer key. */
  readonly escrows: ReadonlyMap<string, EscrowRecord>;
  readonly deposits: ReadonlyMap<string, DepositRecord>;
  runtime(curveKey: string): CurveRuntime;
}

/** Persisted records that cannot be the state of any chain with this genesis (`CurveVM.restore`). */
export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

const NO_EVENTS: readonly VmEvent[] = Object.freeze([]);

/**
 * A receipt whose `txId` (sha256 of the signed encoding, as `transactionHash`) is computed on
 * first read: hashing every transaction costs ~15% of execution, and whoever stores receipts
 * usually holds the received bytes and their hash already. The value is the same either way.
 */
class TxReceipt implements Receipt {
  readonly status: 'ok' | 'failed';
  readonly error?: ErrorCode;
  readonly message?: string;
  #tx: Transaction;
  #txId: Bytes32 | undefined;
  constructor(
    readonly index: number,
    tx: Transaction,
    txId: Bytes32 | undefined,
    readonly computeUnits: number,
    readonly events: readonly VmEvent[],
    failure?: AssetL2Error,
  ) {
    this.#tx = tx;
    this.#txId = txId;
    this.status = failure ? 'failed' : 'ok';
    if (failure) {
      this.error = failure.code;
      this.message = failure.message;
    }
  }
  get txId(): Bytes32 {
    this.#txId ??= transactionHash(this.#tx);
    return this.#txId;
  }
  /** A plain Receipt (the getter is not an own property: spread or JSON would drop it). */
  toJSON(): Receipt {
    const { index, txId, status, error, message, computeUnits, events } = this;
    return status === 'ok'
      ? { index, txId, status, computeUnits, events }
      : { index, txId, status, error, message, computeUnits, events };
  }
}

export class CurveVM {
  private readonly s = new VmState();
  private readonly runtimes = new CurveRuntimes();
  private readonly executor: Executor;
  private readonly store: StateStore;
  private readonly withdrawalsTree: WithdrawalsStore;
  private readonly chainId: number;
  private readonly computeLimit: number;
  private currentStateRoot: Uint8Array;
  private currentWithdrawalsRoot: Uint8Array;

  constructor(genesis: Genesis, options: CurveVMOptions = {}) {
    this.store = options.state ?? new AuthenticatedState();
    this.withdrawalsTree = options.withdrawals ?? new WithdrawalsTree();
    const config = genesisConfig(genesis);
    this.chainId = config.chainId;
    this.computeLimit = genesis.computeLimitPerBlock;
    const s = this.s;
    s.put(s.config, SINGLETON_KEY, config);
    s.put(s.chain, SINGLETON_KEY, {
      height: 0n,
      timestamp: 0n,
      withdrawalCount: 0n,
      totalDeposited: 0n,
      totalWithdrawn: 0n,
    });
    for (const [address, lamports] of genesis.accounts) {
      s.put(s.accounts, keyOf(address), { lamports, nonce: 0n });
    }
    this.store.applyChanges(s.changes(), s.changePaths);
    s.clear();
    this.currentStateRoot = this.store.root();
    this.currentWithdrawalsRoot = this.withdrawalsTree.root();
    this.executor = new Executor(s, this.runtimes);
  }

  // ------------------------------------------------------------------ blocks

  /**
   * Executes a block atomically. Throws BlockInvalidError (code BLOCK_INVALID; `reason`
   * TX_BAD_NONCE, TX_BAD_SIGNATURE, TX_WRONG_CHAIN, COMPUTE_LIMIT, TX_MALFORMED... and the
   * first offending `txIndex`; BLOCK_INVALID with txIndex null for a bad height or timestamp)
   * and then the state is exactly as before the call.
   */
  applyBlock(block: Block, options: ApplyOptions): BlockResult {
    const s = this.s;
    const chain = s.chainRecord;
    if (block.height !== chain.height + 1n) {
      throw new BlockInvalidError('BLOCK_INVALID', null, `height ${block.height} after ${chain.height}`);
    }
    if (block.timestamp < chain.timestamp || block.timestamp > U64_MAX) {
      throw new BlockInvalidError(
        'BLOCK_INVALID',
        null,
        `timestamp ${block.timestamp} is before ${chain.timestamp} or past u64`,
      );
    }
    const executor = this.executor;
    const ctx = { height: block.height, timestamp: block.timestamp };
    try {
      s.put(s.chain, SINGLETON_KEY, { ...chain, height: block.height, timestamp: block.timestamp });
      const blockEvents = executor.clearDueWindows(block.height);
      s.settle();
      const txs = block.transactions;
      const receipts: Receipt[] = new Array(txs.length);
      let computeUsed = 0;
      for (let i = 0; i < txs.length; i++) {
        const tx = txs[i]!;
        const shape = transactionShapeError(tx);
        if (shape) throw new BlockInvalidError(shape[0], i, shape[1]);
        const units = computeUnits(tx);
        computeUsed += units;
        if (computeUsed > this.computeLimit) {
          throw new BlockInvalidError(
            'COMPUTE_LIMIT',
            i,
            `the block needs more than ${this.computeLimit} units`,
          );
        }
        if (tx.chainId !== this.chainId) {
          throw new BlockInvalidError('TX_WRONG_CHAIN', i, `chain ${tx.chainId}, expected ${this.chainId}`);
        }
        if (options.verifySignatures && !verifyTransactionSignature(tx)) {
          throw new BlockInvalidError('TX_BAD_SIGNATURE', i, "the signature is not the sender's");
        }
        const senderKey = keyOf(tx.sender);
        const account = executor.account(senderKey);
        if (tx.nonce !== account.nonce || account.nonce === U64_MAX) {
          throw new BlockInvalidError('TX_BAD_NONCE', i, `nonce ${tx.nonce}, expected ${account.nonce}`);
        }
        s.put(s.accounts, senderKey, { lamports: account.lamports, nonce: account.nonce + 1n });
        // CREATE_CURVE needs its id now (it names the curve); everyone else's is hashed on read.
        const txId = tx.operation.op === 'create_curve' ? transactionHash(tx) : undefined;
        const mark = s.mark();
        const leaves = executor.pendingLeaves.length;
        const events: VmEvent[] = [];
        try {
          executor.execute(tx, senderKey, txId, ctx, events);
          receipts[i] = new TxReceipt(i, tx, txId, units, events);
        } catch (e) {
          if (!isAssetL2Error(e)) throw e;
          s.rollback(mark);
          executor.pendingLeaves.length = leaves;
          receipts[i] = new TxReceipt(i, tx, txId, units, NO_EVENTS, e);
        }
        s.settle();
      }
      const { changes, withdrawals } = this.commit();
      return {
        height: block.height,
        receipts,
        events: blockEvents,
        stateRoot: this.currentStateRoot.slice(),
        withdrawalsRoot: this.currentWithdrawalsRoot.slice(),
        computeUsed,
        changes,
        withdrawals,
      };
    } catch (e) {
      s.rollbackBlock();
      executor.pendingLeaves.length = 0;
      throw e;
    }
  }

  /** Hands the block's changes to both trees (the state tree's applyChanges is atomic). */
  private commit(): { changes: StateChange[]; withdrawals: WithdrawalLeaf[] } {
    const changes = this.s.changes();
    this.store.applyChanges(changes, this.s.changePaths);
    this.currentStateRoot = this.store.root();
    const withdrawals = this.executor.pendingLeaves.splice(0);
    for (const leaf of withdrawals) this.withdrawalsTree.append(leaf);
    if (withdrawals.length > 0) this.currentWithdrawalsRoot = this.withdrawalsTree.root();
    this.s.clear();
    return { changes, withdrawals };
  }

  // ------------------------------------------------------------------ persistence

  /**
   * Rebuilds the VM that produced a chain's persisted records, with the same roots and the
   * same behaviour from then on.
   *
   * - `entries`: the state's records as a store holds them after writing every block's
   *   `BlockResult.changes` in order (a null value deletes the key). Records the genesis
   *   created and no block changed are rebuilt from `genesis`, so the store need not hold them
   *   (it may: the same bytes). Any order.
   * - `withdrawals`: every block's `BlockResult.withdrawals`, in order (index 0, 1, 2…).
   * - `options`: as for the constructor (empty stores).
   *
   * Derived data is rebuilt, never stored: curve runtimes from the template records, the
   * sealed-window schedule from the curves still `sealed`. Throws RestoreError on a key that
   * is not a record's, a value that is not its record's canonical encoding, a config that is
   * not the genesis's, or withdrawals that do not match the chain record's count. Compare
   * `stateRoot()` and `withdrawalsRoot()` with the last persisted block's to check the rest.
   */
  static restore(
    genesis: Genesis,
    entries: Iterable<readonly [key: Uint8Array, value: Uint8Array]>,
    withdrawals: Iterable<WithdrawalLeaf>,
    options: CurveVMOptions = {},
  ): CurveVM {
    const vm = new CurveVM(genesis, options);
    vm.loadRecords(entries);
    vm.loadWithdrawals(withdrawals);
    return vm;
  }

  /** `restore`: puts every record over the genesis state, in the tables and the state tree. */
  private loadRecords(entries: Iterable<readonly [Uint8Array, Uint8Array]>): void {
    const s = this.s;
    const genesisConfig = encodeRecord('config', s.configRecord);
    const changes: StateChange[] = [];
    for (const [key, value] of entries) {
      const parsed = parseStateKey(key);
      if (parsed === null) throw new RestoreError(`${toHex(key)} is not a record's key`);
      const [kind, memoryKey] = parsed;
      let record: unknown;
      try {
        // From a plain copy: a store's buffers (Node Buffers, reused by some databases) must
        // not end up inside records.
        record = decodeRecord(kind, new Uint8Array(value));
      } catch (e) {
        throw new RestoreError(`the ${kind} record ${toHex(key)} does not decode: ${String(e)}`);
      }
      // Canonical bytes only: the root commits to them, and the VM re-encodes on every change.
      const encoded = encodeRecord(kind, record as RecordOf<typeof kind>);
      if (!sameBytes(encoded, value)) {
        throw new RestoreError(`the ${kind} record ${toHex(key)} is not in canonical encoding`);
      }
      if (kind === 'config') {
        if (toHex(encoded) !== toHex(genesisConfig))
          throw new RestoreError('the records are of another genesis');
        continue;
      }
      s.tableOf(kind).map.set(memoryKey, record);
      changes.push([key, encoded]);
    }
    this.store.applyChanges(changes);
    this.currentStateRoot = this.store.root();
    // Derived: each curve's runtime (from its template), and the sealed windows still open,
    // which close after createdHeight + sealedBlocks.
    for (const [key, curve] of s.curves.map) {
      const template = s.templates.map.get(key);
      if (template === undefined) throw new RestoreError(`curve ${toHex(curve.id)} has no template record`);
      const runtime = this.runtimes.forCurve(key, () => template);
      if (curve.phase === 'sealed') {
        s.sealedUntil.map.set(key, curve.createdHeight + BigInt(runtime.template.sealedBlocks));
      }
    }
  }

  /** `restore`: appends the persisted withdrawals, which must be all of them, in order. */
  private loadWithdrawals(withdrawals: Iterable<WithdrawalLeaf>): void {
    let count = 0n;
    for (const leaf of withdrawals) {
      if (leaf.index !== count) throw new RestoreError(`withdrawal ${leaf.index} where ${count} was due`);
      this.withdrawalsTree.append(leaf);
      count++;
    }
    const expected = this.s.chainRecord.withdrawalCount;
    if (count !== expected)
      throw new RestoreError(`${count} withdrawals, the chain record counts ${expected}`);
    this.currentWithdrawalsRoot = this.withdrawalsTree.root();
  }

  // ------------------------------------------------------------------ reads

  get height(): bigint {
    return this.s.chainRecord.height;
  }

  get timestamp(): bigint {
    return this.s.chainRecord.timestamp;
  }

  get config(): ConfigRecord {
    return this.s.configRecord;
  }

  get chain(): ChainRecord {
    return this.s.chainRecord;
  }

  stateRoot(): Uint8Array {
    return this.currentStateRoot.slice();
  }

  withdrawalsRoot(): Uint8Array {
    return this.currentWithdrawalsRoot.slice();
  }

  account(address: Bytes32): AccountRecord {
    return this.executor.account(keyOf(address));
  }

  /** The nonce the account's next transaction must carry. */
  nextNonce(address: Bytes32): bigint {
    return this.account(address).nonce;
  }

  holding(address: Bytes32, curve: Bytes32): HoldingRecord {
    return this.s.holdings.get(pairKey(address, curve)) ?? { amount: 0n, bought: 0n };
  }

  lpShares(address: Bytes32, curve: Bytes32): bigint {
    return this.s.lp.get(pairKey(address, curve))?.shares ?? 0n;
  }

  curve(id: Bytes32): CurveRecord | undefined {
    return this.s.curves.get(keyOf(id));
  }

  /** The decoded template, model and guard parameters of an existing curve. */
  curveRuntime(id: Bytes32): CurveRuntime | undefined {
    const key = keyOf(id);
    if (!this.s.curves.get(key)) return undefined;
    return this.runtimes.forCurve(key, () => this.s.templates.get(key)!);
  }

  escrow(curve: Bytes32, buyer: Bytes32): EscrowRecord | undefined {
    return this.s.escrows.get(escrowKey(keyOf(curve), keyOf(buyer)));
  }

  depositApplied(depositSeq: bigint): boolean {
    return this.s.deposits.map.has(depositSeq.toString());
  }

  /** The record's encoding with its inclusion (or non-inclusion) proof against stateRoot(). */
  stateProof(ref: RecordRef): StateProofResult {
    const [table, key] = this.locate(ref);
    const kind = table.kind!;
    const record = table.get(key);
    const stored = stateKey(kind, key);
    return {
      key: stored,
      value: record === undefined ? null : encodeRecord(kind, record as RecordOf<typeof kind>),
      proof: this.store.prove(stored),
      root: this.stateRoot(),
    };
  }

  /** Sibling hashes of withdrawal `index` against withdrawalsRoot(). */
  withdrawalProof(index: bigint): Uint8Array[] {
    return this.withdrawalsTree.prove(index);
  }

  audit(): VmAuditView {
    const s = this.s;
    return {
      config: s.configRecord,
      chain: s.chainRecord,
      accounts: s.accounts.map,
      holdings: s.holdings.map,
      curves: s.curves.map,
      lp: s.lp.map,
      escrows: s.escrows.map,
      deposits: s.deposits.map,
      runtime: (key) => this.runtimes.forCurve(key, () => s.templates.get(key)!),
    };
  }

  private locate(ref: RecordRef): [Table<unknown>, string] {
    const s = this.s;
    const at = <V>(table: Table<V>, key: string): [Table<unknown>, string] => [table as Table<unknown>, key];
    switch (ref.kind) {
      case 'config':
        return at(s.config, SINGLETON_KEY);
      case 'chain':
        return at(s.chain, SINGLETON_KEY);
      case 'account':
        return at(s.accounts, keyOf(ref.address));
      case 'holding':
        return at(s.holdings, pairKey(ref.address, ref.curve));
      case 'lp':
        return at(s.lp, pairKey(ref.address, ref.curve));
      case 'curve':
        return at(s.curves, keyOf(ref.curve));
      case 'template':
        return at(s.templates, keyOf(ref.curve));
      case 'escrow':
        return at(s.escrows, escrowKey(keyOf(ref.curve), keyOf(ref.buyer)));
      case 'deposit':
        return at(s.deposits, ref.depositSeq.toString());
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks a genesis and turns it into the committed config record. */
function genesisConfig(genesis: Genesis): ConfigRecord {
  const bad = (message: string): never => {
    throw new AssetL2Error('INVALID_AMOUNT', `invalid genesis: ${message}`);
  };
  const { chainId, computeLimitPerBlock } = genesis;
  if (!Number.isInteger(chainId) || chainId < 0 || chainId > 0xffff_ffff) bad('chainId must be a u32');
  if (!Number.isSafeInteger(computeLimitPerBlock) || computeLimitPerBlock <= 0) {
    bad('computeLimitPerBlock must be a positive integer');
  }
  const is32 = (a: unknown) => a instanceof Uint8Array && a.length === 32;
  if (!is32(genesis.protocolAccount)) bad('protocolAccount must be 32 bytes');
  if (genesis.bridgeAuthorities.length > MAX_BRIDGE_AUTHORITIES) bad('too many bridge authorities');
  for (const a of genesis.bridgeAuthorities) if (!is32(a)) bad('bridge authorities must be 32 bytes');
  const seen = new Set<string>();
  let total = 0n;
  for (const [address, lamports] of genesis.accounts) {
    if (!is32(address)) bad('account addresses must be 32 bytes');
    const key = keyOf(address);
    if (seen.has(key)) bad(`account ${toHex(address)} appears twice`);
    seen.add(key);
    if (typeof lamports !== 'bigint' || lamports < 0n || lamports > U64_MAX) bad('balances must be u64');
    total += lamports;
  }
  // All lamports on L2 fit one u64 together (DEPOSIT keeps it so): no balance can overflow.
  if (total > U64_MAX) bad('the genesis balances exceed u64 together');
  return {
    chainId,
    protocolAccount: genesis.protocolAccount,
    bridgeAuthorities: genesis.bridgeAuthorities,
    computeLimitPerBlock: BigInt(computeLimitPerBlock),
    genesisLamports: total,
  };
}
