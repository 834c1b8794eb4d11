/**
 * SHA-256 of many 65-byte node messages at once, four at a time in the lanes of WebAssembly
 * SIMD registers (i32x4): the state trees hash nothing else in bulk (leaf = H(0x00 ‖ path ‖
 * H(value)), node = H(0x01 ‖ left ‖ right)), and the nodes of one tree level are independent.
 *
 * Why: the JavaScript SHA-256 (sha256-js.ts) runs one compression in ~0.2 µs, about as fast as
 * scalar code gets; hashing was ~80 % of a block's state-root time. Four lanes per instruction
 * hash a node in about half the time, marshalling included (bench/state-root.ts, "hash
 * function" rows).
 *
 * The module is a few hundred bytes of generator below, not a binary blob: `compressRounds`
 * spells out the 64 rounds of FIPS 180-4 §6.2.2 over v128 locals (one SHA-256 per lane), and
 * `hashGroups` runs both blocks of each group of four messages in place. Without WebAssembly
 * SIMD (old browsers) `sha256PairsWasm` is null and callers hash one message at a time.
 * Checked against the JavaScript and platform SHA-256 in sha256-simd.test.ts.
 */

import { IV, K } from './sha256-js.ts';

// ------------------------------------------------------------------ a tiny WebAssembly emitter

type Code = number[];

function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

// Opcodes (WebAssembly core spec §5.4; SIMD ones are 0xfd + a LEB128 number).
const simd = (op: number): Code => [0xfd, ...uleb(op)];
const get = (local: number): Code => [0x20, ...uleb(local)];
const set = (local: number): Code => [0x21, ...uleb(local)];
const i32 = (n: number): Code => [0x41, ...sleb(n | 0)];
const I32_ADD = [0x6a];
const I32_SUB = [0x6b];
const I32_EQZ = [0x45];
const V_ADD = simd(174); // i32x4.add
const V_XOR = simd(81);
const V_OR = simd(80);
const V_SHL = simd(171); // i32x4.shl
const V_SHR = simd(173); // i32x4.shr_u
const V_SELECT = simd(82); // v128.bitselect(a, b, mask) = (a & mask) | (b & ~mask)
const splat = (n: number): Code => [...i32(n), ...simd(17)]; // i32x4.splat
/** v128.load / v128.store at address `local` + `offset` (16-byte aligned). */
const load = (local: number, offset: number): Code => [...get(local), ...simd(0), 4, ...uleb(offset)];
const store = (local: number, offset: number, value: Code): Code => [
  ...get(local),
  ...value,
  ...simd(11),
  4,
  ...uleb(offset),
];

const rotr = (x: number, n: number): Code => [
  ...get(x),
  ...i32(n),
  ...V_SHR,
  ...get(x),
  ...i32(32 - n),
  ...V_SHL,
  ...V_OR,
];
const shr = (x: number, n: number): Code => [...get(x), ...i32(n), ...V_SHR];

// Locals of `hashGroups`: 0 = groups left (param), 1 = address of the current group, then v128s.
const P = 1;
const A = 2; // working variables a..h: A..A+7
const S = 10; // chaining state: S..S+7
const W = 18; // message schedule window w[t mod 16]: W..W+15
const T1 = 34;
const T2 = 35;
const V128_LOCALS = 34;

/**
 * One compression: the working variables start from the chaining state, the 16 message words
 * are already in W..W+15, and the result is added back into the chaining state.
 */
function compressRounds(): Code {
  const c: Code = [];
  for (let i = 0; i < 8; i++) c.push(...get(S + i), ...set(A + i));
  for (let t = 0; t < 64; t++) {
    // Rename instead of moving: round t's (a..h) are the locals rotated by t.
    const v = (i: number) => A + ((i - t + 64) % 8);
    const [a, b, cc, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(v) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const w = W + (t % 16);
    if (t >= 16) {
      // w[t] = σ1(w[t-2]) + w[t-7] + σ0(w[t-15]) + w[t-16]
      const w15 = W + ((t - 15) % 16);
      const w7 = W + ((t - 7) % 16);
      const w2 = W + ((t - 2) % 16);
      c.push(...get(w), ...rotr(w15, 7), ...rotr(w15, 18), ...V_XOR, ...shr(w15, 3), ...V_XOR, ...V_ADD);
      c.push(...get(w7), ...V_ADD);
      c.push(...rotr(w2, 17), ...rotr(w2, 19), ...V_XOR, ...shr(w2, 10), ...V_XOR, ...V_ADD, ...set(w));
    }
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t]; Ch = bitselect(f, g, e)
    c.push(...get(h), ...rotr(e, 6), ...rotr(e, 11), ...V_XOR, ...rotr(e, 25), ...V_XOR, ...V_ADD);
    c.push(...get(f), ...get(g), ...get(e), ...V_SELECT, ...V_ADD, ...splat(K[t]!), ...V_ADD);
    c.push(...get(w), ...V_ADD, ...set(T1));
    // T2 = Σ0(a) + Maj(a, b, c); Maj = bitselect(a, b, b ^ c)
    c.push(...rotr(a, 2), ...rotr(a, 13), ...V_XOR, ...rotr(a, 22), ...V_XOR);
    c.push(...get(a), ...get(b), ...get(b), ...get(cc), ...V_XOR, ...V_SELECT, ...V_ADD, ...set(T2));
    // d += T1; h = T1 + T2 (the next round calls them e and a)
    c.push(...get(d), ...get(T1), ...V_ADD, ...set(d));
    c.push(...get(T1), ...get(T2), ...V_ADD, ...set(h));
  }
  for (let i = 0; i < 8; i++) c.push(...get(S + i), ...get(A + i), ...V_ADD, ...set(S + i));
  return c;
}

