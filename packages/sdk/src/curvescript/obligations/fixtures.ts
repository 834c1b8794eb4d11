/** Example templates of every shape (tests of the obligations and the prover). */
import type { Curve, CurveTemplate, ExponentialCurve, Migration, SigmoidCurve } from '../template.ts';

const TOKEN = 1_000_000n; // decimals 6
const SOL = 1_000_000_000n;

export const tokens = (n: bigint | number): bigint => BigInt(n) * TOKEN;

export function template(curve: Curve, extra: Partial<CurveTemplate> = {}): CurveTemplate {
  return {
    name: 'Example',
    symbol: 'EXMPL',
    decimals: 6,
    supply: tokens(1_000_000_000),
    creatorAllocation: 0n,
    vestSeconds: 0,
    cliffSeconds: 0,
    curve,
    feeBps: 100,
    feeSplitCreatorBps: 0,
    reserveFloorBps: 0,
    sealedBlocks: 0,
    maxBuy: null,
    migration: null,
    ...extra,
  };
}

export const soldMigration = (n: bigint, extra: Partial<Migration> = {}): Migration => ({
  trigger: 'sold',
  threshold: n,
  ammFeeBps: 25,
  migrationFee: 0n,
  lp: 'burn',
  ...extra,
});

export const raisedMigration = (lamports: bigint, extra: Partial<Migration> = {}): Migration => ({
  trigger: 'raised',
  threshold: lamports,
  ammFeeBps: 25,
  migrationFee: 0n,
  lp: 'burn',
  ...extra,
});

/** pump.fun: 30 SOL virtual quote, 1_073_000_000 virtual tokens, 793_100_000 for sale. */
export const pump = template(
  {
    kind: 'constant_product',
    virtualQuote: 30n * SOL,
    virtualTokens: tokens(1_073_000_000),
    sell: tokens(793_100_000),
  },
  { reserveFloorBps: 2_000, migration: soldMigration(tokens(793_100_000)) },
);

export const linear = template(
  { kind: 'linear', startPrice: 1_000n, endPrice: 50_000n, sell: tokens(800_000_000) },
  { reserveFloorBps: 2_000, migration: raisedMigration(1_000n * SOL, { migrationFee: SOL }) },
);

export const exponential = template(
  {
    kind: 'exponential',
    startPrice: 100n,
    growthBps: 50,
    stepTokens: tokens(1_000_000),
    sell: tokens(500_000_000),
  },
  { reserveFloorBps: 2_000, migration: soldMigration(tokens(500_000_000)) },
);

export const sigmoid = template(
  {
    kind: 'sigmoid',
    minPrice: 100n,
    maxPrice: 100_000n,
    midpoint: tokens(400_000_000),
    width: tokens(80_000_000),
    sell: tokens(800_000_000),
  },
  { reserveFloorBps: 1_000, migration: raisedMigration(10_000n * SOL) },
);

export const piecewise = template(
  {
    kind: 'piecewise',
    segments: [
      { fromPrice: 1_000n, toPrice: 5_000n, until: tokens(200_000_000) },
      { fromPrice: 5_000n, toPrice: 60_000n, until: tokens(800_000_000) },
    ],
  },
  {
    reserveFloorBps: 2_000,
    creatorAllocation: tokens(50_000_000),
    migration: soldMigration(tokens(800_000_000)),
  },
);

export const EXAMPLES = { pump, linear, exponential, sigmoid, piecewise } as const;

export interface Refutation {
  readonly name: string;
  readonly template: CurveTemplate;
  /** The obligation that must fail, and the check evaluate() reports first. */
  readonly obligation: string;
  readonly check: string;
  /** validateTemplate rejects it too (the obligation must still fail on its own). */
  readonly structural?: boolean;
}

const lin0 = (k: number): CurveTemplate => ({
  ...linear,
  reserveFloorBps: k,
  migration: null,
  curve: { kind: 'linear', startPrice: 0n, endPrice: 50_000n, sell: tokens(800_000_000) },
});

