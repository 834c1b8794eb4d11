/**
 * State tree hashing rules, proofs, their binary format and the stand-alone verifier a light
 * client runs. The full specification, with the reasons, is docs/state-commitment.md.
 *
 *   path(key)           = sha256(key)                                 256 bits, bit 0 = MSB of byte 0
 *   leaf                = sha256(0x00 ‖ path(key) ‖ sha256(value))
 *   internal            = sha256(0x01 ‖ left ‖ right)
 *   empty               = 32 zero bytes
 *
 * A subtree holding no key is empty; one holding exactly one key is that key's leaf (whatever
 * its depth); one holding two or more keys is an internal node, so an internal node has at
 * least one non-empty side and its other side may be empty only if the non-empty side holds
 * two or more keys. Hence the root is a function of the set of (key, value) pairs alone.
 */
import { type ByteReader, type ByteWriter, type Codec, CodecError, decode, encode } from '../codec/codec.ts';
import { sha256Js, sha256Pair } from './sha256-js.ts';

/** Domain separation byte of a leaf hash. */
export const STATE_LEAF_PREFIX = 0x00;
/** Domain separation byte of an internal node hash. */
export const STATE_NODE_PREFIX = 0x01;
/** Bits in a path: the deepest leaf sits at depth 256, the deepest internal node at 255. */
export const STATE_PATH_BITS = 256;

/** Where the path of the proven key ends. */
export type StateProofTerminal =
  /** At the proven key's own leaf: the verifier rebuilds it from (key, value). */
  | { readonly kind: 'included' }
  /** At an empty subtree: the key is absent. */
  | { readonly kind: 'empty' }
  /** At the leaf of another key whose path shares the first `siblings.length` bits: the key is absent. */
  | { readonly kind: 'otherLeaf'; readonly keyPath: Uint8Array; readonly valueHash: Uint8Array };

export interface StateProof {
  /**
   * Sibling hashes from the terminal up to the root's children: `siblings[i]` is the sibling
   * of the node at depth `siblings.length - i` on the key's path; 32 zero bytes when empty.
   * `siblings.length` is the depth of the terminal.
   */
  readonly siblings: readonly Uint8Array[];
  readonly terminal: StateProofTerminal;
}

/** Bit `depth` of a 256-bit path, most significant bit of byte 0 first; 0 = left, 1 = right. */
export function pathBit(path: Uint8Array, depth: number): number {
  return (path[depth >>> 3]! >>> (7 - (depth & 7))) & 1;
}

export function isZeroHash(hash: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (hash[i] !== 0) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of leading bits two 256-bit paths share (256 when equal). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return STATE_PATH_BITS;
}

/** The state tree's leaf hash for a key path and a value hash. */
export function stateLeafHash(keyPath: Uint8Array, valueHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Pair(STATE_LEAF_PREFIX, keyPath, valueHash, out);
  return out;
}

/**
 * Checks that `proof` shows `key` bound to `value` (or absent, for `value === null`) in the
 * state whose root is `root`. Needs no tree: this is what a light client runs. Never throws
 * on malformed input; it answers false.
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): boolean {
  const { siblings, terminal } = proof;
  const depth = siblings.length;
  if (root.length !== 32 || depth > STATE_PATH_BITS) return false;
  for (const sibling of siblings) if (sibling.length !== 32) return false;
  const path = sha256Js(key);
  const node = new Uint8Array(32);
  switch (terminal.kind) {
    case 'included':
      if (value === null) return false;
      sha256Pair(STATE_LEAF_PREFIX, path, sha256Js(value), node);
      break;
    case 'empty':
      if (value !== null) return false;
      break;
    case 'otherLeaf': {
      if (value !== null) return false;
      const { keyPath, valueHash } = terminal;
      if (keyPath.length !== 32 || valueHash.length !== 32) return false;
      // The other leaf must sit where the key's path leads (shared prefix of `depth` bits) and
      // must not be the key itself.
      if (bytesEqual(keyPath, path) || commonPrefixBits(keyPath, path) < depth) return false;
      sha256Pair(STATE_LEAF_PREFIX, keyPath, valueHash, node);
      break;
    }
    default:
      return false;
  }
  // Collapse rule: a leaf whose sibling is empty would have been stored one level up, and an
  // empty subtree whose sibling is empty would make their parent empty. So the deepest
  // sibling is never empty; rejecting it leaves one valid proof per (root, key).
  if (depth > 0 && isZeroHash(siblings[0]!)) return false;
  for (let i = 0; i < depth; i++) {
    const sibling = siblings[i]!;
    if (pathBit(path, depth - 1 - i) === 1) sha256Pair(STATE_NODE_PREFIX, sibling, node, node);
    else sha256Pair(STATE_NODE_PREFIX, node, sibling, node);
  }
  return bytesEqual(node, root);
}

const TERMINAL_TAGS = { included: 0, empty: 1, otherLeaf: 2 } as const;

/**
 * Binary layout (little-endian):
 *
 *   u8     terminal: 0 included, 1 empty, 2 otherLeaf
 *   u16    depth d (0..256) = number of siblings
 *   ⌈d/8⌉  bitmap: bit i (byte i>>3, bit i&7, LSB first) set iff siblings[i] is non-empty;
 *          padding bits zero
 *   32·k   the k non-empty siblings, in index order (bottom-up)
 *   64     otherLeaf only: keyPath ‖ valueHash
 *
 * Decoding is strict (one encoding per proof): padding bits, an all-zero "non-empty" sibling,
 * trailing bytes or an unknown tag are errors.
 */
