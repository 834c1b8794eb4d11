/**
 * The compiled curve template: every semantic field of a CurveScript launch, resolved to
 * integers (base units, lamports, basis points, seconds, blocks). This is what CREATE_CURVE
 * carries on-chain (encoded by `encodeTemplate`, docs/template-format.md) and what the
 * curve math, the prover and CurveVM consume. Defaults are stored as their values so that
 * equivalent scripts give identical bytes.
 */

/** Prices of linear/piecewise shapes are lamports per whole token (10^decimals base units). */
export interface ConstantProductCurve {
  readonly kind: 'constant_product';
  /** X0, lamports. */
  readonly virtualQuote: bigint;
  /** Y0, base units. */
  readonly virtualTokens: bigint;
  /** N, base units for sale (R0). */
  readonly sell: bigint;
}

export interface LinearCurve {
  readonly kind: 'linear';
  /** P0, lamports per whole token. */
  readonly startPrice: bigint;
  /** P1, lamports per whole token. */
  readonly endPrice: bigint;
  readonly sell: bigint;
}

export interface ExponentialCurve {
  readonly kind: 'exponential';
  /** P, lamports per whole token (q_0 = P·10^9 nano-lamports). */
  readonly startPrice: bigint;
  /** G, basis points per step. */
  readonly growthBps: number;
  /** Q, base units per step. */
  readonly stepTokens: bigint;
  readonly sell: bigint;
}

export interface SigmoidCurve {
  readonly kind: 'sigmoid';
  /** A, lamports per whole token. */
  readonly minPrice: bigint;
  /** B, lamports per whole token. */
  readonly maxPrice: bigint;
  /** M, base units. */
  readonly midpoint: bigint;
  /** W, base units. */
  readonly width: bigint;
  readonly sell: bigint;
}

export interface PiecewiseSegment {
  /** Price at the start of the segment, lamports per whole token. */
  readonly fromPrice: bigint;
  /** Price at the end of the segment, lamports per whole token. */
  readonly toPrice: bigint;
  /** Cumulative tokens for sale at the end of the segment, base units. */
  readonly until: bigint;
}

export interface PiecewiseCurve {
  readonly kind: 'piecewise';
  readonly segments: readonly PiecewiseSegment[];
}

export type Curve = ConstantProductCurve | LinearCurve | ExponentialCurve | SigmoidCurve | PiecewiseCurve;
export type CurveKind = Curve['kind'];

export interface Migration {
  /** `sold N tokens` (base units) or `raised L sol` (lamports in the vault, fees excluded). */
  readonly trigger: 'sold' | 'raised';
  readonly threshold: bigint;
  readonly ammFeeBps: number;
  /** Lamports taken from the vault by the protocol at migration. */
  readonly migrationFee: bigint;
  readonly lp: 'burn' | 'creator';
}

export interface CurveTemplate {
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
  /** Total supply, base units. */
  readonly supply: bigint;
  /** Creator allocation, base units (0 = none). */
  readonly creatorAllocation: bigint;
  /** Vesting length and cliff, seconds (both 0 = unlocked at creation). */
  readonly vestSeconds: number;
  readonly cliffSeconds: number;
  readonly curve: Curve;
  readonly feeBps: number;
  /** Creator's share of each fee, bps (the rest goes to the protocol). */
  readonly feeSplitCreatorBps: number;
  /** Reserve floor k in bps (0 = none). */
  readonly reserveFloorBps: number;
  /** Sealed launch window in blocks (0 = none). */
  readonly sealedBlocks: number;
  /** Per-wallet cap on tokens bought from the curve, base units (null = none). */
  readonly maxBuy: bigint | null;
  readonly migration: Migration | null;
}

export const SECONDS_PER_DAY = 86_400;
export const BPS = 10_000n;
export const NANO = 1_000_000_000n;
export const U64_MAX = (1n << 64n) - 1n;

/** Limits of CurveScript v1 (notes/curvescript.md); the VM re-checks all of them. */
export const LIMITS = {
  nameMaxLength: 32,
  symbolMinLength: 2,
  symbolMaxLength: 10,
  decimalsMin: 6,
  decimalsMax: 9,
  maxAllocationBps: 2_000,
  maxVestDays: 3_650,
  maxFeeBps: 1_000,
  maxAmmFeeBps: 500,
  sealedMin: 1,
  sealedMax: 32,
  maxExponentialSteps: 4_096,
  maxSegments: 32,
  sigmoidSegments: 32,
  lockedLpShares: 1_000n,
} as const;

/** Tokens for sale on the curve (N), base units, for every shape. */
export function curveSell(curve: Curve): bigint {
  if (curve.kind === 'piecewise') return curve.segments.at(-1)?.until ?? 0n;
  return curve.sell;
}
