/**
 * Blocks as values: a header that commits to everything (transactions through their Merkle
 * root, the state and withdrawals roots after execution, the parent by hash), the ordered
 * transactions, and the quorum certificate that made it final. The wire layout is in
 * codec.ts, the transactions root in merkle.ts, signing and checking in certificate.ts.
 */
import type { Bytes32, Bytes64, Transaction } from '../tx/types.ts';

/**
 * fast: small trades every 250 ms under load; big: bulk payloads (CREATE_CURVE...) at a slower
 * cadence; heartbeat: keeps time and views moving when there is nothing to order. Which
 * transactions a kind may carry is the builder's and consensus's policy, not the format's.
 */
export type BlockKind = 'fast' | 'big' | 'heartbeat';

export interface BlockHeader {
  readonly chainId: number;
  /** Consecutive from 1 (genesis is height 0 and has no block). */
  readonly height: bigint;
  /** The consensus view that produced it (= height on the single-validator devnet). */
  readonly view: bigint;
  /** blockHash of the parent's header; 32 zero bytes at height 1. */
  readonly parentHash: Bytes32;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: bigint;
  readonly kind: BlockKind;
  readonly txCount: number;
  /** transactionsRoot(transactions). */
  readonly txRoot: Bytes32;
  /** CurveVM's roots after executing this block. */
  readonly stateRoot: Bytes32;
  readonly withdrawalsRoot: Bytes32;
  /** The leader's ed25519 public key. */
  readonly proposer: Bytes32;
}

/** One committee member's signature over `blockSigningHash(header)`. */
export interface CertificateSignature {
  readonly signer: Bytes32;
  readonly signature: Bytes64;
}

/** A quorum certificate: distinct committee members' signatures over one block hash. */
export interface Certificate {
  /** The view of the certified header. */
  readonly view: bigint;
  readonly signatures: readonly CertificateSignature[];
}

/**
 * A block with its own quorum certificate, as committed and stored. (Named so beside CurveVM's
 * `Block`, the execution input `{ height, timestamp, transactions }`: see `executionBlock`.)
 */
export interface CertifiedBlock {
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
  readonly certificate: Certificate;
}

/** Domain of the signatures in certificates (and of consensus votes, which sign the same hash). */
export const BLOCK_DOMAIN = 'assetl2/block/v1';

/**
 * Bounds the decoder enforces before allocating anything: structural limits against hostile
 * input, well above what a builder produces (a 3,000-transaction fast block is ~0.5 MB; a big
 * block of 2 KiB templates fits 4,000 of them). Block size policy belongs to the builder.
 */
export const BLOCK_LIMITS = {
  maxBlockBytes: 8 * 1024 * 1024,
  maxTransactions: 65_536,
  /** Committees have 4–7 members; 64 leaves room for growth and fits the on-chain verifier. */
  maxCertificateSignatures: 64,
} as const;
