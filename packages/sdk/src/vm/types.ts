/**
 * CurveVM's values: genesis, blocks, receipts, events and block results. Addresses and curve
 * ids are 32 raw bytes (base58 only at the edges), amounts are bigints (u64), heights are
 * bigints and timestamps are milliseconds.
 */
import type { ErrorCode } from '../errors/index.ts';
import type { WithdrawalLeaf } from '../state/index.ts';
import type { Bytes32, Transaction } from '../tx/types.ts';

export interface Genesis {
  readonly chainId: number;
  /** Initial lamport balances (nonce 0). Every address at most once. */
  readonly accounts: readonly (readonly [address: Bytes32, lamports: bigint])[];
  /** Receives the protocol's share of fees and migration fees (taken with CLAIM). */
  readonly protocolAccount: Bytes32;
  /** Who may send DEPOSIT (the validators' L1 watcher keys). */
  readonly bridgeAuthorities: readonly Bytes32[];
  /** Σ computeUnits(tx) of a block may not exceed this. */
  readonly computeLimitPerBlock: number;
}

export interface Block {
  /** Consecutive: the first block after genesis has height 1. */
  readonly height: bigint;
  /** Milliseconds since the Unix epoch; never decreases. */
  readonly timestamp: bigint;
  readonly transactions: readonly Transaction[];
}

export interface ApplyOptions {
  /** false when the caller already verified them (mempool, block builder, benches). */
  readonly verifySignatures: boolean;
}

export type CurvePhase = 'sealed' | 'trading' | 'migration_pending' | 'migrated';

/** Per-buyer outcome of a sealed-window clearing. */
export interface ClearingFill {
  readonly buyer: Bytes32;
  /** Σ of the buyer's escrowed bounds b_i. */
  readonly bound: bigint;
  readonly tokens: bigint;
  /** c_i: lamports into the vault. */
  readonly cost: bigint;
  readonly fee: bigint;
  readonly refund: bigint;
}

export type VmEvent =
  | {
      readonly type: 'curve_created';
      readonly curve: Bytes32;
      readonly creator: Bytes32;
      readonly templateHash: Bytes32;
      /** Last block of the sealed window, or null without one. */
      readonly sealedUntil: bigint | null;
    }
  | {
      readonly type: 'bought';
      readonly curve: Bytes32;
      readonly buyer: Bytes32;
      readonly tokens: bigint;
      readonly net: bigint;
      readonly fee: bigint;
      readonly total: bigint;
    }
  | {
      readonly type: 'sold';
      readonly curve: Bytes32;
      readonly seller: Bytes32;
      readonly tokens: bigint;
      readonly gross: bigint;
      readonly fee: bigint;
      readonly out: bigint;
    }
  /** A BUY inside the sealed window: `bound` lamports moved from the buyer to escrow. */
  | { readonly type: 'escrowed'; readonly curve: Bytes32; readonly buyer: Bytes32; readonly bound: bigint }
  | {
      readonly type: 'sealed_cleared';
      readonly curve: Bytes32;
      /** net* / Δ*: lamports per base unit every participant paid (0/1 when nothing cleared). */
      readonly price: { readonly num: bigint; readonly den: bigint };
      readonly tokens: bigint;
      readonly buyers: readonly ClearingFill[];
    }
  /** The migration threshold was reached: curve trades now fail MIGRATION_PENDING. */
  | { readonly type: 'migration_reached'; readonly curve: Bytes32 }
  | {
      readonly type: 'migrated';
      readonly curve: Bytes32;
      readonly x: bigint;
      readonly y: bigint;
      readonly lpSupply: bigint;
      readonly migrationFee: bigint;
      /** Shares given to the creator (`lp creator`) or burned (`lp burn`): lpSupply − 1000. */
      readonly creatorShares: bigint;
      readonly burnedShares: bigint;
    }
  /** A trade against the pool; the fee is in the input asset and stays in the pool. */
  | {
      readonly type: 'swapped';
      readonly curve: Bytes32;
      readonly trader: Bytes32;
      readonly input: 'lamports' | 'tokens';
      readonly amountIn: bigint;
      readonly fee: bigint;
      readonly amountOut: bigint;
    }
  | {
      readonly type: 'liquidity_added';
      readonly curve: Bytes32;
      readonly provider: Bytes32;
      readonly lamports: bigint;
      readonly tokens: bigint;
      /** 0 before migration (lamports into the vault mint nothing). */
      readonly shares: bigint;
    }
  | {
      readonly type: 'liquidity_removed';
      readonly curve: Bytes32;
      readonly provider: Bytes32;
      readonly shares: bigint;
      readonly lamports: bigint;
      readonly tokens: bigint;
    }
  | {
      readonly type: 'transferred';
      readonly from: Bytes32;
      readonly to: Bytes32;
      /** null for lamports, else the curve whose token moved. */
      readonly curve: Bytes32 | null;
      readonly amount: bigint;
    }
  | {
      readonly type: 'claimed';
      readonly curve: Bytes32;
      readonly claimant: Bytes32;
      /** Lamports: creator fees (the creator) and/or protocol fees (the protocol account). */
      readonly fees: bigint;
      /** Vested creator allocation, newly released. */
      readonly tokens: bigint;
    }
  | {
      readonly type: 'withdrawn';
      readonly index: bigint;
      readonly leaf: Bytes32;
      readonly sender: Bytes32;
      readonly l1Recipient: Bytes32;
      readonly lamports: bigint;
    }
  | {
      readonly type: 'deposited';
      readonly depositSeq: bigint;
      readonly recipient: Bytes32;
      readonly lamports: bigint;
    };

export type VmEventType = VmEvent['type'];

export interface Receipt {
  readonly index: number;
  /**
   * sha256 of the signed transaction's encoding (tx's `transactionHash`, not `transactionId`,
   * which is the base58 signature). A CREATE_CURVE's txId is the id of the curve it created.
   */
  readonly txId: Bytes32;
  readonly status: 'ok' | 'failed';
  /** The stable error code of a failed transaction. */
  readonly error?: ErrorCode;
  /** A sentence for the user. */
  readonly message?: string;
  readonly computeUnits: number;
  /** Empty for a failed transaction: it changed nothing but its nonce. */
  readonly events: readonly VmEvent[];
}

export interface BlockResult {
  readonly height: bigint;
  readonly receipts: readonly Receipt[];
  /** Events of the block itself, not of a transaction: sealed-window clearings at its start. */
  readonly events: readonly VmEvent[];
  readonly stateRoot: Uint8Array;
  readonly withdrawalsRoot: Uint8Array;
  readonly computeUsed: number;
  /**
   * The block's state change set, exactly as the state tree received it: each changed
   * record's state key (u8 tag ‖ key bytes) and encoding, or null where the record was
   * deleted. A store that writes these (with the block, atomically) holds the records
   * `CurveVM.restore` needs. Read-only: keys are shared with the VM's key cache.
   */
  readonly changes: readonly (readonly [key: Uint8Array, value: Uint8Array | null])[];
  /** The leaves this block appended to the withdrawals tree, in order (`CurveVM.restore`). */
  readonly withdrawals: readonly WithdrawalLeaf[];
}
