/**
 * SHA-256 in plain JavaScript, specialised for the tiny inputs of the state trees.
 *
 * Why not `sha256` from codec/hash.ts: under Node that is node:crypto, whose compression runs
 * on SHA-NI in ~100 ns but whose per-call overhead (binding, EVP context, result Buffer) is
 * ~0.8–1.6 µs here; a Merkle update is nothing but 65-byte hashes, so the overhead is the
 * cost. This file does the same work without crossing into C++ and without allocating:
 * `sha256Pair` hashes `prefix ‖ left32 ‖ right32` into a caller's buffer in ~0.43 µs (measured
 * by bench/state-root.ts, "hash function" rows), 2–3× the native call, in Node and browsers
 * alike. Tests check it against the platform sha256 on random inputs of every length class.
 *
 * Not reentrant (module-level scratch), which is fine: JavaScript runs one call at a time.
 */

/** FIPS 180-4 round constants, as signed 32-bit words (shared with sha256-simd.ts). */
export const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Chaining state (8 words) and message schedule (64 words, K already added) of the current hash. */
const state = new Int32Array(8);
const schedule = new Int32Array(64);
/** Padding scratch for `sha256Js`: at most two final blocks. */
const tail = new Uint8Array(128);

/** FIPS 180-4 initial hash value, as signed 32-bit words (shared with sha256-simd.ts). */
export const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

function resetState(): void {
  state.set(IV);
}

/** Expands w[0..16) to the full schedule and adds the round constants (so a round reads one word). */
function expand(w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15]!;
    const w2 = w[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  for (let t = 0; t < 64; t++) w[t] = (w[t]! + K[t]!) | 0;
}

/**
 * The 64 rounds over a schedule `kw[at..at+64)` (K added), unrolled by 8 so the working
 * variables rotate by renaming instead of by moves.
 */
function rounds(kw: Int32Array, at: number): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  let t1 = 0;
  for (let t = at; t < at + 64; t += 8) {
    t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        (g ^ (e & (f ^ g))) +
        kw[t]!) |
      0;
    d = (d + t1) | 0;
    h =
      (t1 +
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
          ((a & b) | (c & (a | b))))) |
      0;
    t1 =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        (f ^ (d & (e ^ f))) +
        kw[t + 1]!) |
      0;
    c = (c + t1) | 0;
    g =
      (t1 +
        ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
          ((h & a) | (b & (h | a))))) |
      0;
    t1 =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        (e ^ (c & (d ^ e))) +
        kw[t + 2]!) |
      0;
    b = (b + t1) | 0;
    f =
      (t1 +
        ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
          ((g & h) | (a & (g | h))))) |
      0;
    t1 =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        (d ^ (b & (c ^ d))) +
        kw[t + 3]!) |
      0;
    a = (a + t1) | 0;
    e =
      (t1 +
        ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
          ((f & g) | (h & (f | g))))) |
      0;
    t1 =
      (d +
        (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        (c ^ (a & (b ^ c))) +
        kw[t + 4]!) |
      0;
    h = (h + t1) | 0;
    d =
      (t1 +
        ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
          ((e & f) | (g & (e | f))))) |
      0;
    t1 =
      (c +
        (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        (b ^ (h & (a ^ b))) +
        kw[t + 5]!) |
      0;
    g = (g + t1) | 0;
    c =
      (t1 +
        ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
          ((d & e) | (f & (d | e))))) |
      0;
    t1 =
      (b +
        (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        (a ^ (g & (h ^ a))) +
        kw[t + 6]!) |
      0;
    f = (f + t1) | 0;
    b =
      (t1 +
        ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
          ((c & d) | (e & (c | d))))) |
      0;
    t1 =
      (a +
        (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        (h ^ (f & (g ^ h))) +
        kw[t + 7]!) |
      0;
    e = (e + t1) | 0;
    a =
      (t1 +
        ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
          ((b & c) | (d & (b | c))))) |
      0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

function loadBlock(data: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const o = at + 4 * i;
    schedule[i] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
  }
}

function storeDigest(out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    const o = at + 4 * i;
    out[o] = v >>> 24;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 8;
    out[o + 3] = v;
  }
}

/**
 * The second block of a 65-byte message is `m[64] ‖ 0x80 ‖ 0…0 ‖ u64be(520)`: it depends on
 * one byte only, so its 256 possible schedules (with K added) are computed once (64 KiB).
 */
