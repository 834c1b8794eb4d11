/**
 * The withdrawals tree: an append-only Merkle tree of fixed depth (24) whose root every batch
 * carries and against which the AssetRollup program on Solana checks a withdrawal. Kept
 * deliberately plain for the C verifier (docs/state-commitment.md has the exact bytes):
 *
 *   leaf      = sha256(0x00 ‖ u64le(index) ‖ l1Recipient32 ‖ u64le(lamports))     49 bytes in
 *   node      = sha256(0x01 ‖ left32 ‖ right32)                                     65 bytes in
 *   zero[0]   = 32 zero bytes (an empty leaf slot); zero[h+1] = sha256(0x01 ‖ zero[h] ‖ zero[h])
 *   root      = the node at height 24 over 2^24 leaf slots, unused slots empty
 *   proof     = 24 sibling hashes, bottom-up; bit h of the index says whether the node at
 *               height h is a right child (1: node = H(0x01 ‖ sibling ‖ node)) or a left one
 *
 * Storage: every complete node (a node whose leaf slots are all filled) is kept, level by level,
 * in one packed byte array per level, so `append` costs one leaf hash plus one node hash per
 * subtree it completes (amortised ~1), `root()` folds the right edge as the Ethereum deposit
 * contract does (depth hashes, cached until the next append), and `prove` reads stored nodes.
 */
import { AssetL2Error } from '../errors/codes.ts';
import { sha256Js, sha256Pair } from './sha256-js.ts';
import { bytesEqual } from './state-proof.ts';

export const WITHDRAWALS_TREE_DEPTH = 24;
export const WITHDRAWAL_LEAF_PREFIX = 0x00;
export const WITHDRAWAL_NODE_PREFIX = 0x01;

export interface WithdrawalLeaf {
  /** Position in the tree: the n-th withdrawal ever (0-based). Makes every leaf unique. */
  readonly index: bigint;
  /** Solana account receiving the lamports. */
  readonly l1Recipient: Uint8Array;
  readonly lamports: bigint;
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const leafScratch = new Uint8Array(49);
const leafView = new DataView(leafScratch.buffer);

/** sha256(0x00 ‖ u64le(index) ‖ l1Recipient ‖ u64le(lamports)). */
export function withdrawalLeafHash(leaf: WithdrawalLeaf): Uint8Array {
  const { index, l1Recipient, lamports } = leaf;
  if (index < 0n || index > U64_MAX) throw new RangeError(`withdrawal index out of range: ${index}`);
  if (lamports < 0n || lamports > U64_MAX) throw new RangeError(`lamports out of range: ${lamports}`);
  if (l1Recipient.length !== 32) throw new RangeError('l1Recipient must be 32 bytes');
  leafScratch[0] = WITHDRAWAL_LEAF_PREFIX;
  leafView.setBigUint64(1, index, true);
  leafScratch.set(l1Recipient, 9);
  leafView.setBigUint64(41, lamports, true);
  return sha256Js(leafScratch);
}

/** zero[h] for h = 0..depth: the root of an empty subtree of height h. */
export function withdrawalZeroHashes(depth: number = WITHDRAWALS_TREE_DEPTH): readonly Uint8Array[] {
  const zeros = [new Uint8Array(32)];
  for (let h = 0; h < depth; h++) {
    const next = new Uint8Array(32);
    sha256Pair(WITHDRAWAL_NODE_PREFIX, zeros[h]!, zeros[h]!, next);
    zeros.push(next);
  }
  return zeros;
}

const DEFAULT_ZEROS = withdrawalZeroHashes(WITHDRAWALS_TREE_DEPTH);

function zeroHashesFor(depth: number): readonly Uint8Array[] {
  return depth <= WITHDRAWALS_TREE_DEPTH ? DEFAULT_ZEROS : withdrawalZeroHashes(depth);
}

/** One level of complete nodes, 32 bytes each, packed; grows by doubling. */
class Level {
  bytes = new Uint8Array(32 * 16);
  length = 0;
  push(hash: Uint8Array): void {
    if ((this.length + 1) * 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * 32);
    this.length++;
  }
  at(position: number): Uint8Array {
    return this.bytes.subarray(position * 32, position * 32 + 32);
  }
}

export interface WithdrawalsTreeOptions {
  /** Tree depth; 24 on the settlement layer. Smaller depths exist for tests. */
  readonly depth?: number;
}

export class WithdrawalsTree {
  readonly depth: number;
  /** Maximum number of leaves: 2^depth. */
  readonly capacity: number;
  private readonly zeros: readonly Uint8Array[];
  /** levels[h] holds the complete nodes at height h (leaves at 0, the root of a full tree at depth). */
  private readonly levels: Level[] = [];
  /**
   * rightEdge[h] is the node at height h and position count >> h, the first one not complete
   * (partly filled, or empty); rightEdge[depth] is the root. Null until needed after an append.
   */
  private rightEdge: Uint8Array[] | null = null;
  private readonly carry = new Uint8Array(32);

