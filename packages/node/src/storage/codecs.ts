/**
 * Key and value layouts of the node's LMDB sub-databases, built from the SDK's codec
 * combinators (little-endian borsh for values; keys big-endian where they must sort). Nothing
 * outside storage/ sees these bytes.
 *
 * Receipts and events are stored with a binary codec rather than JSON: decoding gives back the
 * exact values (bigints, 32-byte ids, literal unions) with no string conversions to get wrong,
 * and the event union is declared exhaustively, so a new VmEvent variant fails to compile here
 * until it has a layout. Amounts in events use a variable-length unsigned integer (`biguint`)
 * so that no value the VM can produce is unencodable: a receipt that cannot be stored would
 * stop the chain.
 */
import {
  asciiString,
  type ByteReader,
  type ByteWriter,
  bytes,
  type ClearingFill,
  type Codec,
  CodecError,
  decodeBase58,
  discriminatedUnion,
  type ErrorCode,
  encodeBase58,
  fixedBytes,
  type Genesis,
  literalEnum,
  option,
  type Receipt,
  struct,
  u32,
  u64,
  type VmEvent,
  vec,
  type WithdrawalLeaf,
} from '@assetl2/sdk';

const bytes32 = fixedBytes(32);

/** u64 big-endian: heights and indexes as keys, so LMDB's byte order is numeric order. */
export const u64be: Codec<bigint> = {
  write: (w, v) => {
    if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64 out of range: ${v}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, v, false);
    w.bytes(out);
  },
  read: (r) => {
    const b = r.bytes(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, false);
  },
};

export function heightKey(height: bigint): Uint8Array {
  if (height < 0n || height > 0xffff_ffff_ffff_ffffn) throw new RangeError(`height out of range: ${height}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, height, false);
  return out;
}

export function readHeightKey(key: Uint8Array): bigint {
  if (key.length !== 8) throw new CodecError('OUT_OF_RANGE', `a height key is 8 bytes, got ${key.length}`, 0);
  return new DataView(key.buffer, key.byteOffset, 8).getBigUint64(0, false);
}

/**
 * A transaction id (base58 of the 64-byte signature) as its 64 raw bytes: the key of receipts
 * and mempool entries. Throws RangeError for anything else.
 */
export function txIdKey(txId: string): Uint8Array {
  try {
    return decodeBase58(txId, 64);
  } catch {
    throw new RangeError(`not a transaction id (base58 of a 64-byte signature): ${JSON.stringify(txId)}`);
  }
}

/** txIdKey, or undefined for a string that cannot be a transaction id (lookups find nothing). */
export function maybeTxIdKey(txId: string): Uint8Array | undefined {
  if (typeof txId !== 'string') return undefined;
  try {
    return decodeBase58(txId, 64);
  } catch {
    return undefined;
  }
}

export function txIdOfKey(key: Uint8Array): string {
  return encodeBase58(key);
}

/**
 * A non-negative integer of any size: u8 byte count then the magnitude little-endian, with no
 * high zero byte (so each value has one encoding); at most 32 bytes.
 */
export const biguint: Codec<bigint> = {
  write: (w, v) => {
    if (typeof v !== 'bigint' || v < 0n) throw new RangeError(`not a non-negative integer: ${v}`);
    const out: number[] = [];
    for (let x = v; x > 0n; x >>= 8n) out.push(Number(x & 0xffn));
    if (out.length > 32) throw new RangeError(`integer wider than 256 bits: ${v}`);
    w.u8(out.length);
    w.bytes(Uint8Array.from(out));
  },
  read: (r) => {
    const at = r.offset;
    const length = r.u8();
    if (length > 32) throw new CodecError('TOO_LONG', `integer of ${length} bytes`, at);
    const b = r.bytes(length);
    if (length > 0 && b[length - 1] === 0)
      throw new CodecError('NON_CANONICAL', 'integer with a high zero byte', at);
    let v = 0n;
    for (let i = length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  },
};

/** A safe integer (number in memory) as u64 on disk. */
export const safeUint: Codec<number> = {
  write: (w, v) => {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not a safe non-negative integer: ${v}`);
    w.u64(BigInt(v));
  },
  read: (r) => {
    const at = r.offset;
    const v = r.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new CodecError('OUT_OF_RANGE', `${v} is not a safe integer`, at);
    return Number(v);
  },
};

