/**
 * Certified blocks by height, and a hash → height index.
 *
 *   blocks        u64be height → encodeBlock(block)   (sdk block codec: header first)
 *   block-hashes  blockHash [32] → u64be height
 */
import {
  type BlockHeader,
  ByteReader,
  blockHash,
  blockHeaderCodec,
  type CertifiedBlock,
  decodeBlock,
  encodeBlock,
} from '@assetl2/sdk';
import { heightKey, readHeightKey } from './codecs.ts';
import type { StorageEnvironment } from './environment.ts';

/** A block encoded and hashed ahead of its write transaction (nothing can fail inside). */
export interface PreparedBlock {
  readonly height: bigint;
  readonly hash: Uint8Array;
  readonly key: Uint8Array;
  readonly bytes: Uint8Array;
}

export class BlockRepository {
  constructor(private readonly env: StorageEnvironment) {}

  private get blocks() {
    return this.env.db('blocks');
  }

  private get hashes() {
    return this.env.db('block-hashes');
  }

  /**
   * Stores a block by height and hash without moving the chain's head (e.g. a block fetched
   * by sync before it is executed); Storage.commitBlock is how committed blocks are stored.
   * Replaces any other block stored at that height. Durable when resolved.
   */
  put(block: CertifiedBlock): Promise<void> {
    let prepared: PreparedBlock;
    try {
      prepared = prepareBlock(block);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.env.write(() => this.writePrepared(prepared));
  }

  get(height: bigint): CertifiedBlock | undefined {
    const bytes = this.getBytes(height);
    return bytes === undefined ? undefined : decodeBlock(bytes);
  }

  /** The encoded block, as stored (what block sync sends). */
  getBytes(height: bigint): Uint8Array | undefined {
    if (!isHeight(height)) return undefined;
    const bytes = this.blocks.get(heightKey(height));
    return bytes === undefined ? undefined : new Uint8Array(bytes);
  }

  /** Only the header (decodes the fixed-size prefix, not the transactions). */
  header(height: bigint): BlockHeader | undefined {
    if (!isHeight(height)) return undefined;
    const bytes = this.blocks.get(heightKey(height));
    return bytes === undefined ? undefined : headerOf(bytes);
  }

  heightOf(hash: Uint8Array): bigint | undefined {
    if (!(hash instanceof Uint8Array) || hash.length !== 32) return undefined;
    const value = this.hashes.get(hash);
    return value === undefined ? undefined : readHeightKey(value);
  }

  getByHash(hash: Uint8Array): CertifiedBlock | undefined {
    const height = this.heightOf(hash);
    return height === undefined ? undefined : this.get(height);
  }

  /** The highest stored block (for a node that stores through commitBlock: the head). */
  latest(): CertifiedBlock | undefined {
    for (const { value } of this.blocks.getRange({ reverse: true, limit: 1 })) return decodeBlock(value);
    return undefined;
  }

  /** Stored blocks with from ≤ height ≤ to, ascending, decoded lazily as iterated. */
  *range(from: bigint, to: bigint): Generator<CertifiedBlock, void, undefined> {
    if (!isHeight(from) || !isHeight(to) || from > to) return;
    for (const { value } of this.blocks.getRange({
      start: heightKey(from),
      end: heightKey(to),
      inclusiveEnd: true,
    })) {
      yield decodeBlock(value);
    }
  }

  /** Inside a write transaction (Storage.commitBlock, put). */
  writePrepared(block: PreparedBlock): void {
    const previous = this.blocks.get(block.key);
    if (previous !== undefined) {
      const previousHash = blockHash(headerOf(previous));
      if (!sameBytes(previousHash, block.hash)) this.hashes.removeSync(previousHash);
    }
    this.blocks.putSync(block.key, block.bytes);
    this.hashes.putSync(block.hash, block.key);
  }
}

export function prepareBlock(block: CertifiedBlock): PreparedBlock {
  const bytes = encodeBlock(block);
  const height = block.header.height;
  return { height, hash: blockHash(block.header), key: heightKey(height), bytes };
}

function headerOf(bytes: Uint8Array): BlockHeader {
  return blockHeaderCodec.read(new ByteReader(bytes));
}

function isHeight(height: unknown): height is bigint {
  return typeof height === 'bigint' && height >= 0n && height <= 0xffff_ffff_ffff_ffffn;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
