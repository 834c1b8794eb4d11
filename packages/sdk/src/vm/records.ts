/**
 * CurveVM's state records: one plain readonly value type and one codec per record kind, and
 * the key of every record in the authenticated state. Records are immutable: an update puts a
 * new value, which is what lets the journal (state.ts) undo a transaction by restoring the
 * previous reference and lets the commitment skip records a block left unchanged.
 *
 * State keys: u8 tag || key bytes (keys.ts, stateKey), key bytes per kind below; the state
 * tree hashes each key into its path.
 */
import {
  ByteWriter,
  type Codec,
  decode,
  encode,
  fixedBytes,
  literalEnum,
  option,
  struct,
  u32,
  u64,
  vec,
} from '../codec/index.ts';
import type { CurveState } from '../curve/index.ts';
import type { Bytes32 } from '../tx/types.ts';
import type { CurvePhase } from './types.ts';

/** Lamports and the next expected nonce. */
export interface AccountRecord {
  readonly lamports: bigint;
  readonly nonce: bigint;
}

/** An account's tokens of one curve; `bought` is the cumulative curve buys (max_buy). */
export interface HoldingRecord {
  readonly amount: bigint;
  readonly bought: bigint;
}

/** The AMM pool after migration; 1000 of `shares` are locked forever (LOCKED_LP_SHARES). */
export interface PoolRecord {
  readonly x: bigint;
  readonly y: bigint;
  /** S: every share ever minted and not burned by REMOVE_LIQUIDITY (locked and burned included). */
  readonly shares: bigint;
  /** Shares minted to the burn side at migration (`lp burn`): nobody can redeem them. */
  readonly burnedShares: bigint;
}

export interface CurveRecord {
  /** = the txId of the CREATE_CURVE transaction (sha256 of its signed encoding). */
  readonly id: Bytes32;
  readonly creator: Bytes32;
  readonly templateHash: Bytes32;
  readonly createdHeight: bigint;
  /** Block timestamp (ms) of the creation block: vesting counts from it. */
  readonly createdAt: bigint;
  readonly phase: CurvePhase;
  /** The curve module's state (sold, X/vault-target, Y/left for sale). */
  readonly state: CurveState;
  /**
   * Lamports backing the curve: the curve math's vault (X − X0, or T(sold)) plus the sealed
   * clearing surplus plus ADD_LIQUIDITY before migration. 0 once migrated (moved to the pool).
   */
  readonly vault: bigint;
  readonly creatorFees: bigint;
  /** The protocol's share of curve fees, and the migration fee. */
  readonly protocolFees: bigint;
  /** Creator allocation released so far by CLAIM. */
  readonly claimedAllocation: bigint;
  /** Σ escrowed bounds of the sealed window (0 outside it). */
  readonly escrowTotal: bigint;
  readonly pool: PoolRecord | null;
}

export interface LpRecord {
  readonly shares: bigint;
}

/** One buyer's bids in a sealed window, aggregated (clearing is per buyer, order-free). */
export interface EscrowRecord {
  /** Σ b_i: budgets, or max_total of exact-token buys. */
  readonly bound: bigint;
  /** Σ tokens asked by exact-token buys; null once any budget buy (no token cap) was placed. */
  readonly asked: bigint | null;
}

/** An applied bridge deposit (its sequence number can never be credited again). */
export interface DepositRecord {
  readonly recipient: Bytes32;
  readonly lamports: bigint;
  readonly height: bigint;
}

/** Chain-wide counters; the only record every block rewrites. */
export interface ChainRecord {
  readonly height: bigint;
  readonly timestamp: bigint;
  /** Leaves in the withdrawals tree: the next withdrawal's index. */
  readonly withdrawalCount: bigint;
  readonly totalDeposited: bigint;
  readonly totalWithdrawn: bigint;
}

/** Genesis parameters, committed so that the genesis root names the chain's rules. */
export interface ConfigRecord {
  readonly chainId: number;
  readonly protocolAccount: Bytes32;
  readonly bridgeAuthorities: readonly Bytes32[];
  readonly computeLimitPerBlock: bigint;
  readonly genesisLamports: bigint;
}

const bytes32 = fixedBytes(32);

export const accountCodec: Codec<AccountRecord> = struct<AccountRecord>([
  ['lamports', u64],
  ['nonce', u64],
]);

export const holdingCodec: Codec<HoldingRecord> = struct<HoldingRecord>([
  ['amount', u64],
  ['bought', u64],
]);

