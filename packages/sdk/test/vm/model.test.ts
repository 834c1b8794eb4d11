/**
 * Model-based random testing of CurveVM (fast-check commands): blocks of random operations
 * from many senders over random curves (every shape, sealed windows, both migration
 * triggers), including failing and hostile ones. After every block: conservation of lamports
 * and tokens, nonces, X·Y on constant-product curves and x·y per LP share² in pools never
 * decrease, failed transactions leave no trace but their nonce. At the end the same blocks
 * replayed from genesis give the same roots.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/index.ts';
import type { Bytes32 } from '../../src/tx/types.ts';
import { type CurveRecord, CurveVM, checkConservation } from '../../src/vm/index.ts';
import { keyOf } from '../../src/vm/keys.ts';
import {
  CREATE,
  GENESIS,
  launchSpecs,
  type Model,
  type OpSpec,
  opSpec,
  resolve,
  SENDERS,
  USERS,
} from './generators.ts';
import { hex, TestChain } from './helpers.ts';

interface Real {
  chain: TestChain;
  roots: Uint8Array[];
}

/** What the runs did, by outcome (printed with VM_STATS=1, VM_STATS=2 adds the messages). */
const STATS = new Map<string, number>();
/** X·Y of constant-product curves, and for pools the pair (x·y, S) to compare per share². */
function products(vm: CurveVM): Map<string, { cp: bigint | null; pool: [bigint, bigint] | null }> {
  const out = new Map<string, { cp: bigint | null; pool: [bigint, bigint] | null }>();
  const view = vm.audit();
  for (const [key, c] of view.curves) {
    const cp = view.runtime(key).model.kind === 'constant_product' ? c.state.quote * c.state.tokens : null;
    out.set(key, { cp, pool: c.pool ? [c.pool.x * c.pool.y, c.pool.shares] : null });
  }
  return out;
}

/** Every record reference except the ones a failed transaction may touch (its nonce, the clock). */
function snapshotOf(vm: CurveVM, sender: Bytes32): Map<string, unknown> {
  const view = vm.audit();
  const out = new Map<string, unknown>();
  const senderKey = keyOf(sender);
  for (const [name, map] of Object.entries({
    accounts: view.accounts,
    holdings: view.holdings,
    curves: view.curves,
    lp: view.lp,
    escrows: view.escrows,
    deposits: view.deposits,
  })) {
    for (const [k, v] of map as ReadonlyMap<string, unknown>) {
      if (name === 'accounts' && k === senderKey) continue;
      out.set(`${name}/${k}`, v);
    }
  }
  return out;
}

class BlockCommand implements fc.Command<Model, Real> {
  constructor(
    readonly specs: readonly OpSpec[],
    readonly gapMs: bigint,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const { chain } = real;
    const vm = chain.vm;
    const ops = this.specs.map((s) => resolve(s, model, vm));
    const before = products(vm);
    const beforeAccount = ops.length === 1 ? vm.account(ops[0]![0]) : null;
    const snapshot = ops.length === 1 ? snapshotOf(vm, ops[0]![0]) : null;
    const curvesBefore = new Map<string, CurveRecord>(vm.audit().curves);
    chain.blockTime = 250n + this.gapMs;
    const result = chain.block(ops);
    real.roots.push(result.stateRoot);
    for (const r of result.receipts) {
      const k =
        r.status === 'ok'
          ? `ok:${r.events.map((e) => e.type).join('+')}`
          : `fail:${r.error}${process.env.VM_STATS === '2' ? `:${ops[r.index]![1].op}:${r.message?.replace(/[0-9]+/g, 'n')}` : ''}`;
      STATS.set(k, (STATS.get(k) ?? 0) + 1);
    }
    for (const e of result.events) STATS.set(`block:${e.type}`, (STATS.get(`block:${e.type}`) ?? 0) + 1);

    for (const [sender] of ops) {
      const key = hex(sender);
      model.nonces.set(key, (model.nonces.get(key) ?? 0n) + 1n);
    }
    for (const sender of SENDERS) expect(vm.nextNonce(sender)).toBe(model.nonces.get(hex(sender)) ?? 0n);

    for (const receipt of result.receipts) {
      if (receipt.status === 'failed') {
        expect(receipt.events).toEqual([]);
        expect(ERROR_CODES[receipt.error!]).toBeGreaterThanOrEqual(1000);
        expect(ERROR_CODES[receipt.error!]).toBeLessThan(6000);
        expect(ERROR_CODES[receipt.error!] >= 4000 && ERROR_CODES[receipt.error!] < 5000).toBe(false);
      }
      for (const e of receipt.events) if (e.type === 'curve_created') model.curves.push(e.curve);
    }
    // A lone failed transaction with no clearing in its block changed nothing but its nonce.
    const only = result.receipts[0];
    if (snapshot && beforeAccount && only?.status === 'failed' && result.events.length === 0) {
      expect(snapshotOf(vm, ops[0]![0])).toEqual(snapshot);
      for (const [k, v] of snapshot) expect(snapshotOf(vm, ops[0]![0]).get(k)).toBe(v);
      expect(vm.account(ops[0]![0])).toEqual({ ...beforeAccount, nonce: beforeAccount.nonce + 1n });
    }

    const report = checkConservation(vm);
    expect(report.violations).toEqual([]);
    const after = products(vm);
    for (const [key, b] of before) {
      const a = after.get(key)!;
      if (b.cp !== null && a.cp !== null) expect(a.cp).toBeGreaterThanOrEqual(b.cp);
      if (b.pool && a.pool) {
        // x·y per share² never decreases: x'y'·S² ≥ xy·S'² (swaps raise x·y; ceil takes, floor pays).
        expect(a.pool[0] * b.pool[1] * b.pool[1]).toBeGreaterThanOrEqual(b.pool[0] * a.pool[1] * a.pool[1]);
      }
    }
    // Sold never passes a `sold` threshold; phases only move forward.
    const order = ['sealed', 'trading', 'migration_pending', 'migrated'];
    for (const [key, c] of vm.audit().curves) {
      const runtime = vm.audit().runtime(key);
      const m = runtime.migration;
      if (m?.trigger === 'sold') expect(c.state.sold).toBeLessThanOrEqual(m.threshold);
      const previous = curvesBefore.get(key);
      if (previous) expect(order.indexOf(c.phase)).toBeGreaterThanOrEqual(order.indexOf(previous.phase));
    }
  }
  toString(): string {
    return `block(${this.specs.map((s) => s.kind).join(',')}${this.gapMs > 0n ? ` +${this.gapMs}ms` : ''})`;
  }
}