  constructor(options: WithdrawalsTreeOptions = {}) {
    const depth = options.depth ?? WITHDRAWALS_TREE_DEPTH;
    if (!Number.isInteger(depth) || depth < 1 || depth > 32) throw new RangeError(`bad tree depth ${depth}`);
    this.depth = depth;
    this.capacity = 2 ** depth;
    this.zeros = zeroHashesFor(depth);
    for (let h = 0; h <= depth; h++) this.levels.push(new Level());
  }

  /** Number of leaves appended. */
  get count(): number {
    return this.levels[0]!.length;
  }

  /**
   * Appends the next withdrawal; its `index` must equal `count`. Returns the index.
   * Throws `AssetL2Error(WITHDRAWALS_FULL)` once 2^depth leaves are in.
   */
  append(leaf: WithdrawalLeaf): number {
    const index = this.count;
    if (index >= this.capacity) {
      throw new AssetL2Error(
        'WITHDRAWALS_FULL',
        `the withdrawals tree is full (${this.capacity} withdrawals)`,
      );
    }
    if (leaf.index !== BigInt(index)) {
      throw new RangeError(`withdrawal index ${leaf.index} does not match the next position ${index}`);
    }
    this.levels[0]!.push(withdrawalLeafHash(leaf));
    // Each time the new node is a right child, its parent becomes complete.
    let position = index;
    for (let h = 0; h < this.depth && position % 2 === 1; h++) {
      const level = this.levels[h]!;
      sha256Pair(WITHDRAWAL_NODE_PREFIX, level.at(position - 1), level.at(position), this.carry);
      this.levels[h + 1]!.push(this.carry);
      position = (position - 1) / 2;
    }
    this.rightEdge = null;
    return index;
  }

  /** The root over the whole depth-`depth` tree (empty slots as zero hashes). */
  root(): Uint8Array {
    return this.edge()[this.depth]!.slice();
  }

  /** Sibling hashes bottom-up (`depth` of them) for the leaf at `index` (< count). */
  prove(index: number | bigint): Uint8Array[] {
    const count = this.count;
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new RangeError(`no withdrawal at index ${index} (count ${count})`);
    }
    const edge = this.edge();
    const proof: Uint8Array[] = [];
    for (let h = 0; h < this.depth; h++) {
      const position = Math.floor(i / 2 ** h);
      const sibling = position % 2 === 1 ? position - 1 : position + 1;
      const complete = Math.floor(count / 2 ** h);
      if (sibling < complete) proof.push(this.levels[h]!.at(sibling).slice());
      else if (sibling === complete) proof.push(edge[h]!.slice());
      else proof.push(this.zeros[h]!.slice());
    }
    return proof;
  }

  /** Leaf hash at `index` (< count). */
  leafHash(index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.count)
      throw new RangeError(`no leaf ${index}`);
    return this.levels[0]!.at(index).slice();
  }

  /** The right edge, folded from the frontier as in the Ethereum deposit contract's get_deposit_root. */
  private edge(): Uint8Array[] {
    if (this.rightEdge !== null) return this.rightEdge;
    const count = this.count;
    if (count === this.capacity) {
      // Full: no node is partial and the fold below would describe position 1 at the top;
      // the root is the stored complete one. No proof reads the other entries.
      this.rightEdge = [...this.zeros.slice(0, this.depth), this.levels[this.depth]!.at(0).slice()];
      return this.rightEdge;
    }
    const edge: Uint8Array[] = [this.zeros[0]!];
    let node = this.zeros[0]!;
    for (let h = 0; h < this.depth; h++) {
      const position = Math.floor(count / 2 ** h);
      const next = new Uint8Array(32);
      if (position % 2 === 1)
        sha256Pair(WITHDRAWAL_NODE_PREFIX, this.levels[h]!.at(position - 1), node, next);
      else sha256Pair(WITHDRAWAL_NODE_PREFIX, node, this.zeros[h]!, next);
      edge.push(next);
      node = next;
    }
    this.rightEdge = edge;
    return edge;
  }
}

/**
 * Checks a withdrawal proof against a withdrawals root, exactly as the on-chain program does:
 * `proof.length` must be `depth` (24), the index must fit in `depth` bits, and folding the
 * leaf hash with the siblings (bit h of the index: 1 = the node is the right child) must give
 * the root. Never throws on malformed input.
 */
export function verifyWithdrawalProof(
  root: Uint8Array,
  leaf: WithdrawalLeaf,
  proof: readonly Uint8Array[],
  depth: number = WITHDRAWALS_TREE_DEPTH,
): boolean {
  if (root.length !== 32 || proof.length !== depth || depth < 1 || depth > 32) return false;
  if (leaf.index < 0n || leaf.index >= 1n << BigInt(depth)) return false;
  let node: Uint8Array;
  try {
    node = withdrawalLeafHash(leaf);
  } catch {
    return false;
  }
  let index = Number(leaf.index);
  for (const sibling of proof) {
    if (sibling.length !== 32) return false;
    if (index % 2 === 1) sha256Pair(WITHDRAWAL_NODE_PREFIX, sibling, node, node);
    else sha256Pair(WITHDRAWAL_NODE_PREFIX, node, sibling, node);
    index = Math.floor(index / 2);
  }
  return bytesEqual(node, root);
}
