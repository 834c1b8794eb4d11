export {
  DEFAULT_MEMPOOL_LIMITS,
  DEFAULT_NONCE_WINDOW,
  DEFAULT_TTL_MS,
  Mempool,
  type MempoolLimits,
  type MempoolOptions,
  type MempoolSizes,
  type MempoolStats,
  type PendingTransaction,
  type PoolLimits,
  type PoolSize,
  type SubmitResult,
} from './mempool.ts';
export type { SelectOptions } from './select.ts';
export type { MempoolStore, StoredMempoolEntry } from './store.ts';
export type { StoreWriterStats } from './store-writer.ts';
export {
  SignatureVerifierPool,
  type SignatureVerifierPoolOptions,
  type TransactionVerifier,
  type VerifierStats,
  type VerifyOutcome,
} from './verifier-pool.ts';
