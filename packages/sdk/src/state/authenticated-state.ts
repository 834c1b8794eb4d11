/**
 * The authenticated state: a compact sparse Merkle tree over path = sha256(key), in memory.
 * Hashing and collapse rules: state-proof.ts and docs/state-commitment.md.
 *
 * Sharing. Nodes are immutable once shared. Each tree holds an edit token; a node carrying
 * the tree's current token was created by this tree since its last `clone`/`snapshot`/
 * `entries` and may be updated in place; any other node is copied on write (path copying, as
 * in Clojure's transients). So `clone()` and `snapshot()` are O(1); after one of them the
 * first write to a path copies its ~log2(n) nodes once, later writes in the block reuse them.
 *
 * Lazy hashing. A write only marks the nodes on its path dirty; `root()` rehashes exactly the
 * dirty nodes, each once, so k changed keys cost O(k·log n) hashes with the levels their
 * paths share hashed once. A cached hash is a function of the node's contents alone, so filling
 * it in on a node shared with a snapshot is harmless.
 *
 * Layout. A big tree does not fit in any cache, so each node visit costs a memory miss; the
 * layout keeps it to one: a node's hash (and a leaf's path) live in the node object as eight
 * 32-bit big-endian words (small integers, stored inline by V8 on 64-bit Node), not in
 * separate Uint8Arrays, and hashing reads them straight from there (hasher.ts).
 */
import { fastHasher, type StateHasher, wordsToBytes } from './hasher.ts';
import {
  STATE_LEAF_PREFIX,
  STATE_NODE_PREFIX,
  type StateProof,
  type StateProofTerminal,
} from './state-proof.ts';

/** A changed key with its new value bytes, or `null` for a deletion. */
export type StateChange = readonly [key: Uint8Array, value: Uint8Array | null];

/** Identity of the tree allowed to update a node in place. */
type EditToken = object;

class Leaf {
  owner: EditToken;
  readonly key: Uint8Array;
  value: Uint8Array;
  /** When false, h0..h7 hold the leaf hash. */
  dirty = true;
  h0 = 0;
  h1 = 0;
  h2 = 0;
  h3 = 0;
  h4 = 0;
  h5 = 0;
  h6 = 0;
  h7 = 0;
  /** sha256(key) as big-endian words. */
  readonly p0: number;
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
  readonly p4: number;
  readonly p5: number;
  readonly p6: number;
  readonly p7: number;
  constructor(owner: EditToken, path: Int32Array, key: Uint8Array, value: Uint8Array) {
    this.owner = owner;
    this.key = key;
    this.value = value;
    this.p0 = path[0]!;
    this.p1 = path[1]!;
    this.p2 = path[2]!;
    this.p3 = path[3]!;
    this.p4 = path[4]!;
    this.p5 = path[5]!;
    this.p6 = path[6]!;
    this.p7 = path[7]!;
  }
}

class Branch {
  owner: EditToken;
  left: TreeNode | null;
  right: TreeNode | null;
  dirty = true;
  h0 = 0;
  h1 = 0;
  h2 = 0;
  h3 = 0;
  h4 = 0;
  h5 = 0;
  h6 = 0;
  h7 = 0;
  constructor(owner: EditToken, left: TreeNode | null, right: TreeNode | null) {
    this.owner = owner;
    this.left = left;
    this.right = right;
  }
}

type TreeNode = Leaf | Branch;

/** Changes per interleaved descent in `applyChanges`. */
const GROUP_SIZE = 16;
/** Nodes per hashing batch in `root()` (bounds the scratch: 96 bytes a node). */
const LEVEL_CHUNK = 4096;

function loadHash(node: TreeNode | null, into: Int32Array, at: number): void {
  if (node === null) {
    for (let i = at; i < at + 8; i++) into[i] = 0;
    return;
  }
  into[at] = node.h0;
  into[at + 1] = node.h1;
  into[at + 2] = node.h2;
  into[at + 3] = node.h3;
  into[at + 4] = node.h4;
  into[at + 5] = node.h5;
  into[at + 6] = node.h6;
  into[at + 7] = node.h7;
}

function storeHash(node: TreeNode, from: Int32Array, at: number): void {
  node.h0 = from[at]!;
  node.h1 = from[at + 1]!;
  node.h2 = from[at + 2]!;
  node.h3 = from[at + 3]!;
  node.h4 = from[at + 4]!;
  node.h5 = from[at + 5]!;
  node.h6 = from[at + 6]!;
  node.h7 = from[at + 7]!;
  node.dirty = false;
}