const curveStateCodec: Codec<CurveState> = struct<CurveState>([
  ['sold', u64],
  ['quote', u64],
  ['tokens', u64],
]);

const poolCodec: Codec<PoolRecord> = struct<PoolRecord>([
  ['x', u64],
  ['y', u64],
  ['shares', u64],
  ['burnedShares', u64],
]);

export const CURVE_PHASES: readonly CurvePhase[] = ['sealed', 'trading', 'migration_pending', 'migrated'];

export const curveCodec: Codec<CurveRecord> = struct<CurveRecord>([
  ['id', bytes32],
  ['creator', bytes32],
  ['templateHash', bytes32],
  ['createdHeight', u64],
  ['createdAt', u64],
  ['phase', literalEnum(CURVE_PHASES)],
  ['state', curveStateCodec],
  ['vault', u64],
  ['creatorFees', u64],
  ['protocolFees', u64],
  ['claimedAllocation', u64],
  ['escrowTotal', u64],
  ['pool', option(poolCodec)],
]);

/** The template's canonical bytes as they are (already a self-describing format). */
export const templateBytesCodec: Codec<Uint8Array> = {
  write: (w, v) => w.bytes(v),
  read: (r) => r.bytes(r.remaining).slice(),
};

export const lpCodec: Codec<LpRecord> = struct<LpRecord>([['shares', u64]]);

export const escrowCodec: Codec<EscrowRecord> = struct<EscrowRecord>([
  ['bound', u64],
  ['asked', option(u64)],
]);

export const depositCodec: Codec<DepositRecord> = struct<DepositRecord>([
  ['recipient', bytes32],
  ['lamports', u64],
  ['height', u64],
]);

export const chainCodec: Codec<ChainRecord> = struct<ChainRecord>([
  ['height', u64],
  ['timestamp', u64],
  ['withdrawalCount', u64],
  ['totalDeposited', u64],
  ['totalWithdrawn', u64],
]);

/** A bridge committee larger than this is not a committee. */
export const MAX_BRIDGE_AUTHORITIES = 256;

export const configCodec: Codec<ConfigRecord> = struct<ConfigRecord>([
  ['chainId', u32],
  ['protocolAccount', bytes32],
  ['bridgeAuthorities', vec(bytes32, MAX_BRIDGE_AUTHORITIES)],
  ['computeLimitPerBlock', u64],
  ['genesisLamports', u64],
]);

/**
 * Record kinds in the state tree, with their tag (never renumber) and key bytes:
 * config, chain: none; account: address; holding, lp: address || curve; curve, template:
 * curve id; escrow: curve || buyer; deposit: u64 LE sequence number.
 */
export const RECORD_TAGS = {
  config: 1,
  chain: 2,
  account: 3,
  holding: 4,
  curve: 5,
  template: 6,
  lp: 7,
  escrow: 8,
  deposit: 9,
} as const;

export type RecordKind = keyof typeof RECORD_TAGS;

export const RECORD_CODECS = {
  config: configCodec,
  chain: chainCodec,
  account: accountCodec,
  holding: holdingCodec,
  curve: curveCodec,
  template: templateBytesCodec,
  lp: lpCodec,
  escrow: escrowCodec,
  deposit: depositCodec,
} as const satisfies { readonly [K in RecordKind]: Codec<unknown> };

export type RecordOf<K extends RecordKind> = (typeof RECORD_CODECS)[K] extends Codec<infer V> ? V : never;

/** One reused writer: a block commits thousands of records (a fresh writer each was a tenth of the VM's time). */
const writer = new ByteWriter();

export function encodeRecord<K extends RecordKind>(kind: K, value: RecordOf<K>): Uint8Array {
  try {
    (RECORD_CODECS[kind] as Codec<RecordOf<K>>).write(writer, value);
    return writer.take();
  } finally {
    writer.reset();
  }
}

/** encodeRecord through codec.ts's own writer: the reference the fast path is tested against. */
export function encodeRecordReference<K extends RecordKind>(kind: K, value: RecordOf<K>): Uint8Array {
  return encode(RECORD_CODECS[kind] as Codec<RecordOf<K>>, value);
}

export function decodeRecord<K extends RecordKind>(kind: K, bytes: Uint8Array): RecordOf<K> {
  return decode(RECORD_CODECS[kind] as Codec<RecordOf<K>>, bytes);
}
