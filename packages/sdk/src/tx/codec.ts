/**
 * The wire layout of transactions (borsh-compatible, little-endian), declared once and used
 * for both directions:
 *
 *   offset  size  field
 *        0     1  version (u8, = 1; checked before anything else is read)
 *        1     4  chainId (u32)
 *        5    32  sender (ed25519 public key)
 *       37     8  nonce (u64)
 *       45     1  kind (u8: 0 fast, 1 big)
 *       46     1  operation tag (u8, the order of `Operation` in types.ts), then its fields
 *        …    64  signature (Transaction only; absent from the unsigned encoding)
 *
 * Decoding is strict and total: any input either decodes to the one value that encodes back
 * to exactly those bytes, or throws AssetL2Error with a TX_* code. Templates inside
 * CREATE_CURVE stay opaque bytes here (bounded by TX_LIMITS); CurveVM decodes and validates them.
 */
import { encodeBase58 } from '../codec/base58.ts';
import {
  bytes,
  type Codec,
  CodecError,
  decode,
  discriminatedUnion,
  encode,
  fixedBytes,
  literalEnum,
  struct,
  taggedUnion,
  u8,
  u32,
  u64,
} from '../codec/codec.ts';
import { sha256 } from '../codec/hash.ts';
import { AssetL2Error, type ErrorCode } from '../errors/index.ts';
import {
  type Asset,
  type BuyOrder,
  type Operation,
  type Transaction,
  TX_LIMITS,
  TX_VERSION,
  type TxKind,
  type UnsignedTransaction,
} from './types.ts';

const bytes32 = fixedBytes(32);

export const buyOrderCodec: Codec<BuyOrder> = taggedUnion<BuyOrder>({
  exact_tokens: struct([
    ['tokens', u64],
    ['maxTotal', u64],
  ]),
  budget: struct([
    ['lamports', u64],
    ['minTokens', u64],
  ]),
});

export const assetCodec: Codec<Asset> = taggedUnion<Asset>({
  lamports: struct([]),
  token: struct([['curve', bytes32]]),
});

// Variant order is the wire tag and follows the Operation type: never reorder, add at the end.
export const operationCodec: Codec<Operation> = discriminatedUnion<Operation, 'op'>('op', {
  create_curve: struct([['template', bytes(TX_LIMITS.maxTemplateBytes)]]),
  buy: struct([
    ['curve', bytes32],
    ['order', buyOrderCodec],
  ]),
  sell: struct([
    ['curve', bytes32],
    ['tokens', u64],
    ['minOut', u64],
  ]),
  add_liquidity: struct([
    ['curve', bytes32],
    ['lamports', u64],
    ['tokens', u64],
    ['minShares', u64],
  ]),
  migrate_to_amm: struct([['curve', bytes32]]),
  remove_liquidity: struct([
    ['curve', bytes32],
    ['shares', u64],
    ['minLamports', u64],
    ['minTokens', u64],
  ]),
  transfer: struct([
    ['to', bytes32],
    ['asset', assetCodec],
    ['amount', u64],
  ]),
  claim: struct([['curve', bytes32]]),
  withdraw: struct([
    ['l1Recipient', bytes32],
    ['lamports', u64],
  ]),
  deposit: struct([
    ['depositSeq', u64],
    ['recipient', bytes32],
    ['lamports', u64],
  ]),
});

/** Only the current version is written; the decoder checks the byte before parsing. */
const versionCodec: Codec<number> = {
  write: (w, v) => {
    if (v !== TX_VERSION)
      throw new RangeError(`transaction version ${v} is not supported (only ${TX_VERSION})`);
    w.u8(v);
  },
  read: (r) => u8.read(r),
};

const kindCodec: Codec<TxKind> = literalEnum<TxKind>(['fast', 'big']);

export const unsignedTransactionCodec: Codec<UnsignedTransaction> = struct<UnsignedTransaction>([
  ['version', versionCodec],
  ['chainId', u32],
  ['sender', bytes32],
  ['nonce', u64],
  ['kind', kindCodec],
  ['operation', operationCodec],
]);

