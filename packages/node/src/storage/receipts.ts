/**
 * Receipts by transaction id, and the block-level events of each block.
 *
 *   receipts      txId (the 64 signature bytes) → height u64 · index u32 · receipt (codecs.ts)
 *   block-events  u64be height → Vec<VmEvent>   (only for blocks that have some)
 */
import { decode, encode, type Receipt, type VmEvent } from '@assetl2/sdk';
import { heightKey, maybeTxIdKey, type StoredReceipt, storedReceiptCodec, vmEventsCodec } from './codecs.ts';
import type { StorageEnvironment } from './environment.ts';

export type { StoredReceipt } from './codecs.ts';

/** Receipts encoded ahead of the write transaction. */
export interface PreparedReceipts {
  readonly entries: readonly (readonly [key: Uint8Array, value: Uint8Array])[];
  readonly events: readonly [key: Uint8Array, value: Uint8Array] | null;
}

export class ReceiptRepository {
  constructor(private readonly env: StorageEnvironment) {}

  /** The receipt of a committed transaction, by its id (base58 signature). */
  get(txId: string): StoredReceipt | undefined {
    const key = maybeTxIdKey(txId);
    if (key === undefined) return undefined;
    const bytes = this.env.db('receipts').get(key);
    return bytes === undefined ? undefined : decode(storedReceiptCodec, bytes);
  }

  /** Events of the block itself (sealed-window clearings at its start); empty when none. */
  blockEvents(height: bigint): readonly VmEvent[] {
    if (typeof height !== 'bigint' || height < 0n || height > 0xffff_ffff_ffff_ffffn) return [];
    const bytes = this.env.db('block-events').get(heightKey(height));
    return bytes === undefined ? [] : decode(vmEventsCodec, bytes);
  }

  /** Inside a write transaction (Storage.commitBlock). */
  writePrepared(prepared: PreparedReceipts): void {
    const receipts = this.env.db('receipts');
    for (const [key, value] of prepared.entries) receipts.putSync(key, value);
    if (prepared.events !== null) this.env.db('block-events').putSync(prepared.events[0], prepared.events[1]);
  }
}

/**
 * `receipts[i]` is the receipt of `signatures[i]`'s transaction (Receipt.index = i). Throws
 * RangeError for a receipt the codec cannot hold, before anything is written.
 */
export function prepareReceipts(
  height: bigint,
  signatures: readonly Uint8Array[],
  receipts: readonly Receipt[],
  events: readonly VmEvent[],
): PreparedReceipts {
  if (receipts.length !== signatures.length) {
    throw new RangeError(`${receipts.length} receipts for ${signatures.length} transactions`);
  }
  const entries = receipts.map((receipt, index) => {
    if (receipt.index !== index) throw new RangeError(`receipt ${index} has index ${receipt.index}`);
    const key = signatures[index]!;
    if (key.length !== 64) throw new RangeError('a transaction signature is 64 bytes');
    return [key, encode(storedReceiptCodec, { height, index, receipt })] as const;
  });
  return {
    entries,
    events: events.length === 0 ? null : ([heightKey(height), encode(vmEventsCodec, events)] as const),
  };
}