const blockCommand = fc
  .tuple(
    fc.array(opSpec, { minLength: 0, maxLength: 6 }),
    fc.constantFrom(0n, 0n, 0n, 3_600_000n, 86_400_000n),
  )
  .map(([specs, gap]) => new BlockCommand(specs, gap));
const loneCommand = fc
  .tuple(opSpec, fc.constant(0n))
  .map(([spec, gap]) => new BlockCommand([spec], gap) as fc.Command<Model, Real>);
/** A burst that creates curves and buys hard, so that migrations happen. */
const rushCommand = fc.nat(4).map(
  (template) =>
    new BlockCommand(
      [
        { ...CREATE, sender: 1, curve: template },
        ...USERS.slice(0, 5).map((_, i) => ({
          kind: 'buyBudget' as const,
          sender: i,
          other: 0,
          curve: 99,
          frac: 400,
          frac2: 0,
          edge: 0n,
          useEdge: false,
        })),
      ],
      0n,
    ),
);

describe('CurveVM model-based', () => {
  it('conserves lamports and tokens, keeps invariants and replays to the same roots', () => {
    fc.assert(
      fc.property(
        fc.commands([blockCommand, blockCommand, blockCommand, loneCommand, rushCommand], {
          maxCommands: 60,
          size: 'medium',
        }),
        (commands) => {
          const model: Model = { nonces: new Map(), depositSeq: 0n, curves: [] };
          const real: Real = { chain: new TestChain(GENESIS), roots: [] };
          // Every test launch exists from block 1 (creators USERS[0..4]); random ones follow.
          new BlockCommand(launchSpecs(), 0n).run(model, real);
          fc.modelRun(() => ({ model, real }), commands);
          // Determinism: the same blocks from genesis give the same roots, block by block.
          const replay = new CurveVM(GENESIS);
          real.chain.blocks.forEach((block, i) => {
            const result = replay.applyBlock(block, { verifySignatures: false });
            expect(hex(result.stateRoot)).toBe(hex(real.roots[i]!));
          });
          expect(hex(replay.withdrawalsRoot())).toBe(hex(real.chain.vm.withdrawalsRoot()));
        },
      ),
      { numRuns: 100 },
    );
    if (process.env.VM_STATS) console.log([...STATS].sort());
    // The runs did reach every corner (each of these is seen dozens of times in 100 runs).
    for (const seen of [
      'block:sealed_cleared',
      'ok:migrated',
      'ok:swapped',
      'ok:sold',
      'ok:liquidity_removed',
      'ok:claimed',
      'ok:withdrawn',
      'ok:deposited',
      'ok:escrowed',
      'fail:MIGRATION_PENDING',
      'fail:SEALED_WINDOW',
      'fail:SLIPPAGE_EXCEEDED',
    ]) {
      expect(
        [...STATS.keys()].some((k) => k.startsWith(seen)),
        seen,
      ).toBe(true);
    }
  });
});
