/**
 * The transactions root of a block header: a binary sha256 Merkle tree over the transactions'
 * hashes (`transactionHash(tx)`, sha256 of the signed encoding), in block order.
 *
 *   leaf(h)      = sha256(0x00 ‖ h)                 h = transactionHash(tx), 33 bytes in
 *   node(l, r)   = sha256(0x01 ‖ l ‖ r)             65 bytes in
 *   level k + 1  = node(a, b) for each pair of level k, left to right; an odd last node is
 *                  promoted unchanged (not hashed with itself, so no two different lists of
 *                  transactions share a root by duplicating the last one, as in Bitcoin)
 *   root         = the single node left; 32 zero bytes for an empty block
 *
 * e.g. three transactions: node(node(leaf(h0), leaf(h1)), leaf(h2)). The prefixes keep a leaf
 * from ever being read as an inner node (second-preimage attacks on the tree shape).
 */
import { sha256 } from '../codec/hash.ts';
import { transactionHash } from '../tx/codec.ts';
import type { Transaction } from '../tx/types.ts';

export const TX_LEAF_PREFIX = 0x00;
export const TX_NODE_PREFIX = 0x01;

/** The root over already computed transaction hashes (32 bytes each), e.g. of received bytes. */
export function transactionsRootOfHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return new Uint8Array(32);
  const leafInput = new Uint8Array(33);
  leafInput[0] = TX_LEAF_PREFIX;
  let level: Uint8Array[] = hashes.map((hash) => {
    if (hash.length !== 32) throw new RangeError('a transaction hash is 32 bytes');
    leafInput.set(hash, 1);
    return sha256(leafInput);
  });
  const nodeInput = new Uint8Array(65);
  nodeInput[0] = TX_NODE_PREFIX;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      nodeInput.set(level[i]!, 1);
      nodeInput.set(level[i + 1]!, 33);
      next.push(sha256(nodeInput));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return new Uint8Array(level[0]!);
}

export function transactionsRoot(transactions: readonly Transaction[]): Uint8Array {
  return transactionsRootOfHashes(transactions.map((tx) => transactionHash(tx)));
}
