import {
  blockHash,
  type CertifiedBlock,
  createBlockHeader,
  encodeBase58,
  encodeBlock,
  type Genesis,
  signBlock,
  transactionId,
} from '@assetl2/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { MempoolStore } from '../../src/mempool/store.ts';
import { openStorage, type Storage, StorageClosedError } from '../../src/storage/index.ts';
import {
  CHAIN_ID,
  keypair,
  plain,
  plainReceipt,
  produceScenario,
  removeTempDirs,
  TestChain,
  tempDir,
} from './helpers.ts';

const opened: Storage[] = [];

function open(path = tempDir()): Storage {
  const storage = openStorage({ path });
  opened.push(storage);
  return storage;
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  removeTempDirs();
});

const txId = (n: number) => encodeBase58(new Uint8Array(64).fill(n));

/** A block with no transactions at `height`, signed by one validator. */
function emptyBlock(height: bigint, parentHash = new Uint8Array(32), stateByte = 1): CertifiedBlock {
  const validator = keypair(77);
  const header = createBlockHeader(
    {
      chainId: CHAIN_ID,
      height,
      view: height,
      parentHash,
      timestamp: height,
      kind: 'heartbeat',
      stateRoot: new Uint8Array(32).fill(stateByte),
      withdrawalsRoot: new Uint8Array(32),
      proposer: validator.publicKey,
    },
    [],
  );
  return {
    header,
    transactions: [],
    certificate: { view: height, signatures: [signBlock(header, validator)] },
  };
}

describe('BlockRepository', () => {
  it('round-trips blocks by height and hash, with ranges, latest and headers', async () => {
    const storage = open();
    const chain = new TestChain();
    const blocks = produceScenario(chain, 6).map((p) => p.block);
    expect(storage.blocks.latest()).toBeUndefined();
    for (const block of blocks) await storage.blocks.put(block);
    for (const block of blocks) {
      const h = block.header.height;
      expect(storage.blocks.get(h)).toEqual(plain(block));
      expect(storage.blocks.getBytes(h)).toEqual(encodeBlock(block));
      expect(storage.blocks.header(h)).toEqual(plain(block.header));
      expect(storage.blocks.getByHash(blockHash(block.header))).toEqual(plain(block));
      expect(storage.blocks.heightOf(blockHash(block.header))).toBe(h);
    }
    expect(storage.blocks.latest()).toEqual(plain(blocks[5]));
    expect([...storage.blocks.range(2n, 4n)].map((b) => b.header.height)).toEqual([2n, 3n, 4n]);
    expect([...storage.blocks.range(5n, 100n)].map((b) => b.header.height)).toEqual([5n, 6n]);
    expect([...storage.blocks.range(0n, 2n ** 64n - 1n)]).toHaveLength(6);
    expect([...storage.blocks.range(4n, 3n)]).toEqual([]);
    expect(storage.blocks.get(7n)).toBeUndefined();
    expect(storage.blocks.get(-1n)).toBeUndefined();
    expect(storage.blocks.getByHash(new Uint8Array(32))).toBeUndefined();
    expect(storage.blocks.getByHash(new Uint8Array(5))).toBeUndefined();
  });

  it('orders heights numerically (big-endian keys) past byte boundaries', async () => {
    const storage = open();
    const heights = [1n, 255n, 256n, 65_536n, 2n ** 40n, 2n ** 64n - 1n];
    for (const h of [...heights].reverse()) await storage.blocks.put(emptyBlock(h));
    expect([...storage.blocks.range(0n, 2n ** 64n - 1n)].map((b) => b.header.height)).toEqual(heights);
    expect(storage.blocks.latest()?.header.height).toBe(2n ** 64n - 1n);
  });

  it('replacing the block at a height drops the old hash from the index', async () => {
    const storage = open();
    const first = emptyBlock(3n, new Uint8Array(32), 1);
    const second = emptyBlock(3n, new Uint8Array(32), 2);
    await storage.blocks.put(first);
    await storage.blocks.put(second);
    expect(storage.blocks.get(3n)).toEqual(second);
    expect(storage.blocks.getByHash(blockHash(first.header))).toBeUndefined();
    expect(storage.blocks.getByHash(blockHash(second.header))).toEqual(second);
  });
});

