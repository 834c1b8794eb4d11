import { blockHash, CurveVM, encodeBase58, executionBlock, transactionId } from '@assetl2/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/storage/index.ts';
import { plainReceipt, produceScenario, removeTempDirs, TestChain, tempDir } from './helpers.ts';

const opened: Storage[] = [];

function open(path: string): Storage {
  const storage = openStorage({ path });
  opened.push(storage);
  return storage;
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  removeTempDirs();
});

/** The VM a restarted node builds from its storage alone. */
function restoreVm(storage: Storage): CurveVM {
  const genesis = storage.meta.genesis();
  if (genesis === undefined) throw new Error('no genesis stored');
  return CurveVM.restore(genesis, storage.state.entries(), storage.state.withdrawals());
}

describe('restart', () => {
  // Height 2 restarts inside the launch's sealed window (escrows pending, clearing due at 4);
  // 14 after the clearing, sells, claims, withdrawals and empty blocks.
  for (const stopAt of [2, 14]) {
    it(`rebuilds CurveVM from the stored records after ${stopAt} committed blocks, with the roots of the last header`, async () => {
      const path = tempDir();
      const chain = new TestChain();
      let storage = open(path);
      await storage.initGenesis(chain.genesis);
      const produced = produceScenario(chain, 18);
      // The sealed clearing deletes the escrow records: deletions must persist as well.
      expect(produced.slice(0, 4).some((p) => p.result.changes.some(([, value]) => value === null))).toBe(
        true,
      );
      for (const p of produced.slice(0, stopAt)) await storage.commitBlock(p.commit);
      const pending = {
        txId: encodeBase58(new Uint8Array(64).fill(7)),
        bytes: Uint8Array.of(1, 2),
        admittedAt: 42,
      };
      await storage.mempool.put([pending]);
      await storage.close();

      storage = open(path);
      const head = storage.meta.head()!;
      expect(head.height).toBe(BigInt(stopAt));
      const header = storage.blocks.header(head.height)!;
      expect(head.hash).toEqual(new Uint8Array(blockHash(header)));
      expect(storage.mempool.loadAll()).toEqual([pending]);

      const vm = restoreVm(storage);
      expect(vm.height).toBe(head.height);
      expect(vm.stateRoot()).toEqual(new Uint8Array(header.stateRoot));
      expect(vm.withdrawalsRoot()).toEqual(new Uint8Array(header.withdrawalsRoot));

      // The restored VM executes the rest of the chain exactly as the original did.
      for (const p of produced.slice(stopAt)) {
        const result = vm.applyBlock(executionBlock(p.block), { verifySignatures: true });
        expect(result.stateRoot).toEqual(p.result.stateRoot);
        expect(result.withdrawalsRoot).toEqual(p.result.withdrawalsRoot);
        expect(result.receipts.map(plainReceipt)).toEqual(p.result.receipts.map(plainReceipt));
        await storage.commitBlock({
          block: p.block,
          receipts: result.receipts,
          changes: result.changes,
          withdrawals: result.withdrawals,
          events: result.events,
        });
      }
      await storage.close();

      // And once more from what the restored VM committed.
      storage = open(path);
      const last = produced.at(-1)!;
      expect(storage.meta.headHeight()).toBe(last.block.header.height);
      const again = restoreVm(storage);
      expect(again.stateRoot()).toEqual(new Uint8Array(last.result.stateRoot));
      expect(again.withdrawalsRoot()).toEqual(new Uint8Array(last.result.withdrawalsRoot));
      expect(again.account(chain.users[1]!.publicKey)).toEqual(chain.vm.account(chain.users[1]!.publicKey));
      for (const p of produced) {
        for (const tx of p.block.transactions) expect(storage.receipts.get(transactionId(tx))).toBeDefined();
      }
    });
  }

  it('the stored blocks alone replay to the same roots (block sync from genesis)', async () => {
    const path = tempDir();
    const chain = new TestChain();
    let storage = open(path);
    await storage.initGenesis(chain.genesis);
    for (const p of produceScenario(chain, 10)) await storage.commitBlock(p.commit);
    await storage.close();

    storage = open(path);
    const vm = new CurveVM(storage.meta.genesis()!);
    for (const block of storage.blocks.range(1n, storage.meta.headHeight())) {
      const result = vm.applyBlock(executionBlock(block), { verifySignatures: true });
      expect(result.stateRoot).toEqual(new Uint8Array(block.header.stateRoot));
      expect(result.withdrawalsRoot).toEqual(new Uint8Array(block.header.withdrawalsRoot));
    }
    expect(vm.height).toBe(10n);
  });
});
