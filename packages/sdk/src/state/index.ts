/** Authenticated state (compact sparse Merkle tree) and the withdrawals tree: roots and proofs. */
export {
  AuthenticatedState,
  type AuthenticatedStateOptions,
  type StateChange,
  StateSnapshot,
  statePathWords,
} from './authenticated-state.ts';
export {
  type CountingHasher,
  countingHasher,
  fastHasher,
  platformHasher,
  type StateHasher,
} from './hasher.ts';
export {
  decodeStateProof,
  encodeStateProof,
  STATE_LEAF_PREFIX,
  STATE_NODE_PREFIX,
  STATE_PATH_BITS,
  type StateProof,
  type StateProofTerminal,
  stateLeafHash,
  stateProofCodec,
  verifyStateProof,
} from './state-proof.ts';
export {
  verifyWithdrawalProof,
  WITHDRAWAL_LEAF_PREFIX,
  WITHDRAWAL_NODE_PREFIX,
  WITHDRAWALS_TREE_DEPTH,
  type WithdrawalLeaf,
  WithdrawalsTree,
  type WithdrawalsTreeOptions,
  withdrawalLeafHash,
  withdrawalZeroHashes,
} from './withdrawals.ts';