describe('ReceiptRepository', () => {
  it('finds every committed receipt by txId, with its height and index, and block events', async () => {
    const storage = open();
    const chain = new TestChain();
    await storage.initGenesis(chain.genesis);
    const produced = produceScenario(chain, 8);
    for (const p of produced) await storage.commitBlock(p.commit);
    let failed = 0;
    let withEvents = 0;
    for (const { block, result } of produced) {
      block.transactions.forEach((tx, index) => {
        const stored = storage.receipts.get(transactionId(tx));
        expect(stored).toEqual({
          height: block.header.height,
          index,
          receipt: plainReceipt(result.receipts[index]!),
        });
        if (stored?.receipt.status === 'failed') failed++;
      });
      expect(storage.receipts.blockEvents(block.header.height)).toEqual(plain(result.events));
      if (result.events.length > 0) withEvents++;
    }
    expect(failed).toBeGreaterThan(0); // the scenario's failing buy: error and message round-trip
    expect(withEvents).toBeGreaterThan(0); // the sealed clearing
    expect(storage.receipts.get(txId(9))).toBeUndefined();
    expect(storage.receipts.get('not base58 0OIl')).toBeUndefined();
    expect(storage.receipts.blockEvents(99n)).toEqual([]);
  });
});

describe('StateRepository', () => {
  it('applies sets and deletes and lists entries in key order', async () => {
    const storage = open();
    const k = (...b: number[]) => Uint8Array.from(b);
    await storage.state.applyChanges([
      [k(3, 1), k(30)],
      [k(1), k(10)],
      [k(2, 9, 9), k(20, 20)],
    ]);
    await storage.state.applyChanges([
      [k(1), null],
      [k(2, 9, 9), k(21)],
      [k(4), new Uint8Array(0)],
      [k(5), null],
    ]);
    expect([...storage.state.entries()]).toEqual([
      [k(2, 9, 9), k(21)],
      [k(3, 1), k(30)],
      [k(4), new Uint8Array(0)],
    ]);
    expect(storage.state.get(k(3, 1))).toEqual(k(30));
    expect(storage.state.get(k(1))).toBeUndefined();
    await expect(storage.state.applyChanges([[new Uint8Array(0), k(1)]])).rejects.toThrow(RangeError);
    await expect(storage.state.applyChanges([[new Uint8Array(2000), k(1)]])).rejects.toThrow(RangeError);
    expect(storage.state.withdrawalCount()).toBe(0n);
    expect([...storage.state.withdrawals()]).toEqual([]);
  });

  it('appends withdrawal leaves in order through commits', async () => {
    const storage = open();
    const chain = new TestChain();
    await storage.initGenesis(chain.genesis);
    const produced = produceScenario(chain, 10);
    for (const p of produced) await storage.commitBlock(p.commit);
    const leaves = produced.flatMap((p) => p.commit.withdrawals);
    expect(leaves.length).toBeGreaterThanOrEqual(3);
    expect([...storage.state.withdrawals()]).toEqual(leaves);
    expect([...storage.state.withdrawals(1n)]).toEqual(leaves.slice(1));
    expect(storage.state.withdrawalCount()).toBe(BigInt(leaves.length));
  });
});

describe('MempoolRepository', () => {
  it("is the mempool's MempoolStore", () => {
    const store: MempoolStore = open().mempool;
    expect(typeof store.loadAll).toBe('function');
  });

  it('round-trips entries, loads them by admission time, deletes by id', async () => {
    const storage = open();
    const entries = [
      { txId: txId(1), bytes: Uint8Array.of(1, 2, 3), admittedAt: 1_700_000_000_300 },
      { txId: txId(2), bytes: Uint8Array.of(4), admittedAt: 1_700_000_000_100 },
      { txId: txId(3), bytes: new Uint8Array(2300).fill(7), admittedAt: 1_700_000_000_200.5 },
    ];
    await storage.mempool.put(entries);
    expect(storage.mempool.loadAll()).toEqual([entries[1], entries[2], entries[0]]);
    expect(storage.mempool.has(txId(1))).toBe(true);
    await storage.mempool.put([{ ...entries[0]!, admittedAt: 5 }]); // overwrite
    expect(storage.mempool.loadAll()[0]).toEqual({ ...entries[0], admittedAt: 5 });
    await storage.mempool.delete([txId(1), txId(9), 'garbage!']);
    expect(storage.mempool.loadAll().map((e) => e.txId)).toEqual([txId(2), txId(3)]);
    await storage.mempool.put([]);
    await storage.mempool.delete([]);
    expect(storage.mempool.has('nope')).toBe(false);
  });

  it('refuses a bad entry and then writes none of the batch', async () => {
    const storage = open();
    const good = { txId: txId(1), bytes: Uint8Array.of(1), admittedAt: 1 };
    await expect(
      storage.mempool.put([good, { txId: 'abc', bytes: Uint8Array.of(1), admittedAt: 1 }]),
    ).rejects.toThrow(RangeError);
    await expect(
      storage.mempool.put([good, { ...good, txId: txId(2), admittedAt: Number.NaN }]),
    ).rejects.toThrow(RangeError);
    expect(storage.mempool.loadAll()).toEqual([]);
  });
});

