import { blockHash, encodeBase58, transactionId } from '@assetl2/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type BlockCommit, openStorage, type Storage, StorageError } from '../../src/storage/index.ts';
import { type ProducedBlock, produceScenario, removeTempDirs, TestChain, tempDir } from './helpers.ts';

const opened: Storage[] = [];

async function setup(blocks: number) {
  const storage = openStorage({ path: tempDir() });
  opened.push(storage);
  const chain = new TestChain();
  await storage.initGenesis(chain.genesis);
  return { storage, chain, produced: produceScenario(chain, blocks) };
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  removeTempDirs();
});

/** Everything a reader can see, to compare before and after a refused commit. */
function snapshot(storage: Storage, produced: readonly ProducedBlock[]) {
  return {
    head: storage.meta.head(),
    blocks: [...storage.blocks.range(0n, 1000n)].map((b) => b.header.height),
    hashes: produced.map((p) => storage.blocks.heightOf(blockHash(p.block.header))),
    receipts: produced.flatMap((p) =>
      p.block.transactions.map((tx) => storage.receipts.get(transactionId(tx))),
    ),
    events: produced.map((p) => storage.receipts.blockEvents(p.block.header.height)),
    state: [...storage.state.entries()],
    withdrawals: [...storage.state.withdrawals()],
    mempool: storage.mempool.loadAll(),
  };
}

/** The block's transactions (and an unrelated one) as pending mempool entries. */
async function admit(storage: Storage, commit: BlockCommit) {
  const entries = commit.block.transactions.map((tx, i) => ({
    txId: transactionId(tx),
    bytes: Uint8Array.of(i),
    admittedAt: 1_000 + i,
  }));
  const unrelated = {
    txId: encodeBase58(new Uint8Array(64).fill(0x42)),
    bytes: Uint8Array.of(9),
    admittedAt: 5,
  };
  await storage.mempool.put([...entries, unrelated]);
  return unrelated;
}

describe('commitBlock', () => {
  it('writes block, receipts, state, withdrawals, head and mempool removal together', async () => {
    const { storage, produced } = await setup(4);
    for (const p of produced) {
      const unrelated = await admit(storage, p.commit);
      const extra = encodeBase58(new Uint8Array(64).fill(0x43));
      await storage.mempool.put([{ txId: extra, bytes: Uint8Array.of(1), admittedAt: 1 }]);
      await storage.commitBlock({ ...p.commit, includedTxIds: [extra] });
      expect(storage.meta.head()).toEqual({
        height: p.block.header.height,
        hash: new Uint8Array(blockHash(p.block.header)),
      });
      // The block's transactions and the listed extra id left the mempool; others stayed.
      expect(storage.mempool.loadAll()).toEqual([unrelated]);
      expect(storage.blocks.header(p.block.header.height)?.stateRoot).toEqual(
        new Uint8Array(p.result.stateRoot),
      );
      await storage.mempool.delete([unrelated.txId]);
    }
    expect(storage.meta.headHeight()).toBe(4n);
  });

  it('a value the codecs reject leaves nothing written', async () => {
    const { storage, produced } = await setup(3);
    await storage.commitBlock(produced[0]!.commit);
    const next = produced[1]!.commit;
    await admit(storage, next);
    const before = snapshot(storage, produced);
    const badReceipt = { ...next.receipts[0]!, txId: next.receipts[0]!.txId, computeUnits: -1 };
    await expect(
      storage.commitBlock({ ...next, receipts: [badReceipt, ...next.receipts.slice(1)] }),
    ).rejects.toThrow(RangeError);
    const badChange = [...next.changes, [new Uint8Array(0), Uint8Array.of(1)] as const];
    await expect(storage.commitBlock({ ...next, changes: badChange })).rejects.toThrow(RangeError);
    await expect(storage.commitBlock({ ...next, receipts: next.receipts.slice(1) })).rejects.toThrow(
      RangeError,
    );
    expect(snapshot(storage, produced)).toEqual(before);
    await storage.commitBlock(next);
    expect(storage.meta.headHeight()).toBe(2n);
  });

  it('a failure inside the transaction, after the block, receipts and state were written, rolls all of it back', async () => {
    const { storage, produced } = await setup(4);
    // Block 3 appends a withdrawal leaf; block 4 appends one too.
    await storage.commitBlock(produced[0]!.commit);
    await storage.commitBlock(produced[1]!.commit);
    const third = produced[2]!.commit;
    expect(third.withdrawals.length).toBeGreaterThan(0);
    await admit(storage, third);
    const before = snapshot(storage, produced);
    // A leaf index that does not continue the stored sequence is only detectable inside the
    // write transaction (it reads the stored count), after the block, its receipts and the state
    // changes were written to it.
    const gap = third.withdrawals.map((leaf) => ({ ...leaf, index: leaf.index + 5n }));
    await expect(storage.commitBlock({ ...third, withdrawals: gap })).rejects.toThrow(/withdrawal/);
    expect(snapshot(storage, produced)).toEqual(before);
    // The same storage keeps working: the real commit goes through.
    await storage.commitBlock(third);
    expect(storage.meta.headHeight()).toBe(3n);
    expect(storage.state.withdrawalCount()).toBe(BigInt(third.withdrawals.length));
  });

  it('refuses blocks that do not extend the head, of another chain, or before genesis', async () => {
    const { storage, produced } = await setup(3);
    const code = (p: Promise<void>) =>
      p.then(
        () => 'ok',
        (e: StorageError) => (e instanceof StorageError ? e.reason : String(e)),
      );
    expect(await code(storage.commitBlock(produced[1]!.commit))).toBe('NOT_NEXT_BLOCK');
    await storage.commitBlock(produced[0]!.commit);
    expect(await code(storage.commitBlock(produced[0]!.commit))).toBe('NOT_NEXT_BLOCK');
    const second = produced[1]!.commit;
    const orphan = {
      ...second.block,
      header: { ...second.block.header, parentHash: new Uint8Array(32).fill(9) },
    };
    expect(await code(storage.commitBlock({ ...second, block: orphan }))).toBe('NOT_NEXT_BLOCK');
    const foreign = { ...second.block, header: { ...second.block.header, chainId: 1 } };
    expect(await code(storage.commitBlock({ ...second, block: foreign }))).toBe('WRONG_CHAIN');
    expect(storage.meta.headHeight()).toBe(1n);
    expect(storage.blocks.get(2n)).toBeUndefined();

    const fresh = openStorage({ path: tempDir() });
    opened.push(fresh);
    expect(await code(fresh.commitBlock(produced[0]!.commit))).toBe('NOT_INITIALIZED');
  });

  it('commits issued in one event-loop turn are ordered and see each other', async () => {
    const { storage, produced } = await setup(5);
    // All five queue into lmdb-js's batch; each child transaction reads the head the previous wrote.
    await Promise.all(produced.map((p) => storage.commitBlock(p.commit)));
    expect(storage.meta.headHeight()).toBe(5n);
    // Two commits of the same height: exactly one wins.
    const { storage: other, produced: again } = await setup(1);
    const results = await Promise.allSettled([
      other.commitBlock(again[0]!.commit),
      other.commitBlock(again[0]!.commit),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