/** A finite float64 (little-endian): mempool admission times come from a clock we do not own. */
export const f64: Codec<number> = {
  write: (w, v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, v, true);
    w.bytes(out);
  },
  read: (r) => {
    const at = r.offset;
    const b = r.bytes(8);
    const v = new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
    if (!Number.isFinite(v)) throw new CodecError('OUT_OF_RANGE', 'not a finite number', at);
    return v;
  },
};

/** UTF-8 text (u32 length, bytes), strict: invalid UTF-8 does not decode. */
export function utf8String(maxBytes: number): Codec<string> {
  const inner = bytes(maxBytes);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return {
    write: (w, v) => inner.write(w, encoder.encode(v)),
    read: (r) => {
      const at = r.offset;
      const raw = inner.read(r);
      try {
        return decoder.decode(raw);
      } catch {
        throw new CodecError('INVALID_STRING', 'invalid UTF-8', at);
      }
    },
  };
}

function pair<A, B>(first: Codec<A>, second: Codec<B>): Codec<readonly [A, B]> {
  return {
    write: (w: ByteWriter, v: readonly [A, B]) => {
      first.write(w, v[0]);
      second.write(w, v[1]);
    },
    read: (r: ByteReader) => [first.read(r), second.read(r)] as const,
  };
}

// ------------------------------------------------------------------ events and receipts

const clearingFillCodec: Codec<ClearingFill> = struct<ClearingFill>([
  ['buyer', bytes32],
  ['bound', biguint],
  ['tokens', biguint],
  ['cost', biguint],
  ['fee', biguint],
  ['refund', biguint],
]);

/** Variant order is the stored tag: never reorder, add at the end. */
export const vmEventCodec: Codec<VmEvent> = discriminatedUnion<VmEvent, 'type'>('type', {
  curve_created: struct([
    ['curve', bytes32],
    ['creator', bytes32],
    ['templateHash', bytes32],
    ['sealedUntil', option(biguint)],
  ]),
  bought: struct([
    ['curve', bytes32],
    ['buyer', bytes32],
    ['tokens', biguint],
    ['net', biguint],
    ['fee', biguint],
    ['total', biguint],
  ]),
  sold: struct([
    ['curve', bytes32],
    ['seller', bytes32],
    ['tokens', biguint],
    ['gross', biguint],
    ['fee', biguint],
    ['out', biguint],
  ]),
  escrowed: struct([
    ['curve', bytes32],
    ['buyer', bytes32],
    ['bound', biguint],
  ]),
  sealed_cleared: struct([
    ['curve', bytes32],
    [
      'price',
      struct<{ readonly num: bigint; readonly den: bigint }>([
        ['num', biguint],
        ['den', biguint],
      ]),
    ],
    ['tokens', biguint],
    ['buyers', vec(clearingFillCodec, 1 << 20)],
  ]),
  migration_reached: struct([['curve', bytes32]]),
  migrated: struct([
    ['curve', bytes32],
    ['x', biguint],
    ['y', biguint],
    ['lpSupply', biguint],
    ['migrationFee', biguint],
    ['creatorShares', biguint],
    ['burnedShares', biguint],
  ]),
  swapped: struct([
    ['curve', bytes32],
    ['trader', bytes32],
    ['input', literalEnum<'lamports' | 'tokens'>(['lamports', 'tokens'])],
    ['amountIn', biguint],
    ['fee', biguint],
    ['amountOut', biguint],
  ]),
  liquidity_added: struct([
    ['curve', bytes32],
    ['provider', bytes32],
    ['lamports', biguint],
    ['tokens', biguint],
    ['shares', biguint],
  ]),
  liquidity_removed: struct([
    ['curve', bytes32],
    ['provider', bytes32],
    ['shares', biguint],
    ['lamports', biguint],
    ['tokens', biguint],
  ]),
  transferred: struct([
    ['from', bytes32],
    ['to', bytes32],
    ['curve', option(bytes32)],
    ['amount', biguint],
  ]),
  claimed: struct([
    ['curve', bytes32],
    ['claimant', bytes32],
    ['fees', biguint],
    ['tokens', biguint],
  ]),
  withdrawn: struct([
    ['index', biguint],
    ['leaf', bytes32],
    ['sender', bytes32],
    ['l1Recipient', bytes32],
    ['lamports', biguint],
  ]),
  deposited: struct([
    ['depositSeq', biguint],
    ['recipient', bytes32],
    ['lamports', biguint],
  ]),
});

