/**
 * CurveVM's state as its records (the authenticated state's leaves), and the withdrawals tree's
 * leaves in order: enough to rebuild the VM and both roots on restart (CurveVM.restore).
 *
 *   state        state key (u8 tag ‖ key bytes, vm/keys.ts) → the record's encoding
 *   withdrawals  u64be index → index u64 · l1Recipient [32] · lamports u64
 *
 * The keys and values are the VM's own bytes, stored as they are: storage does not interpret
 * records.
 */
import { decode, encode, type StateChange, type WithdrawalLeaf } from '@assetl2/sdk';
import { heightKey, readHeightKey, withdrawalLeafCodec } from './codecs.ts';
import type { StorageEnvironment } from './environment.ts';

/** LMDB's key limit with the default page size (lmdb-js: 1978 bytes). */
const MAX_STATE_KEY_BYTES = 1978;

export type StateEntry = readonly [key: Uint8Array, value: Uint8Array];

export interface PreparedStateChanges {
  readonly changes: readonly StateChange[];
  readonly withdrawals: readonly (readonly [key: Uint8Array, value: Uint8Array, index: bigint])[];
}

export class StateRepository {
  constructor(private readonly env: StorageEnvironment) {}

  /** Applies changes (a null value deletes) in one durable transaction of their own. */
  applyChanges(changes: Iterable<StateChange>): Promise<void> {
    let prepared: PreparedStateChanges;
    try {
      prepared = prepareStateChanges(changes, []);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.env.write(() => this.writePrepared(prepared));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    if (!(key instanceof Uint8Array) || key.length === 0 || key.length > MAX_STATE_KEY_BYTES)
      return undefined;
    const value = this.env.db('state').get(key);
    return value === undefined ? undefined : new Uint8Array(value);
  }

  /**
   * Every record, in key order (fresh copies), from one consistent snapshot: what
   * CurveVM.restore takes.
   */
  *entries(): Generator<StateEntry, void, undefined> {
    for (const { key, value } of this.env.db('state').getRange({})) {
      yield [new Uint8Array(key), new Uint8Array(value)];
    }
  }

  /** How many withdrawals were ever appended (= the next leaf's index). */
  withdrawalCount(): bigint {
    for (const key of this.env.db('withdrawals').getKeys({ reverse: true, limit: 1 })) {
      return readHeightKey(key as Uint8Array) + 1n;
    }
    return 0n;
  }

  /** The withdrawals tree's leaves from index `from`, in order. */
  *withdrawals(from = 0n): Generator<WithdrawalLeaf, void, undefined> {
    for (const { value } of this.env.db('withdrawals').getRange({ start: heightKey(from) })) {
      yield decode(withdrawalLeafCodec, value);
    }
  }

  /**
   * Inside a write transaction (Storage.commitBlock, applyChanges). Withdrawals must continue
   * the stored sequence exactly (leaf.index = withdrawalCount()), or this throws.
   */
  writePrepared(prepared: PreparedStateChanges): void {
    const state = this.env.db('state');
    for (const [key, value] of prepared.changes) {
      if (value === null) state.removeSync(key);
      else state.putSync(key, value);
    }
    if (prepared.withdrawals.length === 0) return;
    let next = this.withdrawalCount();
    const withdrawals = this.env.db('withdrawals');
    for (const [key, value, index] of prepared.withdrawals) {
      if (index !== next) throw new RangeError(`withdrawal ${index} appended after ${next - 1n}`);
      withdrawals.putSync(key, value);
      next++;
    }
  }
}

/** Checks and encodes ahead of the write transaction; throws RangeError for a bad change or leaf. */
export function prepareStateChanges(
  changes: Iterable<StateChange>,
  withdrawals: readonly WithdrawalLeaf[],
): PreparedStateChanges {
  const checked: StateChange[] = [];
  for (const change of changes) {
    const [key, value] = change;
    if (!(key instanceof Uint8Array) || key.length === 0 || key.length > MAX_STATE_KEY_BYTES) {
      throw new RangeError(`a state key is 1 to ${MAX_STATE_KEY_BYTES} bytes`);
    }
    if (value !== null && !(value instanceof Uint8Array))
      throw new RangeError('a state value is bytes or null');
    checked.push(change);
  }
  return {
    changes: checked,
    withdrawals: withdrawals.map(
      (leaf) => [heightKey(leaf.index), encode(withdrawalLeafCodec, leaf), leaf.index] as const,
    ),
  };
}
