/**
 * Data of the curve math: precomputed models (built once per template by createCurveModel),
 * states and quotes. All plain readonly objects so they can be shared, frozen and serialized.
 */

/** An exact non-negative price, `num / den` (lowest terms, den > 0). */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** What every model takes from the template besides its curve. */
export interface ModelCommon {
  readonly decimals: number;
  /** 10^decimals: base units per whole token. */
  readonly unit: bigint;
  /** Curve fee in basis points, as a bigint for the hot path. */
  readonly feeBps: bigint;
}

interface ModelBase extends ModelCommon {
  /** N: base units for sale on the curve. */
  readonly sell: bigint;
}

export interface ConstantProductModel extends ModelBase {
  readonly kind: 'constant_product';
  /** X0: virtual quote, lamports. */
  readonly x0: bigint;
  /** Y0: virtual tokens, base units. */
  readonly y0: bigint;
}

/**
 * One linear piece of a reserve-target curve over (start, start + width], prices in
 * nano-lamports per whole token so that sigmoid breakpoints, linear and piecewise curves share
 * one exact formula. With L = s − start, c = to − from:
 *   T(s) = ceil((area2Before·W + L·(2·from·W + c·L)) / (2·W·10^(d+9))).
 * The products that do not depend on s are kept so a quote does one multiply-add chain.
 */
export interface LinearSegment {
  readonly start: bigint;
  readonly width: bigint;
  readonly from: bigint;
  readonly to: bigint;
  /** Σ (from_i + to_i)·W_i over the segments before this one: twice the area before it. */
  readonly area2Before: bigint;
  readonly slope: bigint;
  readonly twoFromWidth: bigint;
  readonly area2BeforeWidth: bigint;
  /** 2·W·10^(d+9). */
  readonly divisor: bigint;
}

/** linear, piecewise and sigmoid: the same piecewise-linear price in nano-lamports. */
export interface SegmentModel extends ModelBase {
  readonly kind: 'linear' | 'piecewise' | 'sigmoid';
  readonly segments: readonly LinearSegment[];
  /** segments[i].start, for the O(log) lookup of the segment holding s. */
  readonly starts: readonly bigint[];
  /** segments[i].area2Before, for the O(log) inverse used by budget buys. */
  readonly areas2: readonly bigint[];
  /** 2·10^(d+9): the common scale of area2Before. */
  readonly area2Scale: bigint;
}

export interface ExponentialModel extends ModelBase {
  readonly kind: 'exponential';
  /** Q: base units per step. */
  readonly stepTokens: bigint;
  /** q_0 … q_{K−1}, nano-lamports per whole token, K = ceil(N/Q). */
  readonly stepPrices: readonly bigint[];
  /** F(k·Q) = Q·(q_0 + … + q_{k−1}) for k = 0..K (nano-lamport·base units per whole token). */
  readonly stepAreas: readonly bigint[];
  /** 10^(d+9): T(s) = ceil(F(s) / divisor). */
  readonly divisor: bigint;
}

export type ReserveTargetModel = SegmentModel | ExponentialModel;
export type CurveModel = ConstantProductModel | ReserveTargetModel;

/**
 * The mutable part of a curve, as a value. `sold` is s in base units. For constant product
 * `quote`/`tokens` are the virtual reserves X (lamports) and Y (base units). For reserve-target
 * shapes `quote` is the vault (always T(sold)) and `tokens` what is left for sale (N − sold);
 * their quotes read only `sold`, so `{ sold, quote: 0n, tokens: 0n }` quotes correctly too.
 */
export interface CurveState {
  readonly sold: bigint;
  readonly quote: bigint;
  readonly tokens: bigint;
}

/** A buy of `tokens` base units: `net` goes to the vault, `fee` to the fee split, `total` = both. */
export interface BuyQuote {
  readonly tokens: bigint;
  readonly net: bigint;
  readonly fee: bigint;
  readonly total: bigint;
}

/** A sell of `tokens` base units: `gross` leaves the vault, the seller gets `out` = gross − fee. */
export interface SellQuote {
  readonly tokens: bigint;
  readonly gross: bigint;
  readonly fee: bigint;
  readonly out: bigint;
}