describe('MetaRepository and genesis', () => {
  it('stores the genesis once, with its chain id and state records', async () => {
    const storage = open();
    const chain = new TestChain();
    expect(storage.meta.genesis()).toBeUndefined();
    expect(storage.meta.headHeight()).toBe(0n);
    const records = [[Uint8Array.of(2, 1), Uint8Array.of(7)] as const];
    expect(await storage.initGenesis(chain.genesis, records)).toBe(true);
    expect(storage.meta.genesis()).toEqual(plain(chain.genesis));
    expect(storage.meta.chainId()).toBe(CHAIN_ID);
    expect([...storage.state.entries()]).toEqual(records);
    expect(await storage.initGenesis(chain.genesis)).toBe(false);
    const other: Genesis = { ...chain.genesis, computeLimitPerBlock: 5 };
    await expect(storage.initGenesis(other)).rejects.toMatchObject({ reason: 'GENESIS_MISMATCH' });
    expect(storage.meta.genesis()).toEqual(plain(chain.genesis));
  });

  it('keeps named values for other parts', async () => {
    const storage = open();
    expect(storage.meta.get('consensus/safety')).toBeUndefined();
    await storage.meta.put('consensus/safety', Uint8Array.of(1, 2));
    expect(storage.meta.get('consensus/safety')).toEqual(Uint8Array.of(1, 2));
    await storage.meta.delete('consensus/safety');
    expect(storage.meta.get('consensus/safety')).toBeUndefined();
    await expect(storage.meta.put('', Uint8Array.of(1))).rejects.toThrow(RangeError);
    await expect(storage.meta.put('é', Uint8Array.of(1))).rejects.toThrow(RangeError);
    // A caller's name never reaches the internal keys.
    await storage.meta.put('head', Uint8Array.of(9));
    expect(storage.meta.head()).toBeUndefined();
  });
});

describe('environment', () => {
  it('refuses a second open of the same path in one process, and works after close', async () => {
    const path = tempDir();
    const storage = open(path);
    expect(() => openStorage({ path })).toThrow(/already open/);
    await storage.mempool.put([{ txId: txId(4), bytes: Uint8Array.of(4), admittedAt: 4 }]);
    await storage.close();
    await storage.close(); // idempotent
    await expect(
      storage.mempool.put([{ txId: txId(5), bytes: Uint8Array.of(5), admittedAt: 5 }]),
    ).rejects.toThrow(StorageClosedError);
    expect(() => storage.mempool.loadAll()).toThrow(StorageClosedError);
    const again = open(path);
    expect(again.mempool.loadAll().map((e) => e.txId)).toEqual([txId(4)]);
  });

  it('close waits for the writes already issued', async () => {
    const path = tempDir();
    const storage = openStorage({ path });
    const chain = new TestChain();
    const [first] = produceScenario(chain, 1);
    await storage.initGenesis(chain.genesis);
    const writes = Promise.all([
      storage.commitBlock(first!.commit),
      storage.mempool.put([{ txId: txId(6), bytes: Uint8Array.of(6), admittedAt: 6 }]),
    ]);
    await storage.close();
    await writes;
    const again = open(path);
    expect(again.meta.headHeight()).toBe(1n);
    expect(again.mempool.has(txId(6))).toBe(true);
  });

  it('opens with durable settings (no overlapping sync, no noSync...)', () => {
    expect(open().durability).toEqual({
      overlappingSync: false,
      noSync: false,
      noMetaSync: false,
      mapAsync: false,
      useWritemap: false,
      deleteOnClose: false,
    });
  });
});
