/**
 * What the node needs to restart besides blocks and state: the genesis, the chain id, the
 * head pointer, and small named values other parts persist (e.g. consensus safety state, the
 * L1 watcher's cursor).
 *
 *   meta  0x00 ‖ 'genesis'   → genesis (codecs.ts genesisCodec)
 *         0x00 ‖ 'chain-id'  → u32
 *         0x00 ‖ 'head'      → height u64 · blockHash [32]   (moved by commitBlock only)
 *         0x01 ‖ name        → the caller's bytes            (put/get/delete by name)
 */
import { decode, encode, type Genesis, u32 } from '@assetl2/sdk';
import { genesisCodec, type HeadPointer, headPointerCodec } from './codecs.ts';
import type { StorageEnvironment } from './environment.ts';

export type { HeadPointer } from './codecs.ts';

const INTERNAL = 0x00;
const NAMED = 0x01;

function internalKey(name: string): Uint8Array {
  return Uint8Array.from([INTERNAL, ...Array.from(name, (c) => c.charCodeAt(0))]);
}

export const META_KEYS = {
  genesis: internalKey('genesis'),
  chainId: internalKey('chain-id'),
  head: internalKey('head'),
} as const;

/** Names of caller values: 1–200 printable ASCII characters. */
function namedKey(name: string): Uint8Array {
  if (typeof name !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(name)) {
    throw new RangeError(`a meta name is 1–200 printable ASCII characters: ${JSON.stringify(name)}`);
  }
  return Uint8Array.from([NAMED, ...Array.from(name, (c) => c.charCodeAt(0))]);
}

export class MetaRepository {
  constructor(private readonly env: StorageEnvironment) {}

  private get db() {
    return this.env.db('meta');
  }

  genesis(): Genesis | undefined {
    const bytes = this.db.get(META_KEYS.genesis);
    return bytes === undefined ? undefined : decode(genesisCodec, bytes);
  }

  /** The genesis as stored (to compare with a configured one byte for byte). */
  genesisBytes(): Uint8Array | undefined {
    const bytes = this.db.get(META_KEYS.genesis);
    return bytes === undefined ? undefined : new Uint8Array(bytes);
  }

  chainId(): number | undefined {
    const bytes = this.db.get(META_KEYS.chainId);
    return bytes === undefined ? undefined : decode(u32, bytes);
  }

  /** The last committed block (undefined before the first commit). */
  head(): HeadPointer | undefined {
    const bytes = this.db.get(META_KEYS.head);
    return bytes === undefined ? undefined : decode(headPointerCodec, bytes);
  }

  /** Height of the last committed block; 0 (genesis) before the first. */
  headHeight(): bigint {
    return this.head()?.height ?? 0n;
  }

  /** A value another part stored under `name`. */
  get(name: string): Uint8Array | undefined {
    const bytes = this.db.get(namedKey(name));
    return bytes === undefined ? undefined : new Uint8Array(bytes);
  }

  /** Stores `bytes` under `name` (durable when resolved). */
  put(name: string, bytes: Uint8Array): Promise<void> {
    let key: Uint8Array;
    try {
      key = namedKey(name);
      if (!(bytes instanceof Uint8Array)) throw new TypeError('a meta value is bytes');
    } catch (e) {
      return Promise.reject(e);
    }
    const value = bytes.slice();
    return this.env.write(() => {
      this.db.putSync(key, value);
    });
  }

  delete(name: string): Promise<void> {
    let key: Uint8Array;
    try {
      key = namedKey(name);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.env.write(() => {
      this.db.removeSync(key);
    });
  }

  /** Inside a write transaction. */
  writeGenesis(genesisBytes: Uint8Array, chainId: number): void {
    this.db.putSync(META_KEYS.genesis, genesisBytes);
    this.db.putSync(META_KEYS.chainId, encode(u32, chainId));
  }

  /** Inside a write transaction. */
  writeHead(head: HeadPointer): void {
    this.db.putSync(META_KEYS.head, encode(headPointerCodec, head));
  }
}

export function encodeGenesis(genesis: Genesis): Uint8Array {
  return encode(genesisCodec, genesis);
}
