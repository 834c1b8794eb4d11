/**
 * Composable binary codecs (fixed little-endian, borsh-compatible), in the spirit of
 * @solana/kit's codecs: a layout is declared once as a value and used for both directions,
 * so encoding and decoding can never drift apart. Decoding is strict: every malformed,
 * truncated or non-canonical input throws a `CodecError`, never returns garbage.
 */

export type CodecErrorReason =
  | 'TRUNCATED'
  | 'TRAILING_BYTES'
  | 'OUT_OF_RANGE'
  | 'NON_CANONICAL'
  | 'INVALID_STRING'
  | 'UNKNOWN_VARIANT'
  | 'TOO_LONG';

export class CodecError extends Error {
  readonly reason: CodecErrorReason;
  readonly offset: number;
  constructor(reason: CodecErrorReason, message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'CodecError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** Growable output buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buffer.length) {
      const next = new Uint8Array(Math.max(this.buffer.length * 2, at + n));
      next.set(this.buffer.subarray(0, at));
      this.buffer = next;
      this.view = new DataView(next.buffer);
    }
    this.length += n;
    return at;
  }

  // reserve() may replace buffer and view, so it runs before either is read.
  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  u64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, v, true);
  }
  bytes(v: Uint8Array): void {
    const at = this.reserve(v.length);
    this.buffer.set(v, at);
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
  /**
   * The bytes written so far (copied), and the writer starts over keeping its buffer: hot
   * paths that encode thousands of values reuse one writer instead of allocating one each.
   */
  take(): Uint8Array {
    const out = this.finish();
    this.length = 0;
    return out;
  }
  reset(): void {
    this.length = 0;
  }
}

/** Cursor over input bytes; every read is bounds-checked. */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(readonly input: Uint8Array) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }
  private take(n: number): number {
    const at = this.offset;
    if (at + n > this.input.length) {
      throw new CodecError('TRUNCATED', `expected ${n} more bytes, ${this.input.length - at} left`, at);
    }
    this.offset += n;
    return at;
  }
  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return this.input.subarray(at, at + n);
  }
  get remaining(): number {
    return this.input.length - this.offset;
  }
}

export interface Codec<T> {
  write(w: ByteWriter, value: T): void;
  read(r: ByteReader): T;
}

function checkInteger(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} out of range: ${value}`);
  }
}

export const u8: Codec<number> = {
  write: (w, v) => {
    checkInteger(v, 0xff, 'u8');
    w.u8(v);
  },
  read: (r) => r.u8(),
};

export const u16: Codec<number> = {
  write: (w, v) => {
    checkInteger(v, 0xffff, 'u16');
    w.u16(v);
  },
  read: (r) => r.u16(),
};

export const u32: Codec<number> = {
  write: (w, v) => {
    checkInteger(v, 0xffff_ffff, 'u32');
    w.u32(v);
  },
  read: (r) => r.u32(),
};

export const u64: Codec<bigint> = {
  write: (w, v) => {
    if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64 out of range: ${v}`);
    w.u64(v);
  },
  read: (r) => r.u64(),
};

/** Exactly `length` raw bytes (magics, hashes, keys). */
export function fixedBytes(length: number): Codec<Uint8Array> {
  return {
    write: (w, v) => {
      if (v.length !== length) throw new RangeError(`expected ${length} bytes, got ${v.length}`);
      w.bytes(v);
    },
    // A copy as a plain Uint8Array: Buffer#slice (Node) is a view, and a decoded value must
    // not change when the caller reuses its input buffer.
    read: (r) => new Uint8Array(r.bytes(length)),
  };
}

/** borsh Vec<u8>: u32 length then the bytes; the length is bounded before anything is read. */
export function bytes(maxLength: number): Codec<Uint8Array> {
  return {
    write: (w, v) => {
      if (v.length > maxLength) throw new RangeError(`more than ${maxLength} bytes`);
      w.u32(v.length);
      w.bytes(v);
    },
    read: (r) => {
      const at = r.offset;
      const length = r.u32();
      if (length > maxLength) throw new CodecError('TOO_LONG', `${length} bytes > ${maxLength}`, at);
      return new Uint8Array(r.bytes(length)); // a copy, as fixedBytes
    },
  };
}

/** A magic constant: written as is, and decoding fails unless the bytes match. */
export function constant(bytes: Uint8Array, what: string): Codec<void> {
  return {
    write: (w) => w.bytes(bytes),
    read: (r) => {
      const at = r.offset;
      const got = r.bytes(bytes.length);
      if (!got.every((b, i) => b === bytes[i])) throw new CodecError('NON_CANONICAL', `bad ${what}`, at);
    },
  };
}

