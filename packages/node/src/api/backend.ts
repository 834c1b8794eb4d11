/**
 * What the API needs of the node: reads, submission and a stream of events. The API is a thin
 * layer over this interface (validation, JSON views, errors, limits); the node implements it
 * over its mempool, block store and CurveVM, tests over a bare CurveVM. Values here are the
 * domain's (bigints, raw bytes); views.ts turns them into JSON.
 *
 * Errors: methods throw AssetL2Error for anything the caller caused or may retry (errors.ts
 * maps them to JSON-RPC codes by method); any other exception is an internal error (logged,
 * never shown).
 */
import type {
  AccountRecord,
  Bytes32,
  CurveRecord,
  CurveTemplate,
  Rational,
  Receipt,
  VmEvent,
} from '@assetl2/sdk';

export type Awaitable<T> = T | Promise<T>;

export interface HealthInfo {
  readonly healthy: boolean;
  readonly height: bigint;
  /** Why the node is unhealthy (a sentence). */
  readonly message?: string;
}

/** A committed block as the API shows it (the node's block format stays the node's). */
export interface BlockInfo {
  readonly height: bigint;
  readonly hash: Uint8Array;
  readonly parentHash: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: bigint;
  /** null for genesis. */
  readonly proposer: Bytes32 | null;
  readonly stateRoot: Uint8Array;
  readonly withdrawalsRoot: Uint8Array;
  /** Transaction ids (base58 signatures), in block order. */
  readonly transactionIds: readonly string[];
}

export type TransactionStatusInfo =
  | { readonly status: 'pending' | 'unknown' }
  /** In a block: `committed` for an ok receipt, `failed` for a failed one. */
  | { readonly status: 'committed' | 'failed'; readonly height: bigint; readonly receipt: Receipt }
  /** Dropped before inclusion (evicted, expired). */
  | { readonly status: 'failed'; readonly error: { readonly code: string; readonly message: string } };

export interface AccountInfo extends AccountRecord {
  readonly address: Bytes32;
  /** Non-zero token balances. */
  readonly tokens: readonly { readonly curve: Bytes32; readonly amount: bigint }[];
  /** Non-zero LP shares. */
  readonly lpShares: readonly { readonly curve: Bytes32; readonly shares: bigint }[];
}

export interface CurveInfo {
  readonly record: CurveRecord;
  readonly template: CurveTemplate;
  /** Last block of the sealed window, or null. */
  readonly sealedUntil: bigint | null;
  /** Lamports per base unit: the curve's spot price, or the pool's after migration. */
  readonly spotPrice: Rational;
}

export type QuoteRequest =
  | { readonly side: 'buy'; readonly by: 'tokens' | 'lamports'; readonly amount: bigint }
  | { readonly side: 'sell'; readonly by: 'tokens'; readonly amount: bigint };

export interface QuoteInfo {
  readonly side: 'buy' | 'sell';
  readonly venue: 'curve' | 'sealed' | 'pool';
  readonly tokens: bigint;
  /** Buy: paid, fee included. Sell: received, fee deducted. */
  readonly lamports: bigint;
  readonly fee: bigint;
}

export interface ValidatorInfo {
  readonly publicKey: Bytes32;
  readonly index: number;
  readonly name?: string;
}

/** Events the API fans out to WebSocket subscribers. */
export type BackendEvent =
  | { readonly kind: 'block'; readonly block: BlockInfo }
  /** A curve after a block that touched it, with that block's events for it. */
  | {
      readonly kind: 'curve';
      readonly height: bigint;
      readonly curve: CurveInfo;
      readonly events: readonly VmEvent[];
    }
  /** A transaction reached a final status (committed or failed). */
  | { readonly kind: 'signature'; readonly txId: string; readonly status: TransactionStatusInfo };

export type BackendListener = (event: BackendEvent) => void;

export interface NodeBackend {
  readonly chainId: number;
  /** Enables requestAirdrop. */
  readonly devnet: boolean;
  health(): Awaitable<HealthInfo>;
  latestBlock(): Awaitable<BlockInfo>;
  block(height: bigint): Awaitable<BlockInfo | undefined>;
  /**
   * Admits a signed transaction (the received bytes): decodes, verifies and hands it to the
   * mempool. Throws AssetL2Error (TX_*, MEMPOOL_*...) when refused.
   */
  submit(bytes: Uint8Array): Promise<{ readonly txId: string }>;
  transactionStatus(txId: string): Awaitable<TransactionStatusInfo>;
  account(address: Bytes32): Awaitable<AccountInfo>;
  curve(id: Bytes32): Awaitable<CurveInfo | undefined>;
  /** Throws AssetL2Error: UNKNOWN_CURVE, curve math (ZERO_AMOUNT, EXCEEDS_FOR_SALE...), phase. */
  quote(curve: Bytes32, request: QuoteRequest): Awaitable<QuoteInfo>;
  validators(): Awaitable<readonly ValidatorInfo[]>;
  /** Devnets: credits lamports through a faucet transaction; its txId. */
  airdrop(address: Bytes32, lamports: bigint): Promise<{ readonly txId: string }>;
  /** Listeners must not throw (the API's does not); returns the unsubscribe function. */
  subscribe(listener: BackendListener): () => void;
}
