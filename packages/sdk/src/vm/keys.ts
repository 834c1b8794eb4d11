/**
 * In-memory keys and the state-tree key of every record. In memory a 32-byte id is a 32-char
 * "binary" string (one char per byte, code 0–255): built in one call, hashed by V8 once, and
 * ordered like the bytes when sorted, which is what deterministic scans sort by. Composite
 * keys concatenate them (address || curve, curve || buyer). Never shown to users.
 */
import type { Bytes32 } from '../tx/types.ts';
import { RECORD_TAGS, type RecordKind } from './records.ts';

export function keyOf(b: Uint8Array): string {
  // Spelled out for 32 bytes (every id): ~2× faster than apply() over a typed array.
  if (b.length !== 32) return String.fromCharCode.apply(null, b as unknown as number[]);
  // biome-ignore format: 32 arguments
  return String.fromCharCode(
    b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!,
    b[11]!, b[12]!, b[13]!, b[14]!, b[15]!, b[16]!, b[17]!, b[18]!, b[19]!, b[20]!,
    b[21]!, b[22]!, b[23]!, b[24]!, b[25]!, b[26]!, b[27]!, b[28]!, b[29]!, b[30]!, b[31]!,
  );
}

/** Inverse of keyOf (and of concatenations of it). */
export function bytesOfKey(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i);
  return out;
}

/** Key of a record owned by an account in a curve (holdings, LP shares). */
export function pairKey(address: Bytes32, curve: Bytes32): string {
  return keyOf(address) + keyOf(curve);
}

/** Key of a buyer's escrow in a curve: curve first, so a curve's escrows share a prefix. */
export function escrowKey(curveKey: string, buyerKey: string): string {
  return curveKey + buyerKey;
}

/** Length of one id inside a composite key. */
export const ID_KEY_LENGTH = 32;

/** The singleton records (config, chain) have the empty key. */
export const SINGLETON_KEY = '';

/** The raw key bytes of an in-memory key (see records.ts, RECORD_TAGS). */
function keyBytesInto(kind: RecordKind, key: string, out: Uint8Array, at: number): number {
  if (kind === 'deposit') {
    new DataView(out.buffer, out.byteOffset).setBigUint64(at, BigInt(key), true);
    return at + 8;
  }
  for (let i = 0; i < key.length; i++) out[at + i] = key.charCodeAt(i);
  return at + key.length;
}

/**
 * u8 tag || key bytes: the record's key in the authenticated state, which hashes keys into
 * tree paths itself (path = sha256(key)). Each tag has one key length, so keys of different
 * kinds never collide. Deposit keys are the u64 LE sequence number.
 */
export function stateKey(kind: RecordKind, key: string): Uint8Array {
  const out = new Uint8Array(1 + (kind === 'deposit' ? 8 : key.length));
  out[0] = RECORD_TAGS[kind];
  keyBytesInto(kind, key, out, 1);
  return out;
}

/** Key bytes after the tag, per kind (RECORD_TAGS): a key of another length is not a record's. */
const KEY_LENGTHS: { readonly [K in RecordKind]: number } = {
  config: 0,
  chain: 0,
  account: 32,
  holding: 64,
  curve: 32,
  template: 32,
  lp: 64,
  escrow: 64,
  deposit: 8,
};

const KIND_OF_TAG = new Map<number, RecordKind>(
  Object.entries(RECORD_TAGS).map(([kind, tag]) => [tag, kind as RecordKind]),
);

/** Inverse of stateKey: the record kind and in-memory key of a state-tree key, or null. */
export function parseStateKey(bytes: Uint8Array): [RecordKind, string] | null {
  const kind = KIND_OF_TAG.get(bytes[0] ?? -1);
  if (kind === undefined || bytes.length !== 1 + KEY_LENGTHS[kind]) return null;
  if (kind === 'deposit') {
    return [kind, new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getBigUint64(0, true).toString()];
  }
  let key = '';
  for (let i = 1; i < bytes.length; i++) key += String.fromCharCode(bytes[i]!);
  return [kind, key];
}
