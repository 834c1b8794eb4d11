/**
 * The hash functions behind the state tree, behind one small interface so that tests and
 * benches can count calls or compare implementations. Every implementation computes plain
 * SHA-256 and they differ in speed only, never in output (tests hold them to that).
 *
 * The interface works on 32-bit big-endian words because the tree stores each hash as eight
 * small-integer fields of its node (see authenticated-state.ts): a hash costs no allocation
 * and reading a child's hash touches no other object.
 */
import { sha256 } from '../codec/hash.ts';
import { sha256PairWords, sha256Words } from './sha256-js.ts';
import { sha256PairsWasm } from './sha256-simd.ts';

export interface StateHasher {
  /** Writes sha256(data) into out[at..at+8) as big-endian 32-bit words. */
  digestWords(data: Uint8Array, out: Int32Array, at: number): void;
  /**
   * Writes sha256(prefix ‖ m) into out[0..8) as words, where the 64 message bytes `m` are the
   * big-endian words input[0..16) (left hash, right hash) and `prefix` is one byte.
   */
  pairWords(prefix: number, input: Int32Array, out: Int32Array): void;
  /**
   * `pairWords` for `count` independent messages: message k's words are inputs[16k..16k+16),
   * its digest goes to outputs[8k..8k+8). The tree hashes a level at a time through it.
   */
  pairWordsBatch(prefix: number, inputs: Int32Array, outputs: Int32Array, count: number): void;
}

/** `pairWordsBatch` as a loop over `pairWords`, for hashers without a faster way. */
export function pairWordsLoop(
  pairWords: StateHasher['pairWords'],
): (prefix: number, inputs: Int32Array, outputs: Int32Array, count: number) => void {
  const input = new Int32Array(16);
  const output = new Int32Array(8);
  return (prefix, inputs, outputs, count) => {
    for (let k = 0; k < count; k++) {
      input.set(inputs.subarray(16 * k, 16 * k + 16));
      pairWords(prefix, input, output);
      outputs.set(output, 8 * k);
    }
  };
}

/**
 * The default: allocation-free JavaScript SHA-256 (sha256-js.ts) for single hashes, and
 * batches four lanes at a time in WebAssembly SIMD (sha256-simd.ts) where available.
 */
export const fastHasher: StateHasher = {
  digestWords: sha256Words,
  pairWords: sha256PairWords,
  pairWordsBatch: sha256PairsWasm ?? pairWordsLoop(sha256PairWords),
};

/** Big-endian words → bytes: words[at..at+8) into a new 32-byte array. */
export function wordsToBytes(words: Int32Array, at = 0): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = words[at + i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
  return out;
}

/** 32 bytes → big-endian words into out[at..at+8). */
export function bytesToWords(bytes: Uint8Array, out: Int32Array, at = 0): void {
  for (let i = 0; i < 8; i++) {
    out[at + i] =
      (bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!;
  }
}

/**
 * The straightforward implementation over the SDK's platform `sha256` (node:crypto under
 * Node, @noble in browsers), one call per hash through a reused 65-byte scratch buffer: the
 * "before" of bench/state-root.ts and a cross-check in tests.
 */
export function platformHasher(): StateHasher {
  const scratch = new Uint8Array(65);
  const pairWords: StateHasher['pairWords'] = (prefix, input, out) => {
    scratch[0] = prefix;
    for (let i = 0; i < 16; i++) {
      const v = input[i]!;
      scratch[1 + 4 * i] = v >>> 24;
      scratch[2 + 4 * i] = v >>> 16;
      scratch[3 + 4 * i] = v >>> 8;
      scratch[4 + 4 * i] = v;
    }
    bytesToWords(sha256(scratch), out, 0);
  };
  return {
    digestWords(data, out, at) {
      bytesToWords(sha256(data), out, at);
    },
    pairWords,
    pairWordsBatch: pairWordsLoop(pairWords),
  };
}

/** A hasher that counts its sha256 invocations (both kinds), for tests and benches. */
export interface CountingHasher extends StateHasher {
  /** Number of sha256 computations since creation or the last `reset()`. */
  readonly count: number;
  reset(): void;
}

export function countingHasher(inner: StateHasher = fastHasher): CountingHasher {
  let count = 0;
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    digestWords(data, out, at) {
      count++;
      inner.digestWords(data, out, at);
    },
    pairWords(prefix, input, out) {
      count++;
      inner.pairWords(prefix, input, out);
    },
    pairWordsBatch(prefix, inputs, outputs, n) {
      count += n;
      inner.pairWordsBatch(prefix, inputs, outputs, n);
    },
  };
}