export const vmEventsCodec: Codec<readonly VmEvent[]> = vec(vmEventCodec, 1 << 20);

const MAX_MESSAGE_BYTES = 64 * 1024;
const statusCodec = literalEnum<Receipt['status']>(['ok', 'failed']);
const optionalErrorCode = option(asciiString(64));
const optionalMessage = option(utf8String(MAX_MESSAGE_BYTES));

/**
 * A receipt: index u32 · txId [32] · status u8 · error Option<ascii> (the stable code's name) ·
 * message Option<utf8> · computeUnits u64 · events Vec<VmEvent>. Decodes to a plain object of
 * the shape CurveVM's receipts serialize to (error and message only when present).
 */
export const receiptCodec: Codec<Receipt> = {
  write: (w, receipt) => {
    u32.write(w, receipt.index);
    bytes32.write(w, receipt.txId);
    statusCodec.write(w, receipt.status);
    optionalErrorCode.write(w, receipt.error ?? null);
    optionalMessage.write(w, receipt.message ?? null);
    safeUint.write(w, receipt.computeUnits);
    vmEventsCodec.write(w, receipt.events);
  },
  read: (r) => {
    const index = u32.read(r);
    const txId = bytes32.read(r);
    const status = statusCodec.read(r);
    const error = optionalErrorCode.read(r) as ErrorCode | null;
    const message = optionalMessage.read(r);
    const computeUnits = safeUint.read(r);
    const events = vmEventsCodec.read(r);
    return {
      index,
      txId,
      status,
      ...(error === null ? {} : { error }),
      ...(message === null ? {} : { message }),
      computeUnits,
      events,
    };
  },
};

export interface StoredReceipt {
  readonly height: bigint;
  /** Position of the transaction in its block. */
  readonly index: number;
  readonly receipt: Receipt;
}

export const storedReceiptCodec: Codec<StoredReceipt> = struct<StoredReceipt>([
  ['height', u64],
  ['index', u32],
  ['receipt', receiptCodec],
]);

// ------------------------------------------------------------------ state, mempool, meta

export const withdrawalLeafCodec: Codec<WithdrawalLeaf> = struct<WithdrawalLeaf>([
  ['index', u64],
  ['l1Recipient', bytes32],
  ['lamports', u64],
]);

export interface MempoolValue {
  readonly admittedAt: number;
  readonly bytes: Uint8Array;
}

/** admittedAt f64 · the transaction's bytes as received (Vec<u8>, bounded for sanity only). */
export const mempoolValueCodec: Codec<MempoolValue> = struct<MempoolValue>([
  ['admittedAt', f64],
  ['bytes', bytes(1 << 20)],
]);

/** The genesis, field for field (ARCHITECTURE §5; vm/types.ts Genesis). */
export const genesisCodec: Codec<Genesis> = struct<Genesis>([
  ['chainId', u32],
  ['accounts', vec(pair(bytes32, u64), 1 << 24)],
  ['protocolAccount', bytes32],
  ['bridgeAuthorities', vec(bytes32, 1 << 16)],
  ['computeLimitPerBlock', safeUint],
]);

export interface HeadPointer {
  readonly height: bigint;
  /** blockHash of the head block's header. */
  readonly hash: Uint8Array;
}

export const headPointerCodec: Codec<HeadPointer> = struct<HeadPointer>([
  ['height', u64],
  ['hash', bytes32],
]);
