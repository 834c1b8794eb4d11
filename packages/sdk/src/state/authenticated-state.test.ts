import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec/codec.ts';
import { sha256, toHex } from '../codec/hash.ts';
import { AuthenticatedState, type StateChange } from './authenticated-state.ts';
import { countingHasher, platformHasher } from './hasher.ts';
import { decodeStateProof, encodeStateProof, type StateProof, verifyStateProof } from './state-proof.ts';

// ---------------------------------------------------------------------------------------------
// An independent reference: the root straight from the definition, by recursive partition of
// the whole key set, with the platform sha256 over concatenated bytes.

const ZERO = new Uint8Array(32);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const bit = (path: Uint8Array, depth: number) => (path[depth >> 3]! >> (7 - (depth % 8))) & 1;

function referenceRoot(model: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const items = [...model].map(([keyHex, value]) => {
    const path = sha256(fromHexKey(keyHex));
    return { path, hash: sha256(concat(new Uint8Array([0]), path, sha256(value))) };
  });
  const build = (group: typeof items, depth: number): Uint8Array => {
    if (group.length === 0) return ZERO;
    if (group.length === 1) return group[0]!.hash;
    const left = build(
      group.filter((i) => bit(i.path, depth) === 0),
      depth + 1,
    );
    const right = build(
      group.filter((i) => bit(i.path, depth) === 1),
      depth + 1,
    );
    return sha256(concat(new Uint8Array([1]), left, right));
  };
  return build(items, 0);
}

const fromHexKey = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const bytes = (...values: number[]) => new Uint8Array(values);
/** Deterministic keys shaped like the VM's: a record type byte and a 32-byte address. */
function accountKey(i: number): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = 1;
  new DataView(key.buffer).setUint32(1, i, true);
  return key;
}
function recordValue(i: number, version = 0): Uint8Array {
  const value = new Uint8Array(100);
  new DataView(value.buffer).setUint32(0, i, true);
  new DataView(value.buffer).setUint32(4, version, true);
  return value;
}

// Small key space so that random operations overwrite and delete existing keys often.
const keyArb = fc.uint8Array({ minLength: 1, maxLength: 3 }).map((k) => {
  k[0] = k[0]! & 0x1f;
  return k.subarray(0, Math.min(k.length, 2));
});
const valueArb = fc.uint8Array({ maxLength: 40 });
type Op =
  | { kind: 'set'; key: Uint8Array; value: Uint8Array }
  | { kind: 'delete'; key: Uint8Array }
  | { kind: 'root' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: valueArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'root' as const }) },
);