/** Templates that are structurally valid but break one obligation each. */
export const REFUTATIONS: readonly Refutation[] = [
  // pump.fun's ratio ends near 26%: a 30% floor cannot hold.
  {
    name: 'cp floor 30%',
    template: { ...pump, reserveFloorBps: 3_000 },
    obligation: 'reserve_floor',
    check: 'floor_at_sell',
  },
  {
    name: 'sold threshold above sell',
    template: { ...pump, migration: soldMigration(tokens(800_000_000)) },
    obligation: 'migration_reachable',
    check: 'threshold_within_sale',
  },
  {
    name: 'raised more than the curve can raise',
    template: { ...linear, migration: raisedMigration(100_000n * SOL) },
    obligation: 'migration_reachable',
    check: 'threshold_within_vault',
  },
  {
    name: 'sell = supply leaves no tokens for the pool',
    template: template(
      { kind: 'linear', startPrice: 1_000n, endPrice: 2_000n, sell: tokens(1_000_000_000) },
      { migration: soldMigration(tokens(1_000_000_000)) },
    ),
    obligation: 'migration_pool_nonempty',
    check: 'pool_tokens_positive',
  },
  {
    name: 'migration fee takes the whole vault',
    template: { ...linear, migration: raisedMigration(1_000n * SOL, { migrationFee: 1_000n * SOL }) },
    obligation: 'migration_pool_nonempty',
    check: 'pool_quote_positive',
  },
  {
    name: '1000 LP shares or fewer',
    template: template(
      { kind: 'linear', startPrice: 1n, endPrice: 1n, sell: 1_000n },
      { supply: 2_000n, migration: soldMigration(1_000n) },
    ),
    obligation: 'migration_pool_nonempty',
    check: 'lp_shares_above_locked',
  },
  {
    name: 'linear reserve target beyond u64',
    template: {
      ...linear,
      curve: { kind: 'linear', startPrice: 1_000n, endPrice: 10n ** 18n, sell: tokens(800_000_000) },
    },
    obligation: 'no_u64_overflow',
    check: 'fits_reserve_target',
  },
  {
    name: 'sigmoid breakpoint price beyond u64 nano-lamports',
    template: { ...sigmoid, curve: { ...(sigmoid.curve as SigmoidCurve), maxPrice: 100_000_000_000n } },
    obligation: 'no_u64_overflow',
    check: 'prices_fit',
  },
  {
    name: 'exponential step price beyond u64',
    template: {
      ...exponential,
      curve: { ...(exponential.curve as ExponentialCurve), startPrice: 1_000_000n, growthBps: 500 },
    },
    obligation: 'no_u64_overflow',
    check: 'fits_last_step_price',
  },
  {
    name: 'constant product X beyond u64',
    template: {
      ...pump,
      reserveFloorBps: 0,
      migration: null,
      supply: tokens(1_100_000_000),
      curve: {
        kind: 'constant_product',
        virtualQuote: 30n * SOL,
        virtualTokens: tokens(1_073_000_000),
        sell: tokens(1_073_000_000) - 1n,
      },
    },
    obligation: 'no_u64_overflow',
    check: 'fits_x_after_all',
  },
  {
    name: 'decreasing piecewise segment',
    template: {
      ...piecewise,
      curve: {
        kind: 'piecewise',
        segments: [
          { fromPrice: 5_000n, toPrice: 1_000n, until: tokens(200_000_000) },
          { fromPrice: 1_000n, toPrice: 60_000n, until: tokens(800_000_000) },
        ],
      },
    },
    obligation: 'price_non_decreasing',
    check: 'segment_rises',
  },
  {
    name: 'piecewise jump down between segments',
    template: {
      ...piecewise,
      curve: {
        kind: 'piecewise',
        segments: [
          { fromPrice: 1_000n, toPrice: 5_000n, until: tokens(200_000_000) },
          { fromPrice: 4_000n, toPrice: 60_000n, until: tokens(800_000_000) },
        ],
      },
    },
    obligation: 'price_non_decreasing',
    check: 'segments_continuous',
    structural: true,
  },
  {
    name: 'sigmoid with min above max',
    template: {
      ...sigmoid,
      curve: { ...(sigmoid.curve as SigmoidCurve), minPrice: 100_000n, maxPrice: 100n },
    },
    obligation: 'price_non_decreasing',
    check: 'segment_rises',
    structural: true,
  },
  // Linear from 0 keeps exactly 50%: 50.01% fails everywhere.
  {
    name: 'linear from 0, floor 50.01%',
    template: lin0(5_001),
    obligation: 'reserve_floor',
    check: 'floor_segment',
  },
  // The piecewise example's ratio dips inside its second segment (at the vertex of the quadratic).
  {
    name: 'piecewise floor 40%',
    template: { ...piecewise, reserveFloorBps: 4_000 },
    obligation: 'reserve_floor',
    check: 'floor_segment',
  },
  {
    name: 'sigmoid floor 25%',
    template: { ...sigmoid, reserveFloorBps: 2_500 },
    obligation: 'reserve_floor',
    check: 'floor_segment',
  },
  {
    name: 'exponential floor 40%',
    template: { ...exponential, reserveFloorBps: 4_000 },
    obligation: 'reserve_floor',
    check: 'floor_steps',
  },
];

/** Linear from 0 keeps exactly 50% of the market cap: the boundary holds. */
export const linearFromZeroHalf = lin0(5_000);
