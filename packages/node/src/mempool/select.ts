/**
 * Block building from the pending set: which transactions of a pool, in which order.
 *
 * - Runnable only: from each sender, the transactions with consecutive nonces starting at its
 *   account nonce (in the state the block builds on), all of this pool's kind and durable. A
 *   gap, or a nonce held by the other pool, ends the sender's run: nothing after it can execute.
 * - Fair: senders take turns, one transaction per sender per round, senders ordered by the
 *   arrival of their first runnable transaction. A sender with 9 queued transactions cannot
 *   push out 9 senders with one each.
 * - Bounded: never more than maxCount transactions, maxBytes encoded bytes or maxCompute
 *   units (computeUnits). When a sender's next transaction does not fit the bytes or compute
 *   left, that sender is done for this block (its later nonces depend on it) and the others
 *   go on; reaching maxCount ends the selection.
 * - Deterministic: the same pending set and nonces give the same list (arrival numbers are
 *   unique, no Map-order or clock dependence).
 */
import type { Transaction, TxKind } from '@assetl2/sdk';

export interface PendingEntry {
  readonly txId: string;
  /** Lowercase hex of transactionHash (sha256 of the bytes): the dedup key. */
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly transaction: Transaction;
  readonly kind: TxKind;
  readonly senderKey: string;
  readonly nonce: bigint;
  readonly compute: number;
  readonly admittedAt: number;
  /** Admission order (unique, increasing); on reload, by admittedAt then txId. */
  readonly arrival: number;
  /** Stored: the submitter has heard "accepted". Only durable entries are selected. */
  durable: boolean;
}

export interface SenderQueue {
  readonly sender: Uint8Array;
  readonly byNonce: Map<bigint, PendingEntry>;
  readonly count: Record<TxKind, number>;
  readonly bytes: Record<TxKind, number>;
}

export interface SelectOptions {
  readonly kind: TxKind;
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly maxCompute: number;
  /** The next nonce of each account in the state the block builds on. */
  readonly nonceOf: (sender: Uint8Array) => bigint;
}

interface Lane {
  readonly run: PendingEntry[];
  next: number;
}

export function selectRunnable(senders: Iterable<SenderQueue>, options: SelectOptions): PendingEntry[] {
  const { kind, maxCount, maxBytes, maxCompute } = options;
  const lanes: Lane[] = [];
  for (const queue of senders) {
    if (queue.count[kind] === 0) continue;
    const run: PendingEntry[] = [];
    for (let nonce = options.nonceOf(queue.sender); ; nonce++) {
      const entry = queue.byNonce.get(nonce);
      if (entry === undefined || entry.kind !== kind || !entry.durable) break;
      run.push(entry);
    }
    if (run.length > 0) lanes.push({ run, next: 0 });
  }
  lanes.sort((a, b) => a.run[0]!.arrival - b.run[0]!.arrival);

  const selected: PendingEntry[] = [];
  let bytes = 0;
  let compute = 0;
  let active = lanes;
  while (active.length > 0 && selected.length < maxCount) {
    const stillActive: Lane[] = [];
    for (const lane of active) {
      if (selected.length >= maxCount) break;
      const entry = lane.run[lane.next++]!;
      if (bytes + entry.bytes.length > maxBytes || compute + entry.compute > maxCompute) continue;
      selected.push(entry);
      bytes += entry.bytes.length;
      compute += entry.compute;
      if (lane.next < lane.run.length) stillActive.push(lane);
    }
    active = stillActive;
  }
  return selected;
}
