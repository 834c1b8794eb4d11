import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../codec/hash.ts';
import { bytesToWords, fastHasher, platformHasher, wordsToBytes } from './hasher.ts';
import { sha256Js, sha256Pair, sha256PairWords, sha256Words } from './sha256-js.ts';

const hex = toHex;

describe('JavaScript sha256 against the platform sha256', () => {
  it('known answers', () => {
    expect(hex(sha256Js(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(sha256Js(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('every length from 0 to 300 bytes (all padding cases)', () => {
    for (let length = 0; length <= 300; length++) {
      const data = new Uint8Array(length).map((_, i) => (i * 131 + length * 7) & 0xff);
      expect(hex(sha256Js(data)), `length ${length}`).toBe(hex(sha256(data)));
    }
  });

  it('random inputs, including views into larger buffers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(16), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        const expected = hex(sha256(view));
        expect(hex(sha256Js(view))).toBe(expected);
        const words = new Int32Array(10);
        sha256Words(view, words, 2);
        expect(hex(wordsToBytes(words, 2))).toBe(expected);
        for (const hasher of [fastHasher, platformHasher()]) {
          hasher.digestWords(view, words, 1);
          expect(hex(wordsToBytes(words, 1))).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sha256Pair(prefix, l, r) = sha256(prefix ‖ l ‖ r), also when out aliases an input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (prefix, left, right) => {
          const expected = hex(sha256(new Uint8Array([prefix, ...left, ...right])));
          const out = new Uint8Array(32);
          sha256Pair(prefix, left, right, out);
          expect(hex(out)).toBe(expected);
          const l = left.slice();
          sha256Pair(prefix, l, right, l);
          expect(hex(l)).toBe(expected);
          const r = right.slice();
          sha256Pair(prefix, left, r, r);
          expect(hex(r)).toBe(expected);
          // word interface: 16 input words (left, right), 8 output words
          const input = new Int32Array(16);
          bytesToWords(left, input, 0);
          bytesToWords(right, input, 8);
          const words = new Int32Array(8);
          sha256PairWords(prefix, input, words);
          expect(hex(wordsToBytes(words))).toBe(expected);
          for (const hasher of [fastHasher, platformHasher()]) {
            words.fill(0);
            hasher.pairWords(prefix, input, words);
            expect(hex(wordsToBytes(words))).toBe(expected);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('every value of the last byte (the precomputed second-block schedules)', () => {
    const left = new Uint8Array(32).fill(0xa5);
    const right = new Uint8Array(32).fill(0x3c);
    const out = new Uint8Array(32);
    const input = new Int32Array(16);
    const words = new Int32Array(8);
    for (let last = 0; last < 256; last++) {
      right[31] = last;
      const expected = hex(sha256(new Uint8Array([1, ...left, ...right])));
      sha256Pair(1, left, right, out);
      expect(hex(out)).toBe(expected);
      bytesToWords(left, input, 0);
      bytesToWords(right, input, 8);
      sha256PairWords(1, input, words);
      expect(hex(wordsToBytes(words))).toBe(expected);
    }
  });
});