export const stateProofCodec: Codec<StateProof> = {
  write(w: ByteWriter, proof: StateProof): void {
    const { siblings, terminal } = proof;
    const depth = siblings.length;
    if (depth > STATE_PATH_BITS) throw new RangeError(`proof deeper than ${STATE_PATH_BITS}`);
    w.u8(TERMINAL_TAGS[terminal.kind]);
    w.u16(depth);
    const bitmap = new Uint8Array((depth + 7) >>> 3);
    for (let i = 0; i < depth; i++) {
      const sibling = siblings[i]!;
      if (sibling.length !== 32) throw new RangeError('sibling hash must be 32 bytes');
      if (!isZeroHash(sibling)) bitmap[i >>> 3]! |= 1 << (i & 7);
    }
    w.bytes(bitmap);
    for (let i = 0; i < depth; i++) if ((bitmap[i >>> 3]! >>> (i & 7)) & 1) w.bytes(siblings[i]!);
    if (terminal.kind === 'otherLeaf') {
      if (terminal.keyPath.length !== 32 || terminal.valueHash.length !== 32) {
        throw new RangeError('leaf hashes must be 32 bytes');
      }
      w.bytes(terminal.keyPath);
      w.bytes(terminal.valueHash);
    }
  },
  read(r: ByteReader): StateProof {
    const tagAt = r.offset;
    const tag = r.u8();
    if (tag > 2) throw new CodecError('UNKNOWN_VARIANT', `proof terminal ${tag}`, tagAt);
    const depthAt = r.offset;
    const depth = r.u16();
    if (depth > STATE_PATH_BITS) throw new CodecError('OUT_OF_RANGE', `proof depth ${depth}`, depthAt);
    const bitmapAt = r.offset;
    const bitmap = r.bytes((depth + 7) >>> 3);
    if (depth & 7 && bitmap[bitmap.length - 1]! >>> (depth & 7) !== 0) {
      throw new CodecError('NON_CANONICAL', 'bitmap padding bits set', bitmapAt + bitmap.length - 1);
    }
    const siblings: Uint8Array[] = [];
    for (let i = 0; i < depth; i++) {
      if ((bitmap[i >>> 3]! >>> (i & 7)) & 1) {
        const at = r.offset;
        const sibling = r.bytes(32).slice();
        if (isZeroHash(sibling)) throw new CodecError('NON_CANONICAL', 'empty sibling marked present', at);
        siblings.push(sibling);
      } else {
        siblings.push(new Uint8Array(32));
      }
    }
    if (tag === 0) return { siblings, terminal: { kind: 'included' } };
    if (tag === 1) return { siblings, terminal: { kind: 'empty' } };
    const keyPath = r.bytes(32).slice();
    const valueHash = r.bytes(32).slice();
    return { siblings, terminal: { kind: 'otherLeaf', keyPath, valueHash } };
  },
};

export function encodeStateProof(proof: StateProof): Uint8Array {
  return encode(stateProofCodec, proof);
}

/** Strict: throws `CodecError` on any malformed, truncated or non-canonical input. */
export function decodeStateProof(bytes: Uint8Array): StateProof {
  return decode(stateProofCodec, bytes);
}
