/**
 * The one registry of stable error codes. A code's number never changes once released; it
 * appears in receipts, JSON-RPC error data, CLI messages and tests. Add new codes at the end
 * of their range.
 */
export const ERROR_CODES = {
  // 1xxx: curve math and quoting
  ZERO_AMOUNT: 1000,
  EXCEEDS_FOR_SALE: 1001,
  EXCEEDS_SOLD: 1002,
  U64_OVERFLOW: 1003,
  INVALID_AMOUNT: 1004,
  // 2xxx: templates
  TEMPLATE_MALFORMED: 2000,
  TEMPLATE_BAD_MAGIC: 2001,
  TEMPLATE_BAD_VERSION: 2002,
  TEMPLATE_TRAILING_BYTES: 2003,
  TEMPLATE_INVALID: 2004,
  // 3xxx: CurveScript compilation
  SCRIPT_INVALID: 3000,
  PROOF_FAILED: 3001,
  // 4xxx: transaction decoding and validity (an invalid transaction makes its block invalid)
  TX_MALFORMED: 4000,
  TX_BAD_VERSION: 4001,
  TX_UNKNOWN_OP: 4002,
  TX_TRAILING_BYTES: 4003,
  TX_NON_CANONICAL: 4004,
  TX_TOO_LARGE: 4005,
  TX_BAD_SIGNATURE: 4006,
  TX_WRONG_CHAIN: 4007,
  TX_BAD_NONCE: 4008,
  INVALID_KEY: 4009,
  INVALID_ADDRESS: 4010,
  // 5xxx: execution failures (the transaction is valid, consumes its nonce, changes nothing else)
  SLIPPAGE_EXCEEDED: 5000,
  RESERVE_FLOOR: 5001,
  MAX_BUY_EXCEEDED: 5002,
  MIGRATION_PENDING: 5003,
  NOT_MIGRATED: 5004,
  ALREADY_MIGRATED: 5005,
  MIGRATION_NOT_REACHED: 5006,
  INSUFFICIENT_LAMPORTS: 5007,
  INSUFFICIENT_TOKENS: 5008,
  INSUFFICIENT_SHARES: 5009,
  UNKNOWN_CURVE: 5010,
  CURVE_EXISTS: 5011,
  NOT_CREATOR: 5012,
  NOTHING_TO_CLAIM: 5013,
  UNAUTHORIZED: 5014,
  DEPOSIT_REPLAYED: 5015,
  SEALED_WINDOW: 5016,
  WITHDRAWALS_FULL: 5017,
  SELF_TRANSFER: 5018,
  // 6xxx: block validity
  BLOCK_INVALID: 6000,
  COMPUTE_LIMIT: 6001,
  /** Block bytes: truncated, a length beyond its bound, an undecodable transaction inside. */
  BLOCK_MALFORMED: 6002,
  BLOCK_TRAILING_BYTES: 6003,
  /** A tag out of range (block kind). */
  BLOCK_NON_CANONICAL: 6004,
  /** More bytes, transactions or certificate signatures than BLOCK_LIMITS allows. */
  BLOCK_TOO_LARGE: 6005,
  /** The header's txCount or txRoot does not match the transactions. */
  BLOCK_TX_MISMATCH: 6006,
  /** The certificate is not a quorum of distinct committee signatures over this header. */
  BLOCK_BAD_CERTIFICATE: 6007,
  // 7xxx: mempool admission (the transaction was not accepted; nothing about it is stored)
  MEMPOOL_DUPLICATE: 7000,
  MEMPOOL_NONCE_TOO_LOW: 7001,
  MEMPOOL_NONCE_TOO_FAR: 7002,
  /** Another transaction of the same sender with the same nonce is pending (first seen wins). */
  MEMPOOL_NONCE_CONFLICT: 7003,
  MEMPOOL_SENDER_FULL: 7004,
  MEMPOOL_FULL: 7005,
  /** Valid, but more compute than a block of its kind may hold: it could never be included. */
  MEMPOOL_TOO_LARGE: 7006,
  MEMPOOL_STOPPED: 7007,
  /** The node could not verify or store the transaction (a crashed thread, a disk error): retry. */
  MEMPOOL_UNAVAILABLE: 7008,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code; `message` is a sentence for users, never a stack trace. */
export class AssetL2Error extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AssetL2Error';
    this.code = code;
  }
  get codeNumber(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAssetL2Error(e: unknown): e is AssetL2Error {
  return e instanceof AssetL2Error;
}