function loadPath(leaf: Leaf, into: Int32Array, at: number): void {
  into[at] = leaf.p0;
  into[at + 1] = leaf.p1;
  into[at + 2] = leaf.p2;
  into[at + 3] = leaf.p3;
  into[at + 4] = leaf.p4;
  into[at + 5] = leaf.p5;
  into[at + 6] = leaf.p6;
  into[at + 7] = leaf.p7;
}

function hasPath(leaf: Leaf, path: Int32Array): boolean {
  return (
    leaf.p0 === path[0] &&
    leaf.p1 === path[1] &&
    leaf.p2 === path[2] &&
    leaf.p3 === path[3] &&
    leaf.p4 === path[4] &&
    leaf.p5 === path[5] &&
    leaf.p6 === path[6] &&
    leaf.p7 === path[7]
  );
}

/** Bit `depth` of a path held as big-endian words: MSB of byte 0 first; 0 = left. */
function bitOf(path: Int32Array, depth: number): number {
  return (path[depth >>> 5]! >>> (31 - (depth & 31))) & 1;
}

function hashBytes(node: TreeNode | null, scratch: Int32Array): Uint8Array {
  loadHash(node, scratch, 0);
  return wordsToBytes(scratch, 0);
}

/** Throws unless every change is `[Uint8Array, Uint8Array | null]` and `paths` covers them all. */
function checkChanges(changes: readonly StateChange[], paths: Int32Array | undefined): void {
  for (const change of changes) {
    const value = change[1];
    if (!(change[0] instanceof Uint8Array) || !(value === null || value instanceof Uint8Array)) {
      throw new TypeError('a state change is [key: Uint8Array, value: Uint8Array | null]');
    }
  }
  if (paths !== undefined && paths.length < 8 * changes.length) {
    throw new RangeError(`${changes.length} changes but paths for ${paths.length / 8}`);
  }
}

/** A key's path in the state tree, sha256(key), as the 8 big-endian words `applyChanges` takes. */
export function statePathWords(key: Uint8Array, out: Int32Array = new Int32Array(8), at = 0): Int32Array {
  fastHasher.digestWords(key, out, at);
  return out;
}

/** A frozen version of an `AuthenticatedState` for `restore`: O(1) to take and to restore. */
export class StateSnapshot {
  /** @internal */
  readonly node: TreeNode | null;
  readonly size: number;
  /** @internal */
  constructor(node: TreeNode | null, size: number) {
    this.node = node;
    this.size = size;
  }
}

export interface AuthenticatedStateOptions {
  /** sha256 implementation; defaults to `fastHasher`. Tests inject a counting one. */
  readonly hasher?: StateHasher;
}

export class AuthenticatedState {
  private node: TreeNode | null = null;
  private count = 0;
  private token: EditToken = {};
  private readonly hasher: StateHasher;
  /** Scratch: the branches along the path found by the last `descend`, root first. */
  private readonly branches: Branch[] = [];
  private depth = 0;
  /** Scratch: the current key's path, another leaf's path, hash input and output words. */
  private readonly path = new Int32Array(8);
  private readonly otherPath = new Int32Array(8);
  private readonly output = new Int32Array(8);
  /** Scratch for `root()`: the dirty nodes by height, and a batch's hash inputs and outputs. */
  private readonly levels: TreeNode[][] = [];
  private readonly levelInputs = new Int32Array(16 * LEVEL_CHUNK);
  private readonly levelOutputs = new Int32Array(8 * LEVEL_CHUNK);
  /** Scratch for `applyChanges`: the current group's paths and descents. */
  private readonly groupPaths = new Int32Array(8 * GROUP_SIZE);
  private readonly groupNodes: (TreeNode | null)[] = new Array(GROUP_SIZE).fill(null);

  constructor(options: AuthenticatedStateOptions = {}) {
    this.hasher = options.hasher ?? fastHasher;
  }

  /** Builds a tree holding exactly `entries` (later duplicates overwrite earlier ones). */
  static from(
    entries: Iterable<readonly [Uint8Array, Uint8Array]>,
    options?: AuthenticatedStateOptions,
  ): AuthenticatedState {
    const state = new AuthenticatedState(options);
    for (const [key, value] of entries) state.set(key, value);
    return state;
  }

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** A copy of the value stored under `key`, or undefined. */
  get(key: Uint8Array): Uint8Array | undefined {
    const leaf = this.find(key);
    return leaf === null ? undefined : new Uint8Array(leaf.value);
  }

