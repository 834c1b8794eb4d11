/**
 * Random operations for model-based VM tests (model.test.ts, persistence.test.ts,
 * roots.test.ts): what an operation is (an `OpSpec`: kind, sender, amounts as fractions of
 * what the sender holds, u64 edges), a fast-check arbitrary for it, a seeded generator that
 * does not depend on fast-check (for pinned scenarios), and `resolve`, which turns a spec into
 * a concrete operation against the VM's current state (mostly valid, some failing, a few
 * hostile).
 */
import fc from 'fast-check';
import { U64_MAX } from '../../src/curvescript/template.ts';
import type { Bytes32, Operation } from '../../src/tx/types.ts';
import type { CurveVM } from '../../src/vm/index.ts';
import { address, BRIDGE, genesisOf, PROTOCOL, SOL } from './helpers.ts';
import { TEST_TEMPLATES } from './templates.ts';

export const USERS = Array.from({ length: 10 }, (_, i) => address(i));
export const SENDERS = [...USERS, PROTOCOL, BRIDGE];
export const GENESIS = genesisOf(USERS.map((u) => [u, 200n * SOL] as const));

export const KINDS = [
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
export type Kind = (typeof KINDS)[number][0];

export interface OpSpec {
  readonly kind: Kind;
  readonly sender: number;
  readonly other: number;
  readonly curve: number;
  readonly frac: number;
  readonly frac2: number;
  readonly edge: bigint;
  readonly useEdge: boolean;
}

export const opSpec: fc.Arbitrary<OpSpec> = fc.record({
  kind: fc.oneof(...KINDS.map(([k, weight]) => ({ arbitrary: fc.constant(k as Kind), weight }))),
  sender: fc.nat(SENDERS.length - 1),
  other: fc.nat(USERS.length - 1),
  curve: fc.nat(15),
  frac: fc.integer({ min: 0, max: 1000 }),
  frac2: fc.integer({ min: 0, max: 1000 }),
  edge: fc.constantFrom(0n, 1n, U64_MAX, U64_MAX - 1n, 1n << 63n, 2n),
  useEdge: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

export interface Model {
  nonces: Map<string, bigint>;
  depositSeq: bigint;
  curves: Bytes32[];
}

export const frac = (amount: bigint, f: number) => (amount * BigInt(f)) / 1000n;
export const UNKNOWN_CURVE = new Uint8Array(32).fill(0xee);

export function resolve(spec: OpSpec, model: Model, vm: CurveVM): [Bytes32, Operation] {
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

/** A CREATE_CURVE of template `curve` by sender `sender` (override with spread). */
export const CREATE: OpSpec = {
  kind: 'create',
  sender: 0,
  other: 0,
  curve: 0,
  frac: 0,
  frac2: 0,
  edge: 0n,
  useEdge: false,
};

const EDGES = [0n, 1n, U64_MAX, U64_MAX - 1n, 1n << 63n, 2n] as const;
const TOTAL_WEIGHT = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

/**
 * A spec from a seeded uint32 source, with the distribution of `opSpec`: pinned scenarios use
 * it so that they do not depend on how fast-check draws values.
 */
export function seededSpec(next: () => number): OpSpec {
  let pick = next() % TOTAL_WEIGHT;
  let kind: Kind = KINDS[0][0];
  for (const [k, weight] of KINDS) {
    if (pick < weight) {
      kind = k;
      break;
    }
    pick -= weight;
  }
  return {
    kind,
    sender: next() % SENDERS.length,
    other: next() % USERS.length,
    curve: next() % 16,
    frac: next() % 1001,
    frac2: next() % 1001,
    edge: EDGES[next() % EDGES.length]!,
    useEdge: next() % 10 === 0,
  };
}

/** The specs of block 1 of every scenario: each test template launched (creators USERS[0..4]). */
export function launchSpecs(): OpSpec[] {
  return TEST_TEMPLATES.map((_, i) => ({ ...CREATE, sender: i, curve: i }));
}

/** mulberry32: a tiny seeded uint32 source for pinned scenarios. */
export function seededUint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
