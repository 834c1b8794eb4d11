/**
 * State root cost per block, proof sizes and verification, withdrawals appends.
 * Run: node_modules/.bin/tsx bench/state-root.ts   (add --quick to skip the 10^6-key tree)
 *
 * Blocks: every transaction changes 3 keys (33-byte keys, 100-byte values): 90 % overwrite a
 * random existing key, 10 % insert a new one; no key repeats within a block (the worst case:
 * real blocks repeat hot curve records, which only share more). A block's cost is
 * `applyChanges` + `root()`. "before" hashes with the platform sha256 (node:crypto, one call
 * per hash, 65-byte scratch buffer); "after" with the default hasher (sha256-js.ts for single
 * hashes, sha256-simd.ts for the tree's level batches), on the same tree (the hasher is
 * swapped, both give identical hashes). No forced GC inside the timings: a block pays for the
 * collections its allocations cause, as in a node.
 * Run with --expose-gc for a meaningful "heap B/key" (bench/run.ts does not; then it is rough).
 */
import { sha256 } from '../packages/sdk/src/codec/hash.ts';
import {
  AuthenticatedState,
  encodeStateProof,
  fastHasher,
  platformHasher,
  type StateChange,
  type StateHasher,
  verifyStateProof,
  verifyWithdrawalProof,
  type WithdrawalLeaf,
  WithdrawalsTree,
} from '../packages/sdk/src/state/index.ts';
import { seededUint32 } from './lib/random.ts';
import { type Row, report } from './lib/report.ts';

const QUICK = process.argv.includes('--quick');
const TREE_SIZES = QUICK ? [100_000] : [100_000, 1_000_000];
const BLOCK_SIZES = [1_000, 10_000];
const KEYS_PER_TX = 3;
const VALUE_BYTES = 100;

function accountKey(i: number): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = 1;
  key.set(sha256(new Uint8Array(new Uint32Array([i]).buffer)), 1);
  return key;
}
function recordValue(i: number, version: number): Uint8Array {
  const value = new Uint8Array(VALUE_BYTES);
  const view = new DataView(value.buffer);
  view.setUint32(0, i, true);
  view.setUint32(4, version, true);
  view.setBigUint64(8, BigInt(i) * 1_000_000_007n + BigInt(version), true);
  return value;
}

