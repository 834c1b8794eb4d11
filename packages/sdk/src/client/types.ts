/**
 * The node API's values, as the wire carries them and as the client hands them out. One type
 * per value, generic over how an amount is represented: `A = string` is the JSON (amounts as
 * decimal strings, ARCHITECTURE.md §8), `A = bigint` what RpcClient returns. Counters (heights,
 * nonces, indexes, timestamps in ms) are numbers; hashes and roots lowercase hex; addresses,
 * curve ids and transaction ids base58; field names camelCase.
 *
 * The server builds these in packages/node/src/api/views.ts; the client parses them back in
 * parse.ts. Events are described once, field by field, in EVENT_FIELDS, which both directions
 * walk, so that an event field cannot be encoded one way and decoded another.
 */
import type { VmEvent, VmEventType } from '../vm/types.ts';

export interface RpcHealth {
  /** 'ok', or 'unhealthy' with a sentence in `message` (e.g. behind its peers, no quorum). */
  readonly status: 'ok' | 'unhealthy';
  readonly chainId: number;
  readonly height: number;
  readonly devnet: boolean;
  readonly message?: string;
}

export interface RpcBlock {
  readonly height: number;
  readonly hash: string;
  readonly parentHash: string;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** base58 address of the proposer (null for genesis). */
  readonly proposer: string | null;
  readonly stateRoot: string;
  readonly withdrawalsRoot: string;
  readonly transactionCount: number;
  /** Transaction ids (base58 signatures) in block order. */
  readonly transactions: readonly string[];
}

export interface RpcAccount<A = bigint> {
  readonly address: string;
  readonly lamports: A;
  /** The nonce the account's next transaction must carry. */
  readonly nonce: number;
  /** Token balances (base units) by curve id; curves with a zero balance are left out. */
  readonly tokens: Readonly<Record<string, A>>;
  /** LP shares of migrated pools, by curve id. */
  readonly lpShares: Readonly<Record<string, A>>;
}

/** An exact price, lamports per base unit: num / den. */
export interface RpcPrice<A = bigint> {
  readonly num: A;
  readonly den: A;
}

export interface RpcPool<A = bigint> {
  /** Lamports in the pool. */
  readonly lamports: A;
  /** Tokens in the pool, base units. */
  readonly tokens: A;
  readonly shares: A;
  readonly burnedShares: A;
}

export interface RpcMigration<A = bigint> {
  readonly trigger: 'sold' | 'raised';
  /** Base units (`sold`) or lamports (`raised`). */
  readonly threshold: A;
  readonly ammFeeBps: number;
  readonly migrationFee: A;
  readonly lp: 'burn' | 'creator';
}

export type RpcCurvePhase = 'sealed' | 'trading' | 'migration_pending' | 'migrated';

export interface RpcCurve<A = bigint> {
  /** The curve id: base58 of the hash of its CREATE_CURVE transaction. */
  readonly id: string;
  readonly creator: string;
  readonly templateHash: string;
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
  /** 'constant_product' | 'linear' | 'exponential' | 'sigmoid' | 'piecewise'. */
  readonly shape: string;
  readonly phase: RpcCurvePhase;
  readonly createdHeight: number;
  /** Milliseconds (block timestamp of the creation block). */
  readonly createdAt: number;
  /** Last block of the sealed launch window, or null without one. */
  readonly sealedUntil: number | null;
  readonly supply: A;
  /** Tokens for sale on the curve (N). */
  readonly forSale: A;
  readonly sold: A;
  /** Lamports backing the curve (0 once migrated: they moved to the pool). */
  readonly vault: A;
  /** Curve price before migration, pool price after. */
  readonly spotPrice: RpcPrice<A>;
  readonly feeBps: number;
  readonly creatorFees: A;
  readonly protocolFees: A;
  readonly creatorAllocation: A;
  readonly claimedAllocation: A;
  readonly escrowTotal: A;
  readonly maxBuy: A | null;
  readonly migration: RpcMigration<A> | null;
  readonly pool: RpcPool<A> | null;
}

/** Exactly one of the three. */
export type RpcQuoteRequest<A = bigint> =
  | { readonly buyTokens: A }
  | { readonly buyLamports: A }
  | { readonly sellTokens: A };

export interface RpcQuote<A = bigint> {
  readonly curveId: string;
  readonly side: 'buy' | 'sell';
  /**
   * Where the trade would execute: the curve, the sealed window (an indication: the window
   * clears every bid at one uniform price when it closes) or the AMM pool after migration.
   */
  readonly venue: 'curve' | 'sealed' | 'pool';
  readonly tokens: A;
  /** Buy: lamports paid, fee included. Sell: lamports received, fee deducted. */
  readonly lamports: A;
  /** Lamports for curve trades; in the input asset for pool trades. */
  readonly fee: A;
}

export interface RpcValidator {
  readonly address: string;
  /** Position in the committee (the leader rotation order). */
  readonly index: number;
  readonly name?: string;
}