function applyOps(state: AuthenticatedState, model: Map<string, Uint8Array>, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op.kind === 'set') {
      state.set(op.key, op.value);
      model.set(toHex(op.key), op.value.slice());
    } else if (op.kind === 'delete') {
      expect(state.delete(op.key)).toBe(model.delete(toHex(op.key)));
    } else {
      state.root();
    }
  }
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('AuthenticatedState root', () => {
  it('empty tree: 32 zero bytes', () => {
    const state = new AuthenticatedState();
    expect(state.root()).toEqual(ZERO);
    expect(state.size).toBe(0);
  });

  it('one key: the root is its leaf hash sha256(0x00 ‖ sha256(key) ‖ sha256(value))', () => {
    const state = new AuthenticatedState();
    state.set(bytes(1, 2, 3), bytes(9));
    const leaf = sha256(concat(bytes(0), sha256(bytes(1, 2, 3)), sha256(bytes(9))));
    expect(toHex(state.root())).toBe(toHex(leaf));
    expect(state.size).toBe(1);
    expect(state.get(bytes(1, 2, 3))).toEqual(bytes(9));
    state.delete(bytes(1, 2, 3));
    expect(state.root()).toEqual(ZERO);
  });

  it('two keys: one-sided branches down to the first differing path bit, by hand', () => {
    const a = bytes(0);
    const b = bytes(1);
    const pa = sha256(a);
    const pb = sha256(b);
    let common = 0;
    while (bit(pa, common) === bit(pb, common)) common++;
    const la = sha256(concat(bytes(0), pa, sha256(bytes(7))));
    const lb = sha256(concat(bytes(0), pb, sha256(bytes(8))));
    let node = bit(pa, common) === 0 ? sha256(concat(bytes(1), la, lb)) : sha256(concat(bytes(1), lb, la));
    for (let d = common - 1; d >= 0; d--) {
      node = bit(pa, d) === 0 ? sha256(concat(bytes(1), node, ZERO)) : sha256(concat(bytes(1), ZERO, node));
    }
    const state = new AuthenticatedState();
    state.set(a, bytes(7));
    state.set(b, bytes(8));
    expect(toHex(state.root())).toBe(toHex(node));
  });

  it('depends only on the contents: random histories match the reference and a fresh build', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.integer(), (ops, seed) => {
        const state = new AuthenticatedState();
        const model = new Map<string, Uint8Array>();
        applyOps(state, model, ops);
        const root = toHex(state.root());
        expect(root).toBe(toHex(referenceRoot(model)));
        expect(state.size).toBe(model.size);
        const fresh = AuthenticatedState.from(
          shuffled([...model], seed).map(([k, v]): [Uint8Array, Uint8Array] => [fromHexKey(k), v]),
          { hasher: platformHasher() },
        );
        expect(toHex(fresh.root())).toBe(root);
        for (const [k, v] of model) expect(state.get(fromHexKey(k))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('same final set, different insertion orders with deletes, re-inserts and overwrites', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 8 }), { maxLength: 60, selector: toHex }),
        fc.integer(),
        fc.integer(),
        (keys, seedA, seedB) => {
          const build = (seed: number) => {
            const state = new AuthenticatedState();
            for (const [i, key] of shuffled(keys, seed).entries()) {
              state.set(key, bytes(0xee, i)); // a value that is overwritten below
              if (i % 3 === 0) state.delete(key);
              if (i % 5 === 0) state.root();
            }
            for (const key of shuffled(keys, seed ^ 0x5a5a)) state.set(key, key);
            return toHex(state.root());
          };
          expect(build(seedA)).toBe(build(seedB));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('applyChanges = the same sets and deletes in order (groups with repeated keys too)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), fc.array(opArb, { maxLength: 40 }), (before, ops) => {
        const state = new AuthenticatedState();
        const model = new Map<string, Uint8Array>();
        applyOps(state, model, before);
        const changes: StateChange[] = [];
        for (const op of ops) {
          if (op.kind === 'set') {
            changes.push([op.key, op.value]);
            model.set(toHex(op.key), op.value);
          } else if (op.kind === 'delete') {
            changes.push([op.key, null]);
            model.delete(toHex(op.key));
          }
        }
        state.applyChanges(changes);
        expect(toHex(state.root())).toBe(toHex(referenceRoot(model)));
        expect(state.size).toBe(model.size);
      }),
      { numRuns: 300 },
    );
  });

  it('setting the very same value object again rehashes nothing', () => {
    const counter = countingHasher();
    const state = new AuthenticatedState({ hasher: counter });
    const one = bytes(1);
    state.applyChanges([
      [bytes(1), one],
      [bytes(2), bytes(2)],
      [bytes(2), null],
      [bytes(4), null],
    ]);
    expect(state.size).toBe(1);
    const root = state.root();
    counter.reset();
    state.set(bytes(1), one);
    expect(state.root()).toEqual(root);
    expect(counter.count).toBe(1); // the key's path only
  });

  it('copies keys in and values out: key buffers may be reused, returned values are copies', () => {
    const state = new AuthenticatedState();
    const key = bytes(1, 2);
    state.set(key, bytes(3, 4));
    const root = toHex(state.root());
    key[0] = 9;
    state.get(bytes(1, 2))![0] = 9;
    for (const [k, v] of state.entries()) {
      k[0] = 9;
      v[0] = 9;
    }
    expect(toHex(state.root())).toBe(root);
    expect(state.get(bytes(1, 2))).toEqual(bytes(3, 4));
    expect([...state.entries()]).toEqual([[bytes(1, 2), bytes(3, 4)]]);
  });

  it('entries() yields every pair once, in path order, as of the call', () => {
    const state = new AuthenticatedState();
    for (let i = 0; i < 200; i++) state.set(accountKey(i), recordValue(i));
    const iterator = state.entries();
    state.set(accountKey(1000), recordValue(1000)); // after the call: not seen
    state.delete(accountKey(0));
    const seen = [...iterator];
    expect(seen.length).toBe(200);
    const paths = seen.map(([k]) => toHex(sha256(k)));
    expect(paths).toEqual([...paths].sort());
    expect(seen.map(([k]) => new DataView(k.buffer).getUint32(1, true)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect([...state].length).toBe(200);
  });
});