/** borsh string: u32 length then bytes; restricted to printable ASCII (0x20–0x7E). */
export function asciiString(maxLength: number): Codec<string> {
  return {
    write: (w, v) => {
      if (v.length > maxLength) throw new RangeError(`string longer than ${maxLength}`);
      const bytes = new Uint8Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c < 0x20 || c > 0x7e) throw new RangeError('string is not printable ASCII');
        bytes[i] = c;
      }
      w.u32(bytes.length);
      w.bytes(bytes);
    },
    read: (r) => {
      const at = r.offset;
      const length = r.u32();
      if (length > maxLength) throw new CodecError('TOO_LONG', `string length ${length} > ${maxLength}`, at);
      const bytes = r.bytes(length);
      if (!bytes.every((c) => c >= 0x20 && c <= 0x7e)) {
        throw new CodecError('INVALID_STRING', 'string is not printable ASCII', at);
      }
      return String.fromCharCode(...bytes);
    },
  };
}

/** borsh Option: tag 0 (None) or 1 (Some); any other tag is non-canonical. */
export function option<T>(inner: Codec<T>): Codec<T | null> {
  return {
    write: (w, v) => {
      if (v === null) {
        w.u8(0);
      } else {
        w.u8(1);
        inner.write(w, v);
      }
    },
    read: (r) => {
      const at = r.offset;
      const tag = r.u8();
      if (tag === 0) return null;
      if (tag === 1) return inner.read(r);
      throw new CodecError('NON_CANONICAL', `option tag ${tag}`, at);
    },
  };
}

/** borsh Vec: u32 count then items; the count is bounded before anything is allocated. */
export function vec<T>(item: Codec<T>, maxCount: number): Codec<readonly T[]> {
  return {
    write: (w, v) => {
      if (v.length > maxCount) throw new RangeError(`more than ${maxCount} items`);
      w.u32(v.length);
      for (const x of v) item.write(w, x);
    },
    read: (r) => {
      const at = r.offset;
      const count = r.u32();
      if (count > maxCount) throw new CodecError('TOO_LONG', `${count} items > ${maxCount}`, at);
      const out: T[] = [];
      for (let i = 0; i < count; i++) out.push(item.read(r));
      return out;
    },
  };
}

/** A u8-tagged choice among string literals (borsh enum without payload). */
export function literalEnum<const L extends string>(values: readonly L[]): Codec<L> {
  return {
    write: (w, v) => {
      const index = values.indexOf(v);
      if (index < 0) throw new RangeError(`unknown variant ${v}`);
      w.u8(index);
    },
    read: (r) => {
      const at = r.offset;
      const index = r.u8();
      const v = values[index];
      if (v === undefined) throw new CodecError('UNKNOWN_VARIANT', `variant ${index}`, at);
      return v;
    },
  };
}

type StructFields<T> = { readonly [K in keyof T]: readonly [K, Codec<T[K]>] }[keyof T][];

/** Fields in declaration order, no padding (borsh struct). */
export function struct<T extends object>(fields: StructFields<T>): Codec<T> {
  return {
    write: (w, v) => {
      for (const [key, codec] of fields) codec.write(w, v[key]);
    },
    read: (r) => {
      const out: Partial<T> = {};
      for (const [key, codec] of fields) out[key] = codec.read(r);
      return out as T;
    },
  };
}

/**
 * A u8-tagged union (borsh enum with payloads), discriminated by `kind`. Variant order is
 * the wire tag, so new variants go at the end.
 */
export function taggedUnion<T extends { kind: string }>(
  variants: {
    readonly [K in T['kind']]: Codec<Omit<Extract<T, { kind: K }>, 'kind'>>;
  },
): Codec<T> {
  return discriminatedUnion<T, 'kind'>('kind', variants);
}

/**
 * `taggedUnion` for values discriminated by another field (e.g. `op`): a u8 tag, the variant's
 * index in declaration order, then its payload. Tags out of range are UNKNOWN_VARIANT at the
 * tag's offset.
 */
export function discriminatedUnion<T extends { readonly [P in Key]: string }, Key extends string>(
  key: Key,
  variants: {
    readonly [V in T[Key]]: Codec<Omit<Extract<T, { readonly [P in Key]: V }>, Key>>;
  },
): Codec<T> {
  const names = Object.keys(variants) as T[Key][];
  const codecs = names.map((name) => variants[name] as Codec<object>);
  return {
    write: (w, v) => {
      const index = names.indexOf(v[key]);
      if (index < 0) throw new RangeError(`unknown variant ${v[key]}`);
      w.u8(index);
      // The variant's codec reads only its own fields, so the tag field can stay on the value
      // (no copy of the object per write).
      codecs[index]!.write(w, v);
    },
    read: (r) => {
      const at = r.offset;
      const index = r.u8();
      const codec = codecs[index];
      if (codec === undefined) throw new CodecError('UNKNOWN_VARIANT', `variant ${index}`, at);
      return { [key]: names[index], ...codec.read(r) } as unknown as T;
    },
  };
}

export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  const w = new ByteWriter();
  codec.write(w, value);
  return w.finish();
}

/** Decodes exactly the whole input: trailing bytes are an error. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const r = new ByteReader(bytes);
  const value = codec.read(r);
  if (r.remaining !== 0) throw new CodecError('TRAILING_BYTES', `${r.remaining} trailing bytes`, r.offset);
  return value;
}