  has(key: Uint8Array): boolean {
    return this.find(key) !== null;
  }

  /**
   * Stores `value` under `key`. The tree keeps `value` itself, not a copy (the VM hands over
   * freshly encoded records; copying each would double the allocations of a block): do not
   * modify it afterwards. `key` is copied, so key buffers may be reused.
   */
  set(key: Uint8Array, value: Uint8Array): void {
    this.hasher.digestWords(key, this.path, 0);
    this.setAtPath(key, value);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: Uint8Array): boolean {
    this.hasher.digestWords(key, this.path, 0);
    return this.deleteAtPath();
  }

  /**
   * Applies a block's changes: `[key, value]` sets (same ownership rule as `set`), `[key,
   * null]` deletes. Same result as calling `set`/`delete` in order, but faster on big trees:
   * changes go in groups of 16 whose paths are first walked together, level by level, so the
   * memory misses of 16 descents overlap instead of queueing one after another (each level of a
   * big tree is a cache miss; measured: ~40 % less time in applyChanges at 10^6 keys).
   *
   * `paths`, if given, holds each change's path: sha256(key) as 8 big-endian words at
   * `paths[8i..8i+8)` (`statePathWords`). A caller that keeps the paths of its hot keys (the VM
   * does) saves hashing every changed key again in every block. It is trusted: a wrong path
   * puts the key in the wrong place.
   *
   * Atomic: the batch is checked (shapes, types) before the tree is touched, so a malformed
   * change throws with nothing applied. Callers rely on this instead of a snapshot, which made
   * every later write copy its whole path.
   */
  applyChanges(changes: Iterable<StateChange>, paths?: Int32Array): void {
    const list = Array.isArray(changes) ? (changes as readonly StateChange[]) : [...changes];
    checkChanges(list, paths);
    for (let first = 0; first < list.length; first += GROUP_SIZE) {
      this.applyGroup(list, first, Math.min(GROUP_SIZE, list.length - first), paths);
    }
  }

  /** The 32-byte state root; rehashes only what changed since the last call. */
  root(): Uint8Array {
    const node = this.node;
    if (node?.dirty) this.rehash(node);
    return hashBytes(node, this.output);
  }

  /** Inclusion proof if `key` is present, non-inclusion proof otherwise. */
  prove(key: Uint8Array): StateProof {
    if (this.node?.dirty) this.rehash(this.node);
    const path = this.path;
    this.hasher.digestWords(key, path, 0);
    const leaf = this.descend(path);
    const depth = this.depth;
    const siblings: Uint8Array[] = new Array(depth);
    for (let d = 0; d < depth; d++) {
      const branch = this.branches[d]!;
      siblings[depth - 1 - d] = hashBytes(bitOf(path, d) === 1 ? branch.left : branch.right, this.output);
    }
    let terminal: StateProofTerminal;
    if (leaf === null) terminal = { kind: 'empty' };
    else if (hasPath(leaf, path)) terminal = { kind: 'included' };
    else {
      loadPath(leaf, this.otherPath, 0);
      this.hasher.digestWords(leaf.value, this.output, 0);
      const valueHash = wordsToBytes(this.output, 0);
      terminal = { kind: 'otherLeaf', keyPath: wordsToBytes(this.otherPath, 0), valueHash };
    }
    return { siblings, terminal };
  }

  /**
   * All `[key, value]` pairs (copies) in path order, i.e. by sha256(key). Iterates the state
   * as it was when called: later writes copy instead of updating shared nodes in place.
   */
  entries(): IterableIterator<[Uint8Array, Uint8Array]> {
    const start = this.node;
    this.token = {};
    return iterate(start);
  }

  [Symbol.iterator](): IterableIterator<[Uint8Array, Uint8Array]> {
    return this.entries();
  }

  /** An independent tree with the same contents, in O(1): both sides copy on write from now on. */
  clone(): AuthenticatedState {
    const copy = new AuthenticatedState({ hasher: this.hasher });
    copy.node = this.node;
    copy.count = this.count;
    this.token = {};
    return copy;
  }

  /** Freezes the current contents for a later `restore` (e.g. to discard a failed block). O(1). */
  snapshot(): StateSnapshot {
    this.token = {};
    return new StateSnapshot(this.node, this.count);
  }