describe('AuthenticatedState pinned roots and proofs', () => {
  // Recorded before the batch-merge rewrite of applyChanges: roots and proof bytes are
  // consensus, any change to them must be deliberate.
  const build = () => {
    const state = new AuthenticatedState();
    for (let i = 0; i < 5_000; i++) state.set(accountKey(i), recordValue(i));
    return state;
  };
  const batch = (): StateChange[] => {
    const changes: StateChange[] = [];
    for (let i = 0; i < 6_000; i += 3) changes.push([accountKey(i), i % 2 === 0 ? recordValue(i, 1) : null]);
    return changes;
  };
  const proofsDigest = (state: AuthenticatedState) => {
    const proofs = [0, 1, 2, 3, 4_999, 5_001, 9_999].map((i) => encodeStateProof(state.prove(accountKey(i))));
    return toHex(sha256(concat(...proofs)));
  };

  it('5,000 keys, then 2,000 changes (overwrites, deletes, inserts, deletes of absent keys)', () => {
    const state = build();
    expect(toHex(state.root())).toBe('2652aba18e79e719703154c37a735366f68117739c56b79922d4b27cf25bec81');
    expect(proofsDigest(state)).toBe('4bb83221b7a5500296b4f3d8bbbb3efa53fbe67da9a91610c3f7a2d0782d75c8');
    state.applyChanges(batch());
    expect(toHex(state.root())).toBe('1d9f9bfac611c7d5f7853fbd45cee4acbc131399af3d24c64d07c83d71226347');
    expect(state.size).toBe(4_333);
    expect(proofsDigest(state)).toBe('98b36899917d401d53b4049316877ff53b41b063fcfc6d8e3dc2d5d084fdb604');
  });
});

