/**
 * CurveVM: the deterministic state machine of Asset L2 (ARCHITECTURE.md §5; every rule of
 * notes/curve-math.md). Integers only (bigint money, u64-checked), no clock, no randomness,
 * no Map order reaching state.
 *
 * - `new CurveVM(genesis)`, then `applyBlock(block, { verifySignatures })` → BlockResult, or
 *   BlockInvalidError (code BLOCK_INVALID, `reason`, `txIndex`) with the state untouched.
 * - State: one record kind per table (records.ts, one codec each): config, chain, account
 *   {lamports, nonce}, holding {amount, bought} per (account, curve), curve (phase, curve
 *   module state, vault, fee accruals, claimed allocation, escrow total, pool), template bytes
 *   per curve, LP shares per (account, curve), escrow per (curve, buyer), deposit per sequence
 *   number. Curve models are derived from the stored template, once (curves.ts).
 * - Ids: a curve's id is the txId of its CREATE_CURVE, sha256 of the signed transaction's
 *   encoding (`transactionHash`), unique because (sender, nonce) is.
 * - Atomicity: every write is journaled (state.ts); a failed transaction rolls back to its
 *   mark (its nonce bump sits before the mark), an invalid block to the block's start. At
 *   block end the changed records are encoded into the AuthenticatedState (key: u8 tag ‖ key
 *   bytes) and the block's withdrawals appended to the WithdrawalsTree; then both roots.
 * - Conservation (conservation.ts) states the exact lamport and token identities.
 */
export { LOCKED_LP_SHARES, type SwapQuote, swapIn, swapOut } from './amm.ts';
export { BASE_TX_COST, computeUnits, OPERATION_COSTS, TEMPLATE_BYTE_COST } from './compute.ts';
export { type ConservationReport, checkConservation } from './conservation.ts';
export { type CurveRuntime, vestedAllocation } from './curves.ts';
export { WITHDRAWALS_CAPACITY } from './execute.ts';
export {
  type AccountRecord,
  type ChainRecord,
  type ConfigRecord,
  type CurveRecord,
  type DepositRecord,
  decodeRecord,
  type EscrowRecord,
  encodeRecord,
  type HoldingRecord,
  type LpRecord,
  type PoolRecord,
  RECORD_TAGS,
  type RecordKind,
} from './records.ts';
export { clearSealed, type SealedBid, type SealedClearing, type SealedFill } from './sealed.ts';
export type * from './types.ts';
export { BlockInvalidError, isBlockInvalid } from './validity.ts';
export {
  CurveVM,
  type CurveVMOptions,
  type RecordRef,
  RestoreError,
  type StateProofResult,
  type StateStore,
  type VmAuditView,
  type WithdrawalsStore,
} from './vm.ts';
