import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, fixedBytes, struct, u64 } from '../codec/codec.ts';
import { sha256, toHex } from '../codec/hash.ts';
import { AssetL2Error } from '../errors/codes.ts';
import {
  verifyWithdrawalProof,
  type WithdrawalLeaf,
  WithdrawalsTree,
  withdrawalLeafHash,
  withdrawalZeroHashes,
} from './withdrawals.ts';

// ---------------------------------------------------------------------------------------------
// Independent reference: plain concatenation and the platform sha256, full level arrays.

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const H = (left: Uint8Array, right: Uint8Array) => sha256(concat(new Uint8Array([1]), left, right));
const u64le = (v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};
const referenceLeaf = (leaf: WithdrawalLeaf) =>
  sha256(concat(new Uint8Array([0]), u64le(leaf.index), leaf.l1Recipient, u64le(leaf.lamports)));

function referenceZeros(depth: number): Uint8Array[] {
  const zeros: Uint8Array[] = [new Uint8Array(32)];
  for (let h = 0; h < depth; h++) zeros.push(H(zeros[h]!, zeros[h]!));
  return zeros;
}

/** Every level as a full array over all 2^depth slots (small depths only). */
function referenceRoot(leaves: readonly WithdrawalLeaf[], depth: number): Uint8Array {
  let level: Uint8Array[] = Array.from({ length: 2 ** depth }, (_, i) =>
    i < leaves.length ? referenceLeaf(leaves[i]!) : new Uint8Array(32),
  );
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(H(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}

function leafAt(index: number): WithdrawalLeaf {
  const l1Recipient = sha256(new Uint8Array([index & 0xff, index >> 8, index >> 16]));
  return { index: BigInt(index), l1Recipient, lamports: BigInt(index) * 1_000_003n + 1n };
}

function treeOf(count: number, depth?: number): WithdrawalsTree {
  const tree = new WithdrawalsTree(depth === undefined ? {} : { depth });
  for (let i = 0; i < count; i++) tree.append(leafAt(i));
  return tree;
}

// ---------------------------------------------------------------------------------------------

describe('withdrawal leaf', () => {
  it('is sha256(0x00 ‖ u64le(index) ‖ recipient32 ‖ u64le(lamports)), 49 bytes hashed', () => {
    const leaf: WithdrawalLeaf = {
      index: 0x0102030405060708n,
      l1Recipient: new Uint8Array(32).fill(0xab),
      lamports: 0xffff_ffff_ffff_ffffn,
    };
    const bytes = concat(
      new Uint8Array([0]),
      encode(
        struct<WithdrawalLeaf>([
          ['index', u64],
          ['l1Recipient', fixedBytes(32)],
          ['lamports', u64],
        ]),
        leaf,
      ),
    );
    expect(bytes.length).toBe(49);
    expect(toHex(bytes.subarray(1, 9))).toBe('0807060504030201');
    expect(toHex(withdrawalLeafHash(leaf))).toBe(toHex(sha256(bytes)));
    expect(toHex(withdrawalLeafHash(leaf))).toBe(toHex(referenceLeaf(leaf)));
  });

  it('rejects out-of-range fields', () => {
    const ok = leafAt(0);
    expect(() => withdrawalLeafHash({ ...ok, lamports: -1n })).toThrow(RangeError);
    expect(() => withdrawalLeafHash({ ...ok, lamports: 1n << 64n })).toThrow(RangeError);
    expect(() => withdrawalLeafHash({ ...ok, l1Recipient: new Uint8Array(31) })).toThrow(RangeError);
  });
});

describe('WithdrawalsTree', () => {
  const zeros = referenceZeros(24);

  it('depth is exactly 24 by default; zero hashes per level', () => {
    const tree = new WithdrawalsTree();
    expect(tree.depth).toBe(24);
    expect(tree.capacity).toBe(2 ** 24);
    expect(withdrawalZeroHashes().map(toHex)).toEqual(zeros.map(toHex));
    expect(toHex(tree.root())).toBe(toHex(zeros[24]!));
    tree.append(leafAt(0));
    expect(tree.prove(0).length).toBe(24);
  });

  it('roots of 0, 1, 2 and 3 leaves, by hand', () => {
    const [l0, l1, l2] = [0, 1, 2].map((i) => referenceLeaf(leafAt(i))) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const up = (node: Uint8Array, from: number) => {
      let n = node;
      for (let h = from; h < 24; h++) n = H(n, zeros[h]!);
      return n;
    };
    const expected = [
      zeros[24]!,
      up(H(l0, zeros[0]!), 1),
      up(H(l0, l1), 1),
      up(H(H(l0, l1), H(l2, zeros[0]!)), 2),
    ];
    for (let count = 0; count <= 3; count++) {
      expect(toHex(treeOf(count).root()), `${count} leaves`).toBe(toHex(expected[count]!));
    }
  });

  it('every count on a small depth matches the full-level-array reference, full tree included', () => {
    const depth = 5;
    const leaves = Array.from({ length: 32 }, (_, i) => leafAt(i));
    const tree = new WithdrawalsTree({ depth });
    expect(toHex(tree.root())).toBe(toHex(referenceRoot([], depth)));
    for (let count = 1; count <= 32; count++) {
      tree.append(leaves[count - 1]!);
      expect(tree.count).toBe(count);
      const root = tree.root();
      expect(toHex(root), `${count} leaves`).toBe(toHex(referenceRoot(leaves.slice(0, count), depth)));
      for (let i = 0; i < count; i++) {
        expect(verifyWithdrawalProof(root, leaves[i]!, tree.prove(i), depth)).toBe(true);
      }
    }
  });

  it('WITHDRAWALS_FULL past 2^depth leaves', () => {
    const tree = treeOf(8, 3);
    const error = (() => {
      try {
        tree.append(leafAt(8));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AssetL2Error);
    expect((error as AssetL2Error).code).toBe('WITHDRAWALS_FULL');
    expect(tree.count).toBe(8);
    expect(toHex(tree.root())).toBe(
      toHex(
        referenceRoot(
          Array.from({ length: 8 }, (_, i) => leafAt(i)),
          3,
        ),
      ),
    );
  });

  it('refuses a leaf whose index is not the next position', () => {
    const tree = treeOf(2);
    expect(() => tree.append(leafAt(5))).toThrow(RangeError);
    expect(() => tree.prove(2)).toThrow(RangeError);
  });

  it('proofs verify at random indexes of a depth-24 tree; tampering breaks them', () => {
    const count = 1000;
    const tree = treeOf(count);
    const root = tree.root();
    fc.assert(
      fc.property(fc.nat(count - 1), fc.nat(24 * 32 - 1), (index, flip) => {
        const leaf = leafAt(index);
        const proof = tree.prove(index);
        expect(proof.length).toBe(24);
        expect(verifyWithdrawalProof(root, leaf, proof)).toBe(true);
        expect(verifyWithdrawalProof(root, leaf, tree.prove(BigInt(index)))).toBe(true);
        const tampered = proof.map((s) => s.slice());
        tampered[flip >> 5]![flip & 31]! ^= 1;
        expect(verifyWithdrawalProof(root, leaf, tampered)).toBe(false);
        expect(verifyWithdrawalProof(root, { ...leaf, lamports: leaf.lamports + 1n }, proof)).toBe(false);
        expect(verifyWithdrawalProof(root, { ...leaf, index: leaf.index ^ 1n }, proof)).toBe(false);
        const recipient = leaf.l1Recipient.slice();
        recipient[flip & 31]! ^= 1;
        expect(verifyWithdrawalProof(root, { ...leaf, l1Recipient: recipient }, proof)).toBe(false);
        const badRoot = root.slice();
        badRoot[flip & 31]! ^= 0x80;
        expect(verifyWithdrawalProof(badRoot, leaf, proof)).toBe(false);
        // wrong length, or an index past the tree, never verifies
        expect(verifyWithdrawalProof(root, leaf, proof.slice(1))).toBe(false);
        expect(verifyWithdrawalProof(root, { ...leaf, index: leaf.index + (1n << 24n) }, proof)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('old proofs stay valid against old roots; roots change with every append', () => {
    const tree = new WithdrawalsTree();
    const roots: Uint8Array[] = [];
    const proofs: Uint8Array[][] = [];
    for (let i = 0; i < 20; i++) {
      tree.append(leafAt(i));
      roots.push(tree.root());
      proofs.push(tree.prove(i));
    }
    expect(new Set(roots.map(toHex)).size).toBe(20);
    for (let i = 0; i < 20; i++) expect(verifyWithdrawalProof(roots[i]!, leafAt(i), proofs[i]!)).toBe(true);
  });

  it('a tree one short of full (every right edge partial) matches the reference', () => {
    const tree = treeOf(1023, 10);
    expect(toHex(tree.root())).toBe(
      toHex(
        referenceRoot(
          Array.from({ length: 1023 }, (_, i) => leafAt(i)),
          10,
        ),
      ),
    );
  });
});