describe('AuthenticatedState proofs', () => {
  const model = new Map<string, Uint8Array>();
  const state = new AuthenticatedState();
  for (let i = 0; i < 64; i++) {
    state.set(accountKey(i), recordValue(i));
    model.set(toHex(accountKey(i)), recordValue(i));
  }
  const root = state.root();
  const absent = Array.from({ length: 64 }, (_, i) => accountKey(10_000 + i));

  it('inclusion proofs verify; with a wrong value or as absence they do not', () => {
    for (let i = 0; i < 64; i++) {
      const proof = state.prove(accountKey(i));
      expect(proof.terminal.kind).toBe('included');
      expect(verifyStateProof(root, accountKey(i), recordValue(i), proof)).toBe(true);
      expect(verifyStateProof(root, accountKey(i), recordValue(i, 1), proof)).toBe(false);
      expect(verifyStateProof(root, accountKey(i), null, proof)).toBe(false);
      const decoded = decodeStateProof(encodeStateProof(proof));
      expect(decoded).toEqual(proof);
      expect(verifyStateProof(root, accountKey(i), recordValue(i), decoded)).toBe(true);
    }
  });

  it('non-inclusion proofs verify for absent keys (empty and other-leaf terminals)', () => {
    const kinds = new Set<string>();
    for (const key of absent) {
      const proof = state.prove(key);
      kinds.add(proof.terminal.kind);
      expect(verifyStateProof(root, key, null, proof)).toBe(true);
      expect(verifyStateProof(root, key, bytes(), proof)).toBe(false);
      expect(verifyStateProof(root, key, null, decodeStateProof(encodeStateProof(proof)))).toBe(true);
    }
    expect(kinds).toEqual(new Set(['empty', 'otherLeaf']));
    const empty = new AuthenticatedState();
    expect(verifyStateProof(empty.root(), bytes(1), null, empty.prove(bytes(1)))).toBe(true);
    const single = new AuthenticatedState();
    single.set(bytes(1), bytes(2));
    expect(single.prove(bytes(1)).siblings.length).toBe(0);
    expect(verifyStateProof(single.root(), bytes(1), bytes(2), single.prove(bytes(1)))).toBe(true);
    expect(verifyStateProof(single.root(), bytes(3), null, single.prove(bytes(3)))).toBe(true);
  });

  it('a proof for one key never proves a false statement about another', () => {
    const keys = [...[...model.keys()].map(fromHexKey).slice(0, 24), ...absent.slice(0, 24)];
    for (const a of keys) {
      const proof = state.prove(a);
      for (const b of keys) {
        if (toHex(a) === toHex(b)) continue;
        const bValue = model.get(toHex(b));
        const aValue = model.get(toHex(a));
        if (aValue) expect(verifyStateProof(root, b, aValue, proof)).toBe(false);
        if (bValue) {
          expect(verifyStateProof(root, b, bValue, proof)).toBe(false);
          // a present key can never be shown absent, by any other key's proof
          expect(verifyStateProof(root, b, null, proof)).toBe(false);
        }
      }
    }
  });

  it('no non-inclusion proof can be forged for a present key', () => {
    const present = [...model.keys()].map(fromHexKey);
    const absentProofs = absent.map((k) => state.prove(k));
    for (const key of present) {
      const honest = state.prove(key);
      const attempts: StateProof[] = [
        ...absentProofs,
        { siblings: honest.siblings, terminal: { kind: 'empty' } },
        { siblings: honest.siblings.slice(1), terminal: { kind: 'empty' } },
        // the key's own leaf presented as "another key's leaf"
        {
          siblings: honest.siblings,
          terminal: { kind: 'otherLeaf', keyPath: sha256(key), valueHash: sha256(model.get(toHex(key))!) },
        },
      ];
      // its neighbour's leaf one level down, where the key "would" be
      const neighbour = present.find(
        (k) => k !== key && state.prove(k).siblings.length === honest.siblings.length,
      );
      if (neighbour) {
        attempts.push({
          siblings: honest.siblings,
          terminal: {
            kind: 'otherLeaf',
            keyPath: sha256(neighbour),
            valueHash: sha256(model.get(toHex(neighbour))!),
          },
        });
      }
      for (const attempt of attempts) expect(verifyStateProof(root, key, null, attempt)).toBe(false);
    }
  });

  it('flipping any byte of the proof, the value, the key or the root breaks verification', () => {
    const small = new AuthenticatedState();
    for (let i = 0; i < 6; i++) small.set(accountKey(i), recordValue(i).subarray(0, 12));
    const smallRoot = small.root();
    const cases: [Uint8Array, Uint8Array | null][] = [
      [accountKey(2), recordValue(2).subarray(0, 12)],
      [accountKey(5), recordValue(5).subarray(0, 12)],
      ...[20, 21, 22, 23, 24, 25, 26, 27].map((i): [Uint8Array, null] => [accountKey(i), null]),
    ];
    const terminals = new Set<string>();
    for (const [key, value] of cases) {
      const proof = small.prove(key);
      terminals.add(proof.terminal.kind);
      expect(verifyStateProof(smallRoot, key, value, proof)).toBe(true);
      const encoded = encodeStateProof(proof);
      for (let at = 0; at < encoded.length; at++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const tampered = encoded.slice();
          tampered[at]! ^= mask;
          let decoded: StateProof;
          try {
            decoded = decodeStateProof(tampered);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
            continue;
          }
          expect(verifyStateProof(smallRoot, key, value, decoded), `byte ${at} ^ ${mask}`).toBe(false);
        }
      }
      for (let at = 0; at < key.length; at++) {
        const k = key.slice();
        k[at]! ^= 1;
        if (value !== null) {
          expect(verifyStateProof(smallRoot, k, value, proof)).toBe(false);
        } else if (verifyStateProof(smallRoot, k, null, proof)) {
          // A non-inclusion proof also covers every other absent key whose path leads to the
          // same terminal: that is a true statement, and then it is exactly that key's proof.
          expect(small.has(k)).toBe(false);
          expect(small.prove(k)).toEqual(proof);
        }
      }
      for (let at = 0; at < 32; at++) {
        const r = smallRoot.slice();
        r[at]! ^= 1;
        expect(verifyStateProof(r, key, value, proof)).toBe(false);
      }
      if (value !== null) {
        for (let at = 0; at < value.length; at++) {
          const v = value.slice();
          v[at]! ^= 1;
          expect(verifyStateProof(smallRoot, key, v, proof)).toBe(false);
        }
        expect(verifyStateProof(smallRoot, key, value.subarray(1), proof)).toBe(false);
      }
      expect(verifyStateProof(smallRoot, key, value, decodeStateProof(encoded))).toBe(true);
    }
    expect(terminals).toEqual(new Set(['included', 'empty', 'otherLeaf']));
  });

  it('rejects malformed proofs (never throws) and non-canonical encodings', () => {
    const key = accountKey(3);
    const proof = state.prove(key);
    const value = recordValue(3);
    const bad: StateProof[] = [
      { siblings: [...proof.siblings, ZERO], terminal: proof.terminal },
      { siblings: proof.siblings.slice(1), terminal: proof.terminal },
      { siblings: [ZERO, ...proof.siblings], terminal: proof.terminal },
      { siblings: proof.siblings.map((s, i) => (i === 0 ? s.subarray(1) : s)), terminal: proof.terminal },
      { siblings: new Array(257).fill(ZERO), terminal: { kind: 'empty' } },
      { siblings: proof.siblings, terminal: { kind: 'bogus' } as unknown as StateProof['terminal'] },
    ];
    for (const p of bad) expect(verifyStateProof(root, key, value, p)).toBe(false);
    expect(verifyStateProof(root.subarray(1), key, value, proof)).toBe(false);

    const encoded = encodeStateProof(proof);
    const expectCodecError = (b: Uint8Array) => expect(() => decodeStateProof(b)).toThrow(CodecError);
    expectCodecError(concat(encoded, bytes(0)));
    expectCodecError(encoded.subarray(0, encoded.length - 1));
    expectCodecError(concat(bytes(3), encoded.subarray(1)));
    // depth 3 with a padding bit set in the bitmap
    expectCodecError(bytes(1, 3, 0, 0b1000_0000));
    // a "non-empty" sibling of 32 zero bytes
    expectCodecError(concat(bytes(1, 1, 0, 1), ZERO));
    expectCodecError(bytes(1, 1, 1));
  });

  it('encoded size: empty siblings cost no bytes', () => {
    const proof = state.prove(accountKey(7));
    const nonEmpty = proof.siblings.filter((s) => s.some((b) => b !== 0)).length;
    expect(encodeStateProof(proof).length).toBe(3 + Math.ceil(proof.siblings.length / 8) + 32 * nonEmpty);
  });
});