const PAIR_TAIL_SCHEDULES = (() => {
  const table = new Int32Array(256 * 64);
  const w = new Int32Array(64);
  for (let last = 0; last < 256; last++) {
    w.fill(0);
    w[0] = (last << 24) | 0x0080_0000;
    w[15] = 65 * 8;
    expand(w);
    table.set(w, last * 64);
  }
  return table;
})();

/**
 * Writes sha256(prefix ‖ left[0..32) ‖ right[0..32)) into out[at..at+32). `prefix` is one
 * byte; `left`/`right` must hold at least 32 bytes (not checked: internal hot path).
 */
export function sha256Pair(
  prefix: number,
  left: Uint8Array,
  right: Uint8Array,
  out: Uint8Array,
  at = 0,
): void {
  resetState();
  const w = schedule;
  // The 1-byte prefix shifts everything by one byte: word i takes the last byte of the
  // previous word's bytes and the first three of its own.
  w[0] = (prefix << 24) | (left[0]! << 16) | (left[1]! << 8) | left[2]!;
  for (let i = 1; i < 8; i++) {
    const o = 4 * i - 1;
    w[i] = (left[o]! << 24) | (left[o + 1]! << 16) | (left[o + 2]! << 8) | left[o + 3]!;
  }
  w[8] = (left[31]! << 24) | (right[0]! << 16) | (right[1]! << 8) | right[2]!;
  for (let i = 9; i < 16; i++) {
    const o = 4 * (i - 8) - 1;
    w[i] = (right[o]! << 24) | (right[o + 1]! << 16) | (right[o + 2]! << 8) | right[o + 3]!;
  }
  expand(w);
  rounds(w, 0);
  rounds(PAIR_TAIL_SCHEDULES, right[31]! * 64);
  storeDigest(out, at);
}

/**
 * Writes sha256(prefix ‖ m) into out[0..8) as big-endian words, where the 64-byte message `m`
 * is given as 16 big-endian words `input[0..16)` (left hash then right hash). The trees keep
 * hashes as words, so a node hash neither reads nor writes a byte.
 */
export function sha256PairWords(prefix: number, input: Int32Array, out: Int32Array): void {
  resetState();
  const w = schedule;
  // Every message word straddles two input words because of the 1-byte prefix.
  w[0] = (prefix << 24) | (input[0]! >>> 8);
  for (let i = 1; i < 16; i++) w[i] = (input[i - 1]! << 24) | (input[i]! >>> 8);
  expand(w);
  rounds(w, 0);
  rounds(PAIR_TAIL_SCHEDULES, (input[15]! & 0xff) * 64);
  for (let i = 0; i < 8; i++) out[i] = state[i]!;
}

/** Hashes `data` into `state`. */
function digestInto(data: Uint8Array): void {
  resetState();
  const length = data.length;
  const full = length - (length % 64);
  for (let at = 0; at < full; at += 64) {
    loadBlock(data, at);
    expand(schedule);
    rounds(schedule, 0);
  }
  // Padding: 0x80, zeros, then the bit length as u64 big-endian, in one or two blocks.
  const rest = length - full;
  const end = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) tail[i] = data[full + i]!;
  tail[rest] = 0x80;
  for (let i = rest + 1; i < end - 8; i++) tail[i] = 0;
  const bitsHigh = Math.floor(length / 0x2000_0000);
  const bitsLow = (length << 3) >>> 0;
  tail[end - 8] = bitsHigh >>> 24;
  tail[end - 7] = bitsHigh >>> 16;
  tail[end - 6] = bitsHigh >>> 8;
  tail[end - 5] = bitsHigh;
  tail[end - 4] = bitsLow >>> 24;
  tail[end - 3] = bitsLow >>> 16;
  tail[end - 2] = bitsLow >>> 8;
  tail[end - 1] = bitsLow;
  for (let at = 0; at < end; at += 64) {
    loadBlock(tail, at);
    expand(schedule);
    rounds(schedule, 0);
  }
}

/** sha256 of any input (meant for short ones: keys, records, withdrawal leaves). */
export function sha256Js(data: Uint8Array): Uint8Array {
  digestInto(data);
  const out = new Uint8Array(32);
  storeDigest(out, 0);
  return out;
}

/** sha256(data) as 8 big-endian words written into out[at..at+8). */
export function sha256Words(data: Uint8Array, out: Int32Array, at = 0): void {
  digestInto(data);
  for (let i = 0; i < 8; i++) out[at + i] = state[i]!;
}
