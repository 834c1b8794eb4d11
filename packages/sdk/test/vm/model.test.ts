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
import { U64_MAX } from '../../src/curvescript/template.ts';
import { ERROR_CODES } from '../../src/errors/index.ts';
import type { Bytes32, Operation } from '../../src/tx/types.ts';
import { type CurveRecord, CurveVM, checkConservation } from '../../src/vm/index.ts';
import { keyOf } from '../../src/vm/keys.ts';
import { address, BRIDGE, genesisOf, hex, PROTOCOL, SOL, TestChain } from './helpers.ts';
import { TEST_TEMPLATES } from './templates.ts';

const USERS = Array.from({ length: 10 }, (_, i) => address(i));
const SENDERS = [...USERS, PROTOCOL, BRIDGE];
const GENESIS = genesisOf(USERS.map((u) => [u, 200n * SOL] as const));

const KINDS = [
  ['create', 2],
  ['buyBudget', 10],
  ['buyExact', 6],
  ['sell', 8],
  ['transfer', 2],
  ['transferToken', 2],
  ['addLiquidity', 2],
  ['removeLiquidity', 2],
  ['migrate', 3],
  ['claim', 2],
  ['withdraw', 1],
  ['deposit', 1],
  ['hostile', 2],
] as const;
type Kind = (typeof KINDS)[number][0];

interface OpSpec {
  readonly kind: Kind;
  readonly sender: number;
  readonly other: number;
  readonly curve: number;
  readonly frac: number;
  readonly frac2: number;
  readonly edge: bigint;
  readonly useEdge: boolean;
}