  /** Returns to a snapshot's contents (any number of times). O(1). */
  restore(snapshot: StateSnapshot): void {
    this.node = snapshot.node;
    this.count = snapshot.size;
    this.token = {};
  }

  private find(key: Uint8Array): Leaf | null {
    this.hasher.digestWords(key, this.path, 0);
    const leaf = this.descend(this.path);
    return leaf !== null && hasPath(leaf, this.path) ? leaf : null;
  }

  /** `set` once `this.path` holds sha256(key). */
  private setAtPath(key: Uint8Array, value: Uint8Array): void {
    const path = this.path;
    const leaf = this.descend(path);
    const depth = this.depth;
    let replacement: TreeNode;
    if (leaf === null) {
      replacement = new Leaf(this.token, path, new Uint8Array(key), value);
      this.count++;
    } else if (hasPath(leaf, path)) {
      if (leaf.value === value) return; // the same bytes object: nothing changed
      if (leaf.owner === this.token) {
        leaf.value = value;
        leaf.dirty = true;
        replacement = leaf;
      } else {
        replacement = new Leaf(this.token, path, leaf.key, value);
      }
    } else {
      replacement = this.split(leaf, new Leaf(this.token, path, new Uint8Array(key), value), depth);
      this.count++;
    }
    this.rebuild(path, depth, replacement);
  }

  /** `delete` once `this.path` holds sha256(key). */
  private deleteAtPath(): boolean {
    const path = this.path;
    const leaf = this.descend(path);
    if (leaf === null || !hasPath(leaf, path)) return false;
    this.count--;
    // Walk up while the subtree holds at most one key: it collapses into that key's leaf (or
    // into nothing), which moves up unchanged, since a leaf's hash does not depend on its depth.
    let child: TreeNode | null = null;
    let depth = this.depth;
    while (depth > 0) {
      const branch = this.branches[depth - 1]!;
      const sibling = bitOf(path, depth - 1) === 1 ? branch.left : branch.right;
      if (child === null && (sibling === null || sibling instanceof Leaf)) child = sibling;
      else if (!(child instanceof Leaf) || sibling !== null) break;
      depth--;
    }
    this.rebuild(path, depth, child);
    return true;
  }

  /** Applies `list[first..first+count)`, their paths (from `known`, else hashed) walked together first. */
  private applyGroup(
    list: readonly StateChange[],
    first: number,
    count: number,
    known: Int32Array | undefined,
  ): void {
    const paths = this.groupPaths;
    if (known) paths.set(known.subarray(8 * first, 8 * (first + count)));
    else for (let g = 0; g < count; g++) this.hasher.digestWords(list[first + g]![0], paths, 8 * g);
    // Touch every node on the group's paths, one level at a time across the group: the loads
    // of different paths are independent, so the CPU overlaps their misses. The walk only
    // warms caches; the changes below redo their own descent (now hitting cache).
    const nodes = this.groupNodes;
    for (let g = 0; g < count; g++) nodes[g] = this.node;
    for (let depth = 0, walking = count; walking > 0; depth++) {
      walking = 0;
      for (let g = 0; g < count; g++) {
        const node = nodes[g];
        if (node instanceof Branch) {
          nodes[g] = (paths[8 * g + (depth >>> 5)]! >>> (31 - (depth & 31))) & 1 ? node.right : node.left;
          walking++;
        }
      }
    }
    nodes.fill(null);
    const path = this.path;
    for (let g = 0; g < count; g++) {
      const [key, value] = list[first + g]!;
      for (let i = 0; i < 8; i++) path[i] = paths[8 * g + i]!;
      if (value === null) this.deleteAtPath();
      else this.setAtPath(key, value);
    }
  }

  /** Follows `path` from the root; records the branches passed and returns the leaf reached. */
  private descend(path: Int32Array): Leaf | null {
    const branches = this.branches;
    let node = this.node;
    let depth = 0;
    while (node instanceof Branch) {
      branches[depth] = node;
      node = bitOf(path, depth) === 1 ? node.right : node.left;
      depth++;
    }
    this.depth = depth;
    return node;
  }