/** Counts hashes and lets the bench swap the implementation under a live tree. */
class SwitchableHasher implements StateHasher {
  impl: StateHasher = fastHasher;
  count = 0;
  digestWords(data: Uint8Array, out: Int32Array, at: number): void {
    this.count++;
    this.impl.digestWords(data, out, at);
  }
  pairWords(prefix: number, input: Int32Array, out: Int32Array): void {
    this.count++;
    this.impl.pairWords(prefix, input, out);
  }
  pairWordsBatch(prefix: number, inputs: Int32Array, outputs: Int32Array, count: number): void {
    this.count += count;
    this.impl.pairWordsBatch(prefix, inputs, outputs, count);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const rows: Row[] = [];
const meta: Record<string, unknown> = { keysPerTx: KEYS_PER_TX, valueBytes: VALUE_BYTES, keyBytes: 33 };

// --- 1. the hash function alone ------------------------------------------------------------------
{
  const platform = platformHasher();
  const input = new Int32Array(16).map((_, i) => i * 0x01010101);
  const out = new Int32Array(8);
  const key = accountKey(1);
  const value = recordValue(1, 0);
  const cases: [string, string, () => void][] = [
    ['node hash (65 B)', 'before', () => platform.pairWords(1, input, out)],
    ['node hash (65 B)', 'after', () => fastHasher.pairWords(1, input, out)],
    ['key path (33 B)', 'before', () => platform.digestWords(key, out, 0)],
    ['key path (33 B)', 'after', () => fastHasher.digestWords(key, out, 0)],
    ['value hash (100 B)', 'before', () => platform.digestWords(value, out, 0)],
    ['value hash (100 B)', 'after', () => fastHasher.digestWords(value, out, 0)],
  ];
  // A tree level at a time: 1,024 node messages per call (four lanes of WebAssembly SIMD).
  const batch = 1024;
  const inputs = new Int32Array(16 * batch).map((_, i) => i * 0x01010101);
  const outputs = new Int32Array(8 * batch);
  cases.push([
    'node hash (65 B), level batch',
    'after',
    () => fastHasher.pairWordsBatch(1, inputs, outputs, batch),
  ]);
  for (const [what, variant, run] of cases) {
    const samples: number[] = [];
    const perCall = what.includes('batch') ? batch : 1;
    for (let s = 0; s < 7; s++) {
      const n = 200_000 / perCall;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        input[0] = i;
        inputs[0] = i;
        run();
      }
      samples.push((performance.now() - t0) / (n * perCall));
    }
    const ms = median(samples);
    rows.push({
      section: 'hash function',
      case: what,
      variant,
      'hashes/s': Math.round(1000 / ms),
      'ns/hash': Math.round(ms * 1e6),
    });
  }
}

// --- 2. state root per block -------------------------------------------------------------------------
const proofSamples = new Map<number, { state: AuthenticatedState; n: number }>();
for (const n of TREE_SIZES) {
  gc();
  const heapBefore = process.memoryUsage();
  const hasher = new SwitchableHasher();
  const state = new AuthenticatedState({ hasher });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) state.set(accountKey(i), recordValue(i, 0));
  const t1 = performance.now();
  hasher.count = 0;
  state.root();
  const t2 = performance.now();
  gc();
  const heapAfter = process.memoryUsage();
  const heapPerKey =
    (heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers) / n;
  rows.push({
    section: 'build',
    case: `${n.toLocaleString('en-US')} keys`,
    variant: 'after',
    'insert ms': Math.round(t1 - t0),
    'first root ms': Math.round(t2 - t1),
    hashes: hasher.count,
    'heap B/key': Math.round(heapPerKey),
  });
  meta[`heapMiB_${n}`] = mib(heapAfter.heapUsed + heapAfter.arrayBuffers);

  const random = seededUint32(n);
  let nextNew = n;
  let version = 1;
  for (const txs of BLOCK_SIZES) {
    const blocks = txs >= 10_000 ? 5 : 15;
    const samples: Record<'before' | 'after', { ms: number[]; applyMs: number[]; hashes: number[] }> = {
      before: { ms: [], applyMs: [], hashes: [] },
      after: { ms: [], applyMs: [], hashes: [] },
    };
    for (let b = 0; b < 2 * blocks; b++) {
      const variant = b % 2 === 0 ? 'after' : 'before';
      const changes: StateChange[] = [];
      const used = new Set<number>();
      while (changes.length < txs * KEYS_PER_TX) {
        if (random() % 10 === 0) {
          changes.push([accountKey(nextNew), recordValue(nextNew, version)]);
          nextNew++;
        } else {
          const i = random() % n;
          if (used.has(i)) continue;
          used.add(i);
          changes.push([accountKey(i), recordValue(i, version)]);
        }
      }
      version++;
      hasher.impl = variant === 'after' ? fastHasher : platformHasher();
      hasher.count = 0;
      const start = performance.now();
      state.applyChanges(changes);
      const applied = performance.now();
      state.root();
      samples[variant].ms.push(performance.now() - start);
      samples[variant].applyMs.push(applied - start);
      samples[variant].hashes.push(hasher.count);
    }
    for (const variant of ['before', 'after'] as const) {
      const ms = median(samples[variant].ms);
      const hashes = median(samples[variant].hashes);
      rows.push({
        section: 'block root',
        case: `${n.toLocaleString('en-US')} keys, ${txs.toLocaleString('en-US')} tx`,
        variant,
        'hashes/block': hashes,
        'hashes/tx': Math.round((hashes / txs) * 10) / 10,
        'ms/block': Math.round(ms * 10) / 10,
        'of which apply ms': Math.round(median(samples[variant].applyMs) * 10) / 10,
        'tx/s (root only)': Math.round(txs / (ms / 1000)),
        'hashes/s': Math.round(hashes / (ms / 1000)),
      });
    }
  }
  hasher.impl = fastHasher;
  proofSamples.set(n, { state, n });
}

