/**
 * Persistence: BlockResult.changes and .withdrawals written to a store the way the node does
 * (a key-value map; a null value deletes), CurveVM.restore from that store at random heights,
 * then the original and every restored VM run the same blocks: identical roots, receipts,
 * block events and records after every block. Restoring inside a sealed window (escrowed
 * bids, a clearing still due) is covered explicitly, and so are corrupt stores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WithdrawalLeaf } from '../../src/state/index.ts';
import {
  type Block,
  type BlockResult,
  CurveVM,
  encodeRecord,
  RECORD_TAGS,
  RestoreError,
} from '../../src/vm/index.ts';
import { GENESIS, launchSpecs, type Model, type OpSpec, opSpec, resolve, USERS } from './generators.ts';
import { hex, TestChain } from './helpers.ts';

/** What a node's storage holds: the records by key, and the withdrawals in order. */
class Store {
  readonly records = new Map<string, [Uint8Array, Uint8Array]>();
  readonly withdrawals: WithdrawalLeaf[] = [];

  write(result: BlockResult): void {
    for (const [key, value] of result.changes) {
      // A store keeps its own bytes (and the VM must not depend on keeping them).
      if (value === null) this.records.delete(hex(key));
      else this.records.set(hex(key), [key.slice(), value.slice()]);
    }
    this.withdrawals.push(...result.withdrawals.map((w) => ({ ...w, l1Recipient: w.l1Recipient.slice() })));
  }

  restore(): CurveVM {
    return CurveVM.restore(GENESIS, this.records.values(), this.withdrawals);
  }
}

