/**
 * Storage: one LMDB environment, typed repositories (blocks, receipts, state, mempool, meta)
 * and an atomic, durable commitBlock. Key layouts stay in this folder.
 */
export type { BlockRepository } from './blocks.ts';
export { type DurabilitySettings, StorageClosedError } from './environment.ts';
export type { MempoolRecord, MempoolRepository } from './mempool.ts';
export type { HeadPointer, MetaRepository } from './meta.ts';
export type { ReceiptRepository, StoredReceipt } from './receipts.ts';
export type { StateEntry, StateRepository } from './state.ts';
export {
  type BlockCommit,
  openStorage,
  Storage,
  StorageError,
  type StorageErrorReason,
  type StorageOptions,
} from './storage.ts';