export const transactionCodec: Codec<Transaction> = struct<Transaction>([
  ['version', versionCodec],
  ['chainId', u32],
  ['sender', bytes32],
  ['nonce', u64],
  ['kind', kindCodec],
  ['operation', operationCodec],
  ['signature', fixedBytes(64)],
]);

/** Where the operation tag sits: after version, chainId, sender, nonce and kind. */
export const OPERATION_TAG_OFFSET = 1 + 4 + 32 + 8 + 1;
export const SIGNATURE_LENGTH = 64;

/** Canonical bytes (throws RangeError for a value a field cannot hold, e.g. a u64 overflow). */
export function encodeTransaction(tx: Transaction): Uint8Array {
  return encode(transactionCodec, tx);
}

/** The bytes the sender signs (through signingHash), i.e. the transaction without its signature. */
export function encodeUnsignedTransaction(tx: UnsignedTransaction): Uint8Array {
  return encode(unsignedTransactionCodec, tx);
}

export function decodeTransaction(bytes: Uint8Array): Transaction {
  return decodeStrict(transactionCodec, bytes);
}

export function decodeUnsignedTransaction(bytes: Uint8Array): UnsignedTransaction {
  return decodeStrict(unsignedTransactionCodec, bytes);
}

/** sha256 of the full encoded transaction (pass the received bytes to skip re-encoding). */
export function transactionHash(tx: Transaction | Uint8Array): Uint8Array {
  return sha256(tx instanceof Uint8Array ? tx : encodeTransaction(tx));
}

/** The transaction's id, as on Solana: base58 of its 64-byte signature. */
export function transactionId(tx: Transaction): string {
  return encodeBase58(tx.signature);
}

function decodeStrict<T>(codec: Codec<T>, bytes: Uint8Array): T {
  if (!(bytes instanceof Uint8Array)) throw new AssetL2Error('TX_MALFORMED', 'a transaction is bytes');
  // Size and version come first: the version decides the layout, and nothing is parsed from
  // an input larger than any valid transaction.
  if (bytes.length > TX_LIMITS.maxTransactionBytes) {
    throw new AssetL2Error(
      'TX_TOO_LARGE',
      `transaction of ${bytes.length} bytes exceeds the limit of ${TX_LIMITS.maxTransactionBytes}`,
    );
  }
  if (bytes.length === 0) throw new AssetL2Error('TX_MALFORMED', 'malformed transaction: it is empty');
  if (bytes[0] !== TX_VERSION) {
    throw new AssetL2Error(
      'TX_BAD_VERSION',
      `unsupported transaction version ${bytes[0]} (expected ${TX_VERSION})`,
    );
  }
  try {
    return decode(codec, bytes);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    throw new AssetL2Error(codeOf(e), `${describe(e)}: ${e.message}`);
  }
}

function codeOf(e: CodecError): ErrorCode {
  switch (e.reason) {
    case 'TRAILING_BYTES':
      return 'TX_TRAILING_BYTES';
    case 'UNKNOWN_VARIANT':
      return e.offset === OPERATION_TAG_OFFSET ? 'TX_UNKNOWN_OP' : 'TX_NON_CANONICAL';
    case 'NON_CANONICAL':
      return 'TX_NON_CANONICAL';
    default:
      // TRUNCATED, TOO_LONG (a length beyond its bound) and anything else structural.
      return 'TX_MALFORMED';
  }
}

function describe(e: CodecError): string {
  switch (codeOf(e)) {
    case 'TX_TRAILING_BYTES':
      return 'bytes after the end of the transaction';
    case 'TX_UNKNOWN_OP':
      return 'unknown operation';
    case 'TX_NON_CANONICAL':
      return 'non-canonical transaction (a tag out of range)';
    default:
      return 'malformed transaction';
  }
}