/** Words per group of four messages in memory: 16 rows of block-1 words, 1 row of tail words. */
const GROUP_WORDS = 68;

/**
 * `hashGroups(groups)`: for each group at 0, 272, 544… bytes, row i (16 bytes) holding word i
 * of the four lanes: block 1 = rows 0..15; block 2 = row 16 as its first word, zeros, and the
 * bit length 520 as its last. The four digests replace rows 0..7.
 */
function hashGroupsBody(): Code {
  const round = compressRounds();
  const c: Code = [...i32(0), ...set(P)];
  c.push(0x02, 0x40, 0x03, 0x40); // block { loop {
  c.push(...get(0), ...I32_EQZ, 0x0d, 1); // br_if out when no group is left
  for (let i = 0; i < 8; i++) c.push(...splat(IV[i]!), ...set(S + i));
  for (let i = 0; i < 16; i++) c.push(...load(P, 16 * i), ...set(W + i));
  c.push(...round);
  c.push(...load(P, 16 * 16), ...set(W));
  for (let i = 1; i < 15; i++) c.push(...splat(0), ...set(W + i));
  c.push(...splat(65 * 8), ...set(W + 15));
  c.push(...round);
  for (let i = 0; i < 8; i++) c.push(...store(P, 16 * i, get(S + i)));
  c.push(...get(P), ...i32(4 * GROUP_WORDS), ...I32_ADD, ...set(P));
  c.push(...get(0), ...i32(1), ...I32_SUB, ...set(0));
  c.push(0x0c, 0, 0x0b, 0x0b); // br loop } }
  return c;
}

/** Messages per call of the module (memory holds this many; bigger batches go in chunks). */
const CHUNK = 1024;
const PAGES = Math.ceil(((CHUNK / 4) * GROUP_WORDS * 4) / 65536);

function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): Code {
  return [...uleb(text.length), ...[...text].map((ch) => ch.charCodeAt(0))];
}

function moduleBytes(): Uint8Array {
  const body = [...uleb(2), 1, 0x7f, ...uleb(V128_LOCALS), 0x7b, ...hashGroupsBody(), 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, [1, 0x60, 1, 0x7f, 0]), // type 0: (i32) -> ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, PAGES]), // one memory, PAGES pages
    ...section(7, [2, ...name('hashGroups'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

// ------------------------------------------------------------------ the JavaScript side

/**
 * Hashes `count` node messages: message k is `prefix ‖ m_k` where the 64 bytes m_k are the
 * big-endian words inputs[16k..16k+16); its digest goes to outputs[8k..8k+8). Null where
 * WebAssembly SIMD is not available.
 */
export type PairsHasher = (prefix: number, inputs: Int32Array, outputs: Int32Array, count: number) => void;

/** The part of the WebAssembly JavaScript API used here (the SDK's TypeScript lib has no DOM). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

function instantiate(): PairsHasher | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const bytes = moduleBytes();
  if (wasm === undefined || !wasm.validate(bytes)) return null; // no SIMD: hash one at a time
  const instance = new wasm.Instance(new wasm.Module(bytes));
  const hashGroups = instance.exports.hashGroups as (groups: number) => void;
  const memory = new Int32Array((instance.exports.memory as { buffer: ArrayBuffer }).buffer);
  return (prefix, inputs, outputs, count) => {
    for (let first = 0; first < count; first += CHUNK) {
      const n = Math.min(CHUNK, count - first);
      // Lay the messages out lane by lane; the 1-byte prefix shifts every word by 8 bits.
      for (let k = 0; k < n; k++) {
        const from = 16 * (first + k);
        const to = GROUP_WORDS * (k >>> 2) + (k & 3);
        memory[to] = (prefix << 24) | (inputs[from]! >>> 8);
        for (let i = 1; i < 16; i++)
          memory[to + 4 * i] = (inputs[from + i - 1]! << 24) | (inputs[from + i]! >>> 8);
        memory[to + 64] = (inputs[from + 15]! << 24) | 0x0080_0000; // last byte, then the 0x80 pad
      }
      hashGroups((n + 3) >>> 2);
      for (let k = 0; k < n; k++) {
        const from = GROUP_WORDS * (k >>> 2) + (k & 3);
        const to = 8 * (first + k);
        for (let i = 0; i < 8; i++) outputs[to + i] = memory[from + 4 * i]!;
      }
    }
  };
}

export const sha256PairsWasm: PairsHasher | null = instantiate();