export interface RpcReceipt<A = bigint> {
  /** Position in its block. */
  readonly index: number;
  /** sha256 of the signed transaction (hex); a CREATE_CURVE's is its curve id's bytes. */
  readonly txHash: string;
  readonly status: 'ok' | 'failed';
  /** The stable error code of a failed transaction. */
  readonly error?: string;
  readonly message?: string;
  readonly computeUnits: number;
  readonly events: readonly RpcEvent<A>[];
}

export type RpcTransactionState = 'pending' | 'committed' | 'failed' | 'unknown';

export interface RpcTransactionStatus<A = bigint> {
  readonly txId: string;
  /**
   * pending: admitted, not yet in a block; committed: in a block, executed; failed: in a block
   * but its execution failed (see receipt.error), or dropped before inclusion (see error);
   * unknown: this node has never seen it.
   */
  readonly status: RpcTransactionState;
  readonly height?: number;
  readonly receipt?: RpcReceipt<A>;
  /** Why a transaction was dropped without a receipt. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** A curveNotification: the curve after a block that touched it, and that block's events for it. */
export interface RpcCurveUpdate<A = bigint> {
  readonly height: number;
  readonly curve: RpcCurve<A>;
  readonly events: readonly RpcEvent<A>[];
}

// ------------------------------------------------------------------ events

/**
 * How each event field travels: address (base58, `address?` nullable), hash (hex), amount
 * (decimal string / bigint), counter (number, `counter?` nullable), input (the swapped
 * asset), price (num/den amounts), fills (sealed clearing, per buyer).
 */
export type FieldKind =
  | 'address'
  | 'address?'
  | 'hash'
  | 'amount'
  | 'counter'
  | 'counter?'
  | 'input'
  | 'price'
  | 'fills';

type EventFieldTable = {
  readonly [T in VmEventType]: {
    readonly [F in Exclude<keyof Extract<VmEvent, { type: T }>, 'type'>]: FieldKind;
  };
};

/** Every field of every VmEvent (checked against the VM's type: none missing, none extra). */
export const EVENT_FIELDS = {
  curve_created: { curve: 'address', creator: 'address', templateHash: 'hash', sealedUntil: 'counter?' },
  bought: {
    curve: 'address',
    buyer: 'address',
    tokens: 'amount',
    net: 'amount',
    fee: 'amount',
    total: 'amount',
  },
  sold: {
    curve: 'address',
    seller: 'address',
    tokens: 'amount',
    gross: 'amount',
    fee: 'amount',
    out: 'amount',
  },
  escrowed: { curve: 'address', buyer: 'address', bound: 'amount' },
  sealed_cleared: { curve: 'address', price: 'price', tokens: 'amount', buyers: 'fills' },
  migration_reached: { curve: 'address' },
  migrated: {
    curve: 'address',
    x: 'amount',
    y: 'amount',
    lpSupply: 'amount',
    migrationFee: 'amount',
    creatorShares: 'amount',
    burnedShares: 'amount',
  },
  swapped: {
    curve: 'address',
    trader: 'address',
    input: 'input',
    amountIn: 'amount',
    fee: 'amount',
    amountOut: 'amount',
  },
  liquidity_added: {
    curve: 'address',
    provider: 'address',
    lamports: 'amount',
    tokens: 'amount',
    shares: 'amount',
  },
  liquidity_removed: {
    curve: 'address',
    provider: 'address',
    shares: 'amount',
    lamports: 'amount',
    tokens: 'amount',
  },
  transferred: { from: 'address', to: 'address', curve: 'address?', amount: 'amount' },
  claimed: { curve: 'address', claimant: 'address', fees: 'amount', tokens: 'amount' },
  withdrawn: {
    index: 'counter',
    leaf: 'hash',
    sender: 'address',
    l1Recipient: 'address',
    lamports: 'amount',
  },
  deposited: { depositSeq: 'counter', recipient: 'address', lamports: 'amount' },
} as const satisfies EventFieldTable;

/** Fields of one buyer's fill in a sealed clearing (ClearingFill). */
export const FILL_FIELDS = {
  buyer: 'address',
  bound: 'amount',
  tokens: 'amount',
  cost: 'amount',
  fee: 'amount',
  refund: 'amount',
} as const satisfies Readonly<Record<string, FieldKind>>;

export type RpcClearingFill<A = bigint> = {
  readonly [F in keyof typeof FILL_FIELDS]: FieldValue<(typeof FILL_FIELDS)[F], A>;
};

export type FieldValue<K, A> = K extends 'amount'
  ? A
  : K extends 'counter'
    ? number
    : K extends 'counter?'
      ? number | null
      : K extends 'address?'
        ? string | null
        : K extends 'input'
          ? 'lamports' | 'tokens'
          : K extends 'price'
            ? RpcPrice<A>
            : K extends 'fills'
              ? readonly RpcClearingFill<A>[]
              : string;

type EventFields = typeof EVENT_FIELDS;

/** A VmEvent at the edge: `type` as in the VM, every field converted as EVENT_FIELDS says. */
export type RpcEvent<A = bigint> = {
  [T in keyof EventFields]: { readonly type: T } & {
    readonly [F in keyof EventFields[T]]: FieldValue<EventFields[T][F], A>;
  };
}[keyof EventFields];