describe('AuthenticatedState costs', () => {
  const n = 10_000;
  const log2n = Math.log2(n);
  const counter = countingHasher();
  const state = new AuthenticatedState({ hasher: counter });
  for (let i = 0; i < n; i++) state.set(accountKey(i), recordValue(i));
  state.root();

  it('root() twice rehashes nothing', () => {
    counter.reset();
    state.root();
    expect(counter.count).toBe(0);
  });

  it('1 change: its path (3 hashes: key path, value, leaf, plus one per level), ≤ 2·log2(n) + 4', () => {
    for (const i of [0, 17, 4242]) {
      const depth = state.prove(accountKey(i)).siblings.length;
      counter.reset();
      state.set(accountKey(i), recordValue(i, 1));
      state.root();
      expect(counter.count).toBe(3 + depth);
      expect(counter.count).toBeLessThanOrEqual(2 * log2n + 4);
    }
  });

  it('100 changes: shared upper levels are hashed once per batch', () => {
    const keys = Array.from({ length: 100 }, (_, j) => accountKey(j * 97 + 5));
    const depths = keys.map((k) => state.prove(k).siblings.length);
    // the distinct internal nodes on the union of the paths, from prefixes of the key paths
    const prefixes = new Set<string>();
    keys.forEach((k, j) => {
      const path = sha256(k);
      for (let d = 0; d < depths[j]!; d++) {
        let prefix = '';
        for (let b = 0; b < d; b++) prefix += bit(path, b);
        prefixes.add(prefix);
      }
    });
    counter.reset();
    state.applyChanges(keys.map((k, j): StateChange => [k, recordValue(j, 2)]));
    state.root();
    expect(counter.count).toBe(3 * 100 + prefixes.size);
    const unshared = depths.reduce((sum, d) => sum + 3 + d, 0);
    expect(counter.count).toBeLessThan(0.8 * unshared);
    expect(counter.count).toBeLessThan(100 * log2n);
  });

  it('inserting and deleting keys also costs one path', () => {
    counter.reset();
    state.set(accountKey(n + 1), recordValue(n + 1));
    state.root();
    const insertCost = counter.count;
    const depth = state.prove(accountKey(n + 1)).siblings.length;
    // key path, value, leaf, and every branch above the new leaf (some created by the split)
    expect(insertCost).toBe(3 + depth);
    counter.reset();
    state.delete(accountKey(n + 1));
    state.root();
    // key path, then the branches left above the old position (the split ones collapse away)
    expect(counter.count).toBeLessThanOrEqual(1 + depth);
    expect(state.size).toBe(n);
  });
});