const opSpec: fc.Arbitrary<OpSpec> = fc.record({
  kind: fc.oneof(...KINDS.map(([k, weight]) => ({ arbitrary: fc.constant(k as Kind), weight }))),
  sender: fc.nat(SENDERS.length - 1),
  other: fc.nat(USERS.length - 1),
  curve: fc.nat(15),
  frac: fc.integer({ min: 0, max: 1000 }),
  frac2: fc.integer({ min: 0, max: 1000 }),
  edge: fc.constantFrom(0n, 1n, U64_MAX, U64_MAX - 1n, 1n << 63n, 2n),
  useEdge: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

interface Model {
  nonces: Map<string, bigint>;
  depositSeq: bigint;
  curves: Bytes32[];
}

interface Real {
  chain: TestChain;
  roots: Uint8Array[];
}

/** What the runs did, by outcome (printed with VM_STATS=1, VM_STATS=2 adds the messages). */
const STATS = new Map<string, number>();
const frac = (amount: bigint, f: number) => (amount * BigInt(f)) / 1000n;
const UNKNOWN_CURVE = new Uint8Array(32).fill(0xee);

function resolve(spec: OpSpec, model: Model, vm: CurveVM): [Bytes32, Operation] {
  const other = USERS[spec.other]!;
  const curve =
    model.curves.length === 0 || spec.curve === 15
      ? UNKNOWN_CURVE
      : spec.curve >= 99
        ? model.curves.at(-1)!
        : model.curves[spec.curve % model.curves.length]!;
  const record = vm.curve(curve);
  // Token operations mostly come from someone holding the token (or LP shares).
  const holderOf = (has: (u: Bytes32) => boolean): Bytes32 => {
    if (spec.frac2 < 100) return SENDERS[spec.sender]!;
    for (let i = 0; i < USERS.length; i++) {
      const u = USERS[(spec.sender + i) % USERS.length]!;
      if (has(u)) return u;
    }
    return SENDERS[spec.sender]!;
  };
  const sender =
    spec.kind === 'sell' || spec.kind === 'transferToken' || (spec.kind === 'addLiquidity' && record?.pool)
      ? holderOf((u) => vm.holding(u, curve).amount > 0n)
      : spec.kind === 'removeLiquidity'
        ? holderOf((u) => vm.lpShares(u, curve) > 0n)
        : SENDERS[spec.sender]!;
  const lamports = vm.account(sender).lamports;
  const held = vm.holding(sender, curve).amount;
  const pick = (normal: bigint) => (spec.useEdge ? spec.edge : normal);
  switch (spec.kind) {
    case 'create':
      return [sender, { op: 'create_curve', template: TEST_TEMPLATES[spec.curve % TEST_TEMPLATES.length]! }];
    case 'buyBudget':
      return [
        sender,
        {
          op: 'buy',
          curve,
          order: {
            kind: 'budget',
            lamports: pick(frac(lamports, spec.frac)),
            minTokens: frac(1000n, spec.frac2),
          },
        },
      ];
    case 'buyExact': {
      const left = record ? vm.curveRuntime(curve)!.sell - record.state.sold : 10n ** 12n;
      const tokens = pick(frac(left, spec.frac) / 4n);
      return [
        sender,
        { op: 'buy', curve, order: { kind: 'exact_tokens', tokens, maxTotal: frac(lamports, spec.frac2) } },
      ];
    }
    case 'sell':
      return [
        sender,
        { op: 'sell', curve, tokens: pick(frac(held, spec.frac)), minOut: frac(1000n, spec.frac2) },
      ];
    case 'transfer':
      return [
        sender,
        { op: 'transfer', to: other, asset: { kind: 'lamports' }, amount: pick(frac(lamports, spec.frac)) },
      ];
    case 'transferToken':
      return [
        sender,
        { op: 'transfer', to: other, asset: { kind: 'token', curve }, amount: pick(frac(held, spec.frac)) },
      ];
    case 'addLiquidity':
      return [
        sender,
        {
          op: 'add_liquidity',
          curve,
          lamports: pick(frac(lamports, spec.frac) / 4n),
          tokens: record?.phase === 'migrated' ? frac(held, spec.frac2) : spec.frac2 < 100 ? 1n : 0n,
          minShares: 0n,
        },
      ];
    case 'removeLiquidity':
      return [
        sender,
        {
          op: 'remove_liquidity',
          curve,
          shares: pick(frac(vm.lpShares(sender, curve), spec.frac)),
          minLamports: 0n,
          minTokens: frac(10n, spec.frac2),
        },
      ];
    case 'migrate': {
      // Mostly a curve that is waiting for it.
      const waiting = model.curves.filter((c) => vm.curve(c)?.phase === 'migration_pending');
      const target = waiting.length > 0 && spec.frac2 >= 200 ? waiting[spec.curve % waiting.length]! : curve;
      return [sender, { op: 'migrate_to_amm', curve: target }];
    }
    case 'claim':
      return [record && spec.frac < 700 ? record.creator : sender, { op: 'claim', curve }];
    case 'withdraw':
      return [sender, { op: 'withdraw', l1Recipient: other, lamports: pick(frac(lamports, spec.frac)) }];
    case 'deposit': {
      // Mostly the bridge with a fresh sequence number; sometimes a replay or an outsider.
      const replay = spec.frac2 < 150 && model.depositSeq > 0n;
      const seq = replay ? BigInt(spec.frac2) % model.depositSeq : model.depositSeq;
      if (!replay && spec.frac2 >= 300) model.depositSeq++;
      return [
        spec.frac2 >= 300 ? BRIDGE : sender,
        { op: 'deposit', depositSeq: seq, recipient: other, lamports: pick(BigInt(spec.frac) * SOL) },
      ];
    }
    case 'hostile': {
      const ops: Operation[] = [
        { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: U64_MAX, maxTotal: U64_MAX } },
        { op: 'buy', curve, order: { kind: 'budget', lamports: U64_MAX, minTokens: 0n } },
        { op: 'sell', curve, tokens: U64_MAX, minOut: 0n },
        { op: 'transfer', to: other, asset: { kind: 'lamports' }, amount: U64_MAX },
        { op: 'transfer', to: sender, asset: { kind: 'lamports' }, amount: 1n },
        { op: 'deposit', depositSeq: U64_MAX, recipient: other, lamports: U64_MAX },
        { op: 'add_liquidity', curve, lamports: U64_MAX, tokens: U64_MAX, minShares: U64_MAX },
        { op: 'remove_liquidity', curve, shares: U64_MAX, minLamports: 0n, minTokens: 0n },
        { op: 'create_curve', template: new Uint8Array([0x41, 0x4c, 0x32, 0x54, 1, 0xff]) },
        { op: 'withdraw', l1Recipient: other, lamports: U64_MAX },
      ];
      return [sender, ops[spec.frac % ops.length]!];
    }
  }
}

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

const CREATE: OpSpec = {
  kind: 'create',
  sender: 0,
  other: 0,
  curve: 0,
  frac: 0,
  frac2: 0,
  edge: 0n,
  useEdge: false,
};

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
          new BlockCommand(
            TEST_TEMPLATES.map((_, i) => ({ ...CREATE, sender: i, curve: i })),
            0n,
          ).run(model, real);
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
