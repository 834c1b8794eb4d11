/**
 * Asset L2 transactions as values. The binary layout (borsh-compatible, little-endian) is
 * declared once in codec.ts; what is signed is `signingHash(TX_DOMAIN, chainId, unsigned
 * bytes)` (see signing.ts). Addresses and curve ids are 32 raw bytes here (base58 at the
 * edges, as on Solana).
 */

export type Bytes32 = Uint8Array;
export type Bytes64 = Uint8Array;

export const TX_VERSION = 1;

/** fast: small trades, produced every 250 ms; big: bulk payloads (e.g. CREATE_CURVE), slower cadence. */
export type TxKind = 'fast' | 'big';

export type BuyOrder =
  /** Buy exactly `tokens` base units, paying at most `maxTotal` lamports (fee included). */
  | { readonly kind: 'exact_tokens'; readonly tokens: bigint; readonly maxTotal: bigint }
  /** Spend at most `lamports` (fee included) for the most tokens, at least `minTokens`. */
  | { readonly kind: 'budget'; readonly lamports: bigint; readonly minTokens: bigint };

export type Asset = { readonly kind: 'lamports' } | { readonly kind: 'token'; readonly curve: Bytes32 };

/** The operations, in wire-tag order (never reorder; add at the end). */
export type Operation =
  | { readonly op: 'create_curve'; readonly template: Uint8Array }
  | { readonly op: 'buy'; readonly curve: Bytes32; readonly order: BuyOrder }
  | { readonly op: 'sell'; readonly curve: Bytes32; readonly tokens: bigint; readonly minOut: bigint }
  /**
   * Before migration: adds `lamports` to the vault (tokens must be 0). After: offers up to
   * `lamports` and `tokens` to the pool for at least `minShares` LP shares.
   */
  | {
      readonly op: 'add_liquidity';
      readonly curve: Bytes32;
      readonly lamports: bigint;
      readonly tokens: bigint;
      readonly minShares: bigint;
    }
  | { readonly op: 'migrate_to_amm'; readonly curve: Bytes32 }
  | {
      readonly op: 'remove_liquidity';
      readonly curve: Bytes32;
      readonly shares: bigint;
      readonly minLamports: bigint;
      readonly minTokens: bigint;
    }
  | { readonly op: 'transfer'; readonly to: Bytes32; readonly asset: Asset; readonly amount: bigint }
  /** Creator: accrued creator fees and the vested part of the allocation. */
  | { readonly op: 'claim'; readonly curve: Bytes32 }
  /** Debits the sender and appends a leaf to the withdrawals tree for the bridge. */
  | { readonly op: 'withdraw'; readonly l1Recipient: Bytes32; readonly lamports: bigint }
  /** Validators only: credits an L1 deposit (bridge sequence number, at most once each). */
  | {
      readonly op: 'deposit';
      readonly depositSeq: bigint;
      readonly recipient: Bytes32;
      readonly lamports: bigint;
    };

export type OperationName = Operation['op'];

export interface UnsignedTransaction {
  readonly version: number;
  readonly chainId: number;
  readonly sender: Bytes32;
  readonly nonce: bigint;
  readonly kind: TxKind;
  readonly operation: Operation;
}

export interface Transaction extends UnsignedTransaction {
  /** ed25519 over signingHash(TX_DOMAIN, chainId, encodeUnsigned(tx)). */
  readonly signature: Bytes64;
}

/** Limits enforced by the decoder (and the mempool). */
export const TX_LIMITS = {
  /** A compiled template is ~100–700 bytes; 2 KiB leaves room without inviting spam. */
  maxTemplateBytes: 2_048,
  maxTransactionBytes: 2_300,
} as const;