// --- 3. proofs ----------------------------------------------------------------------------------------
for (const [n, { state }] of proofSamples) {
  const root = state.root();
  for (const kind of ['inclusion', 'non-inclusion'] as const) {
    const samples = 2_000;
    const inputs: [Uint8Array, Uint8Array | null, ReturnType<AuthenticatedState['prove']>, number][] = [];
    let bytes = 0;
    let depth = 0;
    for (let s = 0; s < samples; s++) {
      const key = kind === 'inclusion' ? accountKey((s * 7919) % n) : accountKey(10_000_000 + s);
      const value = state.get(key) ?? null;
      if ((value === null) !== (kind === 'non-inclusion')) throw new Error('bench key set mismatch');
      const proof = state.prove(key);
      const encoded = encodeStateProof(proof);
      bytes += encoded.length;
      depth += proof.siblings.length;
      inputs.push([key, value, proof, encoded.length]);
    }
    for (const [key, value, proof] of inputs) {
      if (!verifyStateProof(root, key, value, proof)) throw new Error('proof failed'); // warm-up
    }
    const t0 = performance.now();
    for (const [key, value, proof] of inputs) verifyStateProof(root, key, value, proof);
    const us = ((performance.now() - t0) * 1000) / samples;
    rows.push({
      section: 'state proof',
      case: `${n.toLocaleString('en-US')} keys, ${kind}`,
      variant: 'after',
      'mean depth': Math.round((depth / samples) * 10) / 10,
      'max bytes': Math.max(...inputs.map((i) => i[3])),
      'mean bytes': Math.round(bytes / samples),
      'verify µs': Math.round(us * 10) / 10,
    });
  }
}
proofSamples.clear();

// --- 4. withdrawals -------------------------------------------------------------------------------
{
  gc();
  const appends = QUICK ? 1 << 17 : 1 << 20;
  const leaves: WithdrawalLeaf[] = [];
  for (let i = 0; i < appends; i++) {
    leaves.push({
      index: BigInt(i),
      l1Recipient: accountKey(i).subarray(1),
      lamports: BigInt(i) * 1_000n + 1n,
    });
  }
  const tree = new WithdrawalsTree();
  const t0 = performance.now();
  for (const leaf of leaves.slice(0, appends - 1000)) tree.append(leaf);
  const t1 = performance.now();
  // a root per append: the worst case (batches take one root per second)
  for (const leaf of leaves.slice(appends - 1000)) {
    tree.append(leaf);
    tree.root();
  }
  const t2 = performance.now();
  const root = tree.root();
  const samples = 5_000;
  const proofs = Array.from({ length: samples }, (_, s) => (s * 7919) % appends).map(
    (i) => [leaves[i]!, tree.prove(i)] as const,
  );
  const t3 = performance.now();
  for (const [leaf, proof] of proofs)
    if (!verifyWithdrawalProof(root, leaf, proof)) throw new Error('bad proof');
  const t4 = performance.now();
  rows.push({
    section: 'withdrawals',
    case: `depth 24, ${appends.toLocaleString('en-US')} appends`,
    variant: 'after',
    'appends/s': Math.round((appends - 1000) / ((t1 - t0) / 1000)),
    'append+root µs': Math.round((t2 - t1) * 10) / 10,
    'proof bytes': proofs[0]![1].length * 32,
    'verify µs': Math.round(((t4 - t3) * 1000 * 10) / samples) / 10,
  });
}

report({
  name: 'state-root',
  title: 'State root and withdrawals tree (3 changed keys per tx, 100-byte values)',
  columns: [
    'section',
    'case',
    'variant',
    'hashes/s',
    'ns/hash',
    'insert ms',
    'first root ms',
    'hashes',
    'heap B/key',
    'hashes/block',
    'hashes/tx',
    'ms/block',
    'of which apply ms',
    'tx/s (root only)',
    'mean depth',
    'mean bytes',
    'max bytes',
    'verify µs',
    'appends/s',
    'append+root µs',
    'proof bytes',
  ],
  rows,
  meta,
});
