/**
 * The wire layout of blocks (borsh-compatible, little-endian), declared once with the shared
 * combinators and used for both directions:
 *
 *   BlockHeader (193 bytes)
 *     chainId u32 · height u64 · view u64 · parentHash [32] · timestamp u64 ·
 *     kind u8 (0 fast, 1 big, 2 heartbeat) · txCount u32 · txRoot [32] · stateRoot [32] ·
 *     withdrawalsRoot [32] · proposer [32]
 *   Certificate
 *     view u64 · signatures Vec<{ signer [32], signature [64] }> (≤ 64)
 *   CertifiedBlock
 *     header · transactions Vec<Vec<u8>> (each the transaction's own encoding, tx/codec.ts,
 *     ≤ TX_LIMITS.maxTransactionBytes; ≤ 65,536 of them) · certificate
 *
 * Transactions are length-prefixed so that a receiver can hash the bytes it received, and each
 * is decoded by the strict transaction decoder. blockHash(header) = sha256(encode(header)).
 *
 * Decoding is strict and total: any input either decodes to the one value that encodes back to
 * exactly those bytes, or throws AssetL2Error with a BLOCK_* code (BLOCK_TOO_LARGE is checked
 * before anything is parsed). Whether the header matches the transactions and the certificate
 * is checked by checkBlock (certificate.ts), not by the decoder.
 */
import {
  type ByteReader,
  type ByteWriter,
  type Codec,
  CodecError,
  decode,
  encode,
  fixedBytes,
  literalEnum,
  struct,
  u32,
  u64,
  vec,
} from '../codec/codec.ts';
import { sha256 } from '../codec/hash.ts';
import { AssetL2Error, type ErrorCode, isAssetL2Error } from '../errors/index.ts';
import { decodeTransaction, encodeTransaction } from '../tx/codec.ts';
import { type Transaction, TX_LIMITS } from '../tx/types.ts';
import {
  BLOCK_LIMITS,
  type BlockHeader,
  type BlockKind,
  type Certificate,
  type CertificateSignature,
  type CertifiedBlock,
} from './types.ts';

const bytes32 = fixedBytes(32);

export const blockKindCodec: Codec<BlockKind> = literalEnum<BlockKind>(['fast', 'big', 'heartbeat']);

export const blockHeaderCodec: Codec<BlockHeader> = struct<BlockHeader>([
  ['chainId', u32],
  ['height', u64],
  ['view', u64],
  ['parentHash', bytes32],
  ['timestamp', u64],
  ['kind', blockKindCodec],
  ['txCount', u32],
  ['txRoot', bytes32],
  ['stateRoot', bytes32],
  ['withdrawalsRoot', bytes32],
  ['proposer', bytes32],
]);

/** Size of an encoded header: every field is fixed-size. */
export const BLOCK_HEADER_BYTES = 4 + 8 + 8 + 32 + 8 + 1 + 4 + 32 * 4;

export const certificateSignatureCodec: Codec<CertificateSignature> = struct<CertificateSignature>([
  ['signer', bytes32],
  ['signature', fixedBytes(64)],
]);

export const certificateCodec: Codec<Certificate> = struct<Certificate>([
  ['view', u64],
  ['signatures', vec(certificateSignatureCodec, BLOCK_LIMITS.maxCertificateSignatures)],
]);

/** A transaction inside a block: its own encoding as borsh Vec<u8>, decoded strictly. */
class TransactionDecodeError extends Error {
  constructor(
    readonly transactionError: AssetL2Error,
    readonly offset: number,
  ) {
    super(transactionError.message);
  }
}

const embeddedTransactionCodec: Codec<Transaction> = {
  write: (w: ByteWriter, tx: Transaction) => {
    const bytes = encodeTransaction(tx);
    w.u32(bytes.length);
    w.bytes(bytes);
  },
  read: (r: ByteReader) => {
    const at = r.offset;
    const length = r.u32();
    if (length > TX_LIMITS.maxTransactionBytes) {
      throw new CodecError('TOO_LONG', `transaction of ${length} bytes`, at);
    }
    const bytes = r.bytes(length);
    try {
      return decodeTransaction(bytes);
    } catch (e) {
      if (isAssetL2Error(e)) throw new TransactionDecodeError(e, at);
      throw e;
    }
  },
};

export const certifiedBlockCodec: Codec<CertifiedBlock> = struct<CertifiedBlock>([
  ['header', blockHeaderCodec],
  ['transactions', vec(embeddedTransactionCodec, BLOCK_LIMITS.maxTransactions)],
  ['certificate', certificateCodec],
]);

/** Canonical bytes; throws RangeError for a value a field cannot hold (a u64 overflow, 65 signatures). */
export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  return encode(blockHeaderCodec, header);
}

export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  return decodeStrict(blockHeaderCodec, bytes, 'block header');
}

export function encodeCertificate(certificate: Certificate): Uint8Array {
  return encode(certificateCodec, certificate);
}

export function decodeCertificate(bytes: Uint8Array): Certificate {
  return decodeStrict(certificateCodec, bytes, 'certificate');
}

export function encodeBlock(block: CertifiedBlock): Uint8Array {
  return encode(certifiedBlockCodec, block);
}

export function decodeBlock(bytes: Uint8Array): CertifiedBlock {
  return decodeStrict(certifiedBlockCodec, bytes, 'block');
}

/** sha256 of the encoded header: the block's identity, what parents link to and certificates sign. */
export function blockHash(header: BlockHeader): Uint8Array {
  return sha256(encodeBlockHeader(header));
}

function decodeStrict<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw new AssetL2Error('BLOCK_MALFORMED', `a ${what} is bytes`);
  if (bytes.length > BLOCK_LIMITS.maxBlockBytes) {
    throw new AssetL2Error(
      'BLOCK_TOO_LARGE',
      `${what} of ${bytes.length} bytes exceeds the limit of ${BLOCK_LIMITS.maxBlockBytes}`,
    );
  }
  try {
    return decode(codec, bytes);
  } catch (e) {
    if (e instanceof TransactionDecodeError) {
      throw new AssetL2Error(
        'BLOCK_MALFORMED',
        `malformed ${what}: the transaction at byte ${e.offset} is invalid (${e.transactionError.code}): ${e.transactionError.message}`,
      );
    }
    if (!(e instanceof CodecError)) throw e;
    const code = codeOf(e);
    throw new AssetL2Error(code, `${describe(code, what)}: ${e.message}`);
  }
}

function codeOf(e: CodecError): ErrorCode {
  switch (e.reason) {
    case 'TRAILING_BYTES':
      return 'BLOCK_TRAILING_BYTES';
    case 'UNKNOWN_VARIANT':
    case 'NON_CANONICAL':
      return 'BLOCK_NON_CANONICAL';
    case 'TOO_LONG':
      return 'BLOCK_TOO_LARGE';
    default:
      return 'BLOCK_MALFORMED';
  }
}

function describe(code: ErrorCode, what: string): string {
  switch (code) {
    case 'BLOCK_TRAILING_BYTES':
      return `bytes after the end of the ${what}`;
    case 'BLOCK_NON_CANONICAL':
      return `non-canonical ${what} (a tag out of range)`;
    case 'BLOCK_TOO_LARGE':
      return `${what} over its limits`;
    default:
      return `malformed ${what}`;
  }
}