  /**
   * The subtree replacing `existing` (at `depth`) when `added` (whose path is `this.path`)
   * arrives: branches with one empty side down to the first bit where the two paths differ
   * (none can collapse: their non-empty side holds both keys), then a branch with one leaf on
   * each side.
   */
  private split(existing: Leaf, added: Leaf, depth: number): Branch {
    const token = this.token;
    const path = this.path;
    const other = this.otherPath;
    loadPath(existing, other, 0);
    let differAt = 0;
    for (let i = 0; i < 8; i++) {
      const x = other[i]! ^ path[i]!;
      if (x !== 0) {
        differAt = i * 32 + Math.clz32(x);
        break;
      }
    }
    let node =
      bitOf(path, differAt) === 1 ? new Branch(token, existing, added) : new Branch(token, added, existing);
    for (let d = differAt - 1; d >= depth; d--) {
      node = bitOf(path, d) === 1 ? new Branch(token, null, node) : new Branch(token, node, null);
    }
    return node;
  }

  /**
   * Puts `child` at depth `depth` of `path` (the branches above it come from the last
   * `descend`), updating owned branches in place and copying shared ones, marking all dirty.
   */
  private rebuild(path: Int32Array, depth: number, child: TreeNode | null): void {
    const token = this.token;
    let node = child;
    for (let d = depth - 1; d >= 0; d--) {
      const branch = this.branches[d]!;
      const right = bitOf(path, d) === 1;
      if (branch.owner === token) {
        if (right) branch.right = node;
        else branch.left = node;
        branch.dirty = true;
        node = branch;
      } else {
        node = right ? new Branch(token, branch.left, node) : new Branch(token, node, branch.right);
      }
    }
    this.node = node;
  }

  /**
   * Recomputes the hashes of the dirty nodes under `node` (inclusive), each once: files them by
   * height, then hashes level by level from the leaves up, each level in one batch (the nodes
   * of a level are independent, so the hasher runs four of them per SIMD instruction).
   */
  private rehash(node: TreeNode): void {
    const levels = this.levels;
    this.fileDirty(node);
    for (let height = 0; height < levels.length; height++) {
      const level = levels[height]!;
      for (let first = 0; first < level.length; first += LEVEL_CHUNK) {
        this.hashNodes(level, first, Math.min(LEVEL_CHUNK, level.length - first), height === 0);
      }
      level.length = 0;
    }
  }

  /**
   * Files every dirty node under `node` (inclusive) in `levels` by height: 0 for leaves, for a
   * branch 1 more than its highest dirty child (at least 1), so each level only needs the
   * hashes of the levels below it. Returns `node`'s height.
   */
  private fileDirty(node: TreeNode): number {
    let height = 0;
    if (node instanceof Branch) {
      const { left, right } = node;
      // Read both children before descending into either: their cache misses overlap, and
      // the right one is in cache by the time the left subtree is done.
      const leftDirty = left?.dirty === true;
      const rightDirty = right?.dirty === true;
      height = 1;
      if (leftDirty) height = Math.max(height, this.fileDirty(left!) + 1);
      if (rightDirty) height = Math.max(height, this.fileDirty(right!) + 1);
    }
    const levels = this.levels;
    while (levels.length <= height) levels.push([]);
    levels[height]!.push(node);
    return height;
  }

  /** Hashes `nodes[first..first+count)`: leaves (`H(0x00 ‖ path ‖ H(value))`) or branches. */
  private hashNodes(nodes: readonly TreeNode[], first: number, count: number, leaves: boolean): void {
    const inputs = this.levelInputs;
    const outputs = this.levelOutputs;
    for (let k = 0; k < count; k++) {
      const node = nodes[first + k]!;
      if (node instanceof Leaf) {
        loadPath(node, inputs, 16 * k);
        this.hasher.digestWords(node.value, inputs, 16 * k + 8);
      } else {
        loadHash(node.left, inputs, 16 * k);
        loadHash(node.right, inputs, 16 * k + 8);
      }
    }
    this.hasher.pairWordsBatch(leaves ? STATE_LEAF_PREFIX : STATE_NODE_PREFIX, inputs, outputs, count);
    for (let k = 0; k < count; k++) storeHash(nodes[first + k]!, outputs, 8 * k);
  }
}

function* iterate(start: TreeNode | null): IterableIterator<[Uint8Array, Uint8Array]> {
  const pending: TreeNode[] = start === null ? [] : [start];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node instanceof Leaf) {
      yield [new Uint8Array(node.key), new Uint8Array(node.value)];
    } else {
      if (node.right !== null) pending.push(node.right);
      if (node.left !== null) pending.push(node.left);
    }
  }
}