describe('AuthenticatedState clone and snapshot', () => {
  it('clones are isolated both ways (random histories)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.array(opArb, { maxLength: 60 }),
        fc.array(opArb, { maxLength: 60 }),
        (before, onOriginal, onClone) => {
          const original = new AuthenticatedState();
          const originalModel = new Map<string, Uint8Array>();
          applyOps(original, originalModel, before);
          const copy = original.clone();
          const copyModel = new Map(originalModel);
          applyOps(original, originalModel, onOriginal);
          applyOps(copy, copyModel, onClone);
          expect(toHex(original.root())).toBe(toHex(referenceRoot(originalModel)));
          expect(toHex(copy.root())).toBe(toHex(referenceRoot(copyModel)));
          expect(copy.size).toBe(copyModel.size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('restore discards a failed block, any number of times', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.array(opArb, { maxLength: 60 }),
        fc.array(opArb, { maxLength: 60 }),
        (before, failed, after) => {
          const state = new AuthenticatedState();
          const model = new Map<string, Uint8Array>();
          applyOps(state, model, before);
          const snapshot = state.snapshot();
          const snapshotModel = new Map(model);
          applyOps(state, model, failed);
          state.restore(snapshot);
          expect(toHex(state.root())).toBe(toHex(referenceRoot(snapshotModel)));
          expect(state.size).toBe(snapshotModel.size);
          const again = new Map(snapshotModel);
          applyOps(state, again, after);
          expect(toHex(state.root())).toBe(toHex(referenceRoot(again)));
          state.restore(snapshot);
          expect(toHex(state.root())).toBe(toHex(referenceRoot(snapshotModel)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
