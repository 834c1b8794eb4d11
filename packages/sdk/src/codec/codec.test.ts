import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiString,
  bytes,
  CodecError,
  decode,
  discriminatedUnion,
  encode,
  fixedBytes,
  literalEnum,
  option,
  struct,
  taggedUnion,
  u8,
  u16,
  u32,
  u64,
  vec,
} from './codec.ts';
import { fromBase64, fromHex, toBase64, toHex } from './hash.ts';

type Shape = { kind: 'a'; x: number } | { kind: 'b'; y: bigint; z: string | null };
interface Sample {
  n8: number;
  n16: number;
  n32: number;
  n64: bigint;
  name: string;
  list: readonly number[];
  shape: Shape;
  mode: 'on' | 'off';
}

const sample = struct<Sample>([
  ['n8', u8],
  ['n16', u16],
  ['n32', u32],
  ['n64', u64],
  ['name', asciiString(16)],
  ['list', vec(u16, 4)],
  [
    'shape',
    taggedUnion<Shape>({
      a: struct([['x', u8]]),
      b: struct([
        ['y', u64],
        ['z', option(asciiString(8))],
      ]),
    }),
  ],
  ['mode', literalEnum(['on', 'off'] as const)],
]);

const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

const sampleArbitrary: fc.Arbitrary<Sample> = fc.record({
  n8: fc.integer({ min: 0, max: 0xff }),
  n16: fc.integer({ min: 0, max: 0xffff }),
  n32: fc.integer({ min: 0, max: 0xffff_ffff }),
  n64: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  name: ascii.filter((s) => s.length <= 16),
  list: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }),
  shape: fc.oneof(
    fc.record({ kind: fc.constant('a' as const), x: fc.integer({ min: 0, max: 255 }) }),
    fc.record({
      kind: fc.constant('b' as const),
      y: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      z: fc.option(
        ascii.filter((s) => s.length <= 8),
        { nil: null },
      ),
    }),
  ),
  mode: fc.constantFrom('on' as const, 'off' as const),
});

describe('codecs', () => {
  it('round-trip any value', () => {
    fc.assert(
      fc.property(sampleArbitrary, (v) => {
        expect(decode(sample, encode(sample, v))).toEqual(v);
      }),
    );
  });

  it('are little-endian and borsh-compatible', () => {
    expect([...encode(u32, 0x01020304)]).toEqual([4, 3, 2, 1]);
    expect([...encode(u64, 1n)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect([...encode(asciiString(8), 'ab')]).toEqual([2, 0, 0, 0, 97, 98]);
    expect([...encode(option(u8), null)]).toEqual([0]);
    expect([...encode(option(u8), 5)]).toEqual([1, 5]);
  });

  it('reject any truncation, trailing byte or bad tag, never return garbage', () => {
    fc.assert(
      fc.property(sampleArbitrary, fc.nat(), (v, cut) => {
        const bytes = encode(sample, v);
        const at = cut % bytes.length;
        expect(() => decode(sample, bytes.subarray(0, at))).toThrow(CodecError);
        expect(() => decode(sample, Uint8Array.from([...bytes, 0]))).toThrow(CodecError);
      }),
    );
    expect(() => decode(option(u8), Uint8Array.from([2, 0]))).toThrow(/option tag/);
    expect(() => decode(vec(u8, 4), Uint8Array.from([5, 0, 0, 0, 1, 2, 3, 4, 5]))).toThrow(/5 items > 4/);
    expect(() => decode(literalEnum(['x'] as const), Uint8Array.from([1]))).toThrow(CodecError);
  });

  it('decode random bytes to a value or a CodecError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          decode(sample, bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
    );
  });

  it('refuse to encode values their field cannot hold', () => {
    expect(() => encode(u8, 256)).toThrow(RangeError);
    expect(() => encode(u64, -1n)).toThrow(RangeError);
    expect(() => encode(u64, 1n << 64n)).toThrow(RangeError);
    expect(() => encode(asciiString(4), 'héllo')).toThrow(RangeError);
  });

  it('hex and base64 round-trip and reject junk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
        expect(fromBase64(toBase64(b))).toEqual(b);
      }),
    );
    expect(() => fromHex('abc')).toThrow();
    expect(() => fromBase64('a$==')).toThrow();
  });
});

describe('byte strings and unions keyed by another field', () => {
  type Op = { op: 'put'; key: Uint8Array; value: Uint8Array } | { op: 'drop'; key: Uint8Array };
  const opCodec = discriminatedUnion<Op, 'op'>('op', {
    put: struct([
      ['key', fixedBytes(2)],
      ['value', bytes(600)],
    ]),
    drop: struct([['key', fixedBytes(2)]]),
  });

  it('bytes(max) is a borsh Vec<u8>, bounded before it is read', () => {
    expect([...encode(bytes(4), Uint8Array.of(7, 8))]).toEqual([2, 0, 0, 0, 7, 8]);
    expect(decode(bytes(4), Uint8Array.of(0, 0, 0, 0))).toEqual(new Uint8Array(0));
    expect(() => encode(bytes(4), new Uint8Array(5))).toThrow(RangeError);
    expect(() => decode(bytes(4), Uint8Array.of(5, 0, 0, 0, 1, 2, 3, 4, 5))).toThrow(/5 bytes > 4/);
    expect(() => decode(bytes(1000), Uint8Array.of(0xff, 0xff, 0xff, 0x0f))).toThrow(/> 1000/);
    expect(() => decode(bytes(8), Uint8Array.of(3, 0, 0, 0, 1))).toThrow(/expected 3 more bytes/);
  });

  it('discriminatedUnion tags by declaration order and round-trips, across buffer growth', () => {
    expect([...encode(opCodec, { op: 'drop', key: Uint8Array.of(1, 2) })]).toEqual([1, 1, 2]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            op: fc.constant('put' as const),
            key: fc.uint8Array({ minLength: 2, maxLength: 2 }),
            value: fc.uint8Array({ maxLength: 600 }),
          }),
          fc.record({ op: fc.constant('drop' as const), key: fc.uint8Array({ minLength: 2, maxLength: 2 }) }),
        ),
        (v) => {
          expect(decode(opCodec, encode(opCodec, v))).toEqual(v);
        },
      ),
    );
    expect(() => decode(opCodec, Uint8Array.of(2, 0, 0))).toThrow(/variant 2/);
  });

  it('a writer grows past its first buffer for every field width (regression)', () => {
    const big = vec(u64, 100);
    const values = Array.from({ length: 100 }, (_, i) => BigInt(i) << 40n);
    expect(decode(big, encode(big, values))).toEqual(values);
    for (const pad of [253, 254, 255, 256]) {
      const layout = struct<{ pad: Uint8Array; a: number; b: number; c: bigint }>([
        ['pad', fixedBytes(pad)],
        ['a', u16],
        ['b', u32],
        ['c', u64],
      ]);
      const value = { pad: new Uint8Array(pad).fill(9), a: 0x1234, b: 0x89abcdef, c: 2n ** 63n + 5n };
      expect(decode(layout, encode(layout, value))).toEqual(value);
    }
  });
});