/** Plain data: bigints and byte arrays (Buffer or Uint8Array alike) as strings. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_, v) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (v?.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('hex');
      return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
    }),
  );
}

/** Everything observable about a VM's state, order-free. */
function observe(vm: CurveVM): unknown {
  const view = vm.audit();
  const sorted = (map: ReadonlyMap<string, unknown>) =>
    plain([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    stateRoot: hex(vm.stateRoot()),
    withdrawalsRoot: hex(vm.withdrawalsRoot()),
    height: vm.height,
    timestamp: vm.timestamp,
    config: plain(view.config),
    chain: plain(view.chain),
    accounts: sorted(view.accounts),
    holdings: sorted(view.holdings),
    curves: sorted(view.curves),
    lp: sorted(view.lp),
    escrows: sorted(view.escrows),
    deposits: sorted(view.deposits),
  };
}

interface BlockSpec {
  readonly specs: readonly OpSpec[];
  readonly gapMs: bigint;
}

const blockSpec: fc.Arbitrary<BlockSpec> = fc.record({
  specs: fc.array(opSpec, { maxLength: 8 }),
  gapMs: fc.constantFrom(0n, 0n, 0n, 3_600_000n),
});

/**
 * Runs `blocks` on a chain, persisting every result; at each height in `restoreAt` a VM is
 * restored from the store and from then on runs the same blocks. After every block all VMs
 * must agree on the result and on every record.
 */
function runWithRestores(
  blocks: readonly BlockSpec[],
  restoreAt: ReadonlySet<number>,
): { restores: number; results: BlockResult[]; escrows: number[] } {
  const results: BlockResult[] = [];
  const escrows: number[] = [];
  const chain = new TestChain(GENESIS);
  const model: Model = { nonces: new Map(), depositSeq: 0n, curves: [] };
  const store = new Store();
  const restored: CurveVM[] = [];
  let restores = 0;
  for (const [i, { specs, gapMs }] of [{ specs: launchSpecs(), gapMs: 0n }, ...blocks].entries()) {
    const ops = specs.map((s) => resolve(s, model, chain.vm));
    chain.blockTime = 250n + gapMs;
    const result = chain.block(ops);
    const block: Block = chain.blocks.at(-1)!;
    for (const r of result.receipts) {
      for (const e of r.events) if (e.type === 'curve_created') model.curves.push(e.curve);
    }
    for (const vm of restored) {
      expect(plain(vm.applyBlock(block, { verifySignatures: false }))).toEqual(plain(result));
    }
    store.write(result);
    if (restoreAt.has(i + 1)) {
      restored.push(store.restore());
      restores++;
    }
    const expected = observe(chain.vm);
    for (const vm of restored) expect(observe(vm)).toEqual(expected);
    results.push(result);
    escrows.push(chain.vm.audit().escrows.size);
  }
  return { restores, results, escrows };
}

describe('CurveVM persistence', () => {
  it('BlockResult.changes are exactly what the tree received; withdrawals what was appended', () => {
    const chain = new TestChain(GENESIS);
    const model: Model = { nonces: new Map(), depositSeq: 0n, curves: [] };
    const launch = chain.block(launchSpecs().map((s) => resolve(s, model, chain.vm)));
    // Five curves and their templates, five creators' nonces, the chain record.
    const tags = launch.changes.map(([key]) => key[0]);
    expect(tags.filter((t) => t === RECORD_TAGS.curve)).toHaveLength(5);
    expect(tags.filter((t) => t === RECORD_TAGS.template)).toHaveLength(5);
    expect(tags.filter((t) => t === RECORD_TAGS.account)).toHaveLength(5);
    expect(tags.filter((t) => t === RECORD_TAGS.chain)).toHaveLength(1);
    const chainChange = launch.changes.find(([key]) => key[0] === RECORD_TAGS.chain)!;
    expect(chainChange[1]).toEqual(encodeRecord('chain', chain.vm.chain));
    expect(launch.withdrawals).toEqual([]);
    const withdraw = chain.block([
      [USERS[7]!, { op: 'withdraw', l1Recipient: USERS[8]!, lamports: 5n }],
      [USERS[8]!, { op: 'withdraw', l1Recipient: USERS[9]!, lamports: 6n }],
    ]);
    expect(withdraw.withdrawals.map((w) => [w.index, w.lamports])).toEqual([
      [0n, 5n],
      [1n, 6n],
    ]);
  });

  it('restored at random heights, VMs run on identically (roots, receipts, records)', () => {
    let restores = 0;
    fc.assert(
      fc.property(
        fc.array(blockSpec, { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(fc.nat(31), { minLength: 1, maxLength: 4 }),
        (blocks, heights) => {
          const at = new Set(heights.map((h) => h % (blocks.length + 1)));
          restores += runWithRestores(blocks, at).restores;
        },
      ),
      { numRuns: 60 },
    );
    expect(restores).toBeGreaterThan(60);
  });

  it('restoring inside a sealed window: escrowed bids clear identically', () => {
    // Every test launch with a window (1–3 blocks) is sealed after block 1; bids go in at 2.
    const bids: BlockSpec = {
      specs: [0, 1, 2, 3, 4].flatMap((sender) =>
        [0, 2, 4].map((curve) => ({
          kind: 'buyBudget' as const,
          sender,
          other: 0,
          curve,
          frac: 50,
          frac2: 0,
          edge: 0n,
          useEdge: false,
        })),
      ),
      gapMs: 0n,
    };
    const later: BlockSpec = { specs: [], gapMs: 0n };
    // Restore after the launch, after the bids, and at every height of the windows.
    const run = runWithRestores([bids, later, later, later, bids, later], new Set([1, 2, 3, 4, 5]));
    expect(run.restores).toBe(5);
    // The windows were really open then: bids escrowed at height 2, still escrowed at 2 and 3,
    // and the three clearings ran in later blocks.
    const events = (r: BlockResult) => [...r.events, ...r.receipts.flatMap((x) => x.events)];
    expect(events(run.results[1]!).filter((e) => e.type === 'escrowed').length).toBeGreaterThan(10);
    expect(run.escrows[1]).toBeGreaterThan(0);
    expect(run.escrows[2]).toBeGreaterThan(0);
    expect(run.results.flatMap(events).filter((e) => e.type === 'sealed_cleared')).toHaveLength(3);
  });

  it('a restored VM of the genesis alone is the genesis VM', () => {
    const vm = CurveVM.restore(GENESIS, [], []);
    expect(observe(vm)).toEqual(observe(new CurveVM(GENESIS)));
  });

  it('rejects stores that cannot be this chain', () => {
    const chain = new TestChain(GENESIS);
    const model: Model = { nonces: new Map(), depositSeq: 0n, curves: [] };
    const store = new Store();
    store.write(chain.block(launchSpecs().map((s) => resolve(s, model, chain.vm))));
    store.write(chain.block([[USERS[7]!, { op: 'withdraw', l1Recipient: USERS[8]!, lamports: 5n }]]));
    const records = [...store.records.values()];
    const restore =
      (entries: [Uint8Array, Uint8Array][], withdrawals = store.withdrawals) =>
      () =>
        CurveVM.restore(GENESIS, entries, withdrawals);
    expect(restore(records)().stateRoot()).toEqual(chain.vm.stateRoot());
    // A key of no record kind, or of the wrong length for its kind.
    expect(restore([...records, [new Uint8Array([99, 1]), new Uint8Array(1)]])).toThrow(RestoreError);
    expect(restore([...records, [new Uint8Array([RECORD_TAGS.account, 1]), new Uint8Array(16)]])).toThrow(
      RestoreError,
    );
    // A value that does not decode, or not canonically (trailing byte).
    const [accountKey, accountValue] = records.find(([k]) => k[0] === RECORD_TAGS.account)!;
    expect(restore([...records, [accountKey, accountValue.subarray(1)]])).toThrow(RestoreError);
    expect(restore([...records, [accountKey, new Uint8Array([...accountValue, 0])]])).toThrow(RestoreError);
    // Another genesis's config.
    const other = { ...GENESIS, chainId: GENESIS.chainId + 1 };
    const config = encodeRecord('config', new CurveVM(other).config);
    expect(restore([...records, [new Uint8Array([RECORD_TAGS.config]), config]])).toThrow(RestoreError);
    // Withdrawals missing or out of order.
    expect(restore(records, [])).toThrow(RestoreError);
    expect(restore(records, [{ ...store.withdrawals[0]!, index: 1n }])).toThrow(RestoreError);
    // A curve without its template.
    expect(restore(records.filter(([k]) => k[0] !== RECORD_TAGS.template))).toThrow(RestoreError);
    // A record missing: another root.
    expect(hex(restore(records.filter(([k]) => k !== accountKey))().stateRoot())).not.toBe(
      hex(chain.vm.stateRoot()),
    );
  });
});
