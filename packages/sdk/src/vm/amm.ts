/**
 * The L2 constant-product pool after migration (curve-math.md, "Migration and the L2 AMM"):
 * pure integer functions, every rounding in the pool's favour, fee `f` bps kept in the pool.
 * Since a − ceil(a·f/10⁴) = floor(a·(10⁴−f)/10⁴), the fee-adjusted input is one division.
 */
import { ceilDiv, isqrt } from '../curve/index.ts';
import { BPS, LIMITS, U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/index.ts';

export const LOCKED_LP_SHARES = LIMITS.lockedLpShares;

export interface SwapQuote {
  /** Taken from the trader (lamports or tokens), fee included. */
  readonly amountIn: bigint;
  /** ceil(amountIn·f/10⁴), in the input asset; it stays in the pool. */
  readonly fee: bigint;
  readonly amountOut: bigint;
}

function checkStored(value: bigint, what: string): bigint {
  if (value > U64_MAX) throw new AssetL2Error('U64_OVERFLOW', `${what} ${value} does not fit in u64`);
  return value;
}

/** Swap in `a`: a' = a − ceil(a·f/10⁴), out = floor(a'·yOut / (xIn + a')). */
export function swapIn(xIn: bigint, yOut: bigint, a: bigint, feeBps: bigint): SwapQuote {
  if (a <= 0n) throw new AssetL2Error('ZERO_AMOUNT', 'a swap needs a positive amount in');
  checkStored(xIn + a, 'the pool reserve after the swap');
  const fee = ceilDiv(a * feeBps, BPS);
  const effective = a - fee;
  const amountOut = (effective * yOut) / (xIn + effective);
  if (amountOut === 0n) throw new AssetL2Error('ZERO_AMOUNT', `swapping in ${a} pays out nothing`);
  return { amountIn: a, fee, amountOut };
}

/**
 * Exact out `o`: the smallest a with a − ceil(a·f/10⁴) ≥ floor(xIn·o/(yOut−o)) + 1, i.e.
 * floor(a·(10⁴−f)/10⁴) ≥ need ⟺ a ≥ need·10⁴/(10⁴−f), so a = ceil(need·10⁴/(10⁴−f)).
 */
export function swapOut(xIn: bigint, yOut: bigint, o: bigint, feeBps: bigint): SwapQuote {
  if (o <= 0n) throw new AssetL2Error('ZERO_AMOUNT', 'a swap needs a positive amount out');
  if (o >= yOut) {
    throw new AssetL2Error('EXCEEDS_FOR_SALE', `the pool holds ${yOut}; cannot take ${o} out of it`);
  }
  const need = (xIn * o) / (yOut - o) + 1n;
  const amountIn = checkStored(ceilDiv(need * BPS, BPS - feeBps), 'the swap input');
  checkStored(xIn + amountIn, 'the pool reserve after the swap');
  return { amountIn, fee: ceilDiv(amountIn * feeBps, BPS), amountOut: o };
}

/** The pool's LP supply at creation: S = isqrt(x·y), of which 1000 are locked. */
export function initialShares(x: bigint, y: bigint): bigint {
  return isqrt(x * y);
}

export interface Deposit {
  readonly shares: bigint;
  readonly lamports: bigint;
  readonly tokens: bigint;
}

/** m = min(floor(dx·S/x), floor(dy·S/y)); takes ceil(m·x/S) lamports and ceil(m·y/S) tokens. */
export function addLiquidity(
  x: bigint,
  y: bigint,
  shares: bigint,
  offeredLamports: bigint,
  offeredTokens: bigint,
): Deposit {
  const byLamports = (offeredLamports * shares) / x;
  const byTokens = (offeredTokens * shares) / y;
  const m = byLamports < byTokens ? byLamports : byTokens;
  if (m === 0n) throw new AssetL2Error('ZERO_AMOUNT', 'the offer is too small to mint a single LP share');
  return { shares: m, lamports: ceilDiv(m * x, shares), tokens: ceilDiv(m * y, shares) };
}

/** Burning m shares pays floor(m·x/S) lamports and floor(m·y/S) tokens. */
export function removeLiquidity(x: bigint, y: bigint, shares: bigint, m: bigint): Deposit {
  if (m <= 0n) throw new AssetL2Error('ZERO_AMOUNT', 'remove at least one LP share');
  return { shares: m, lamports: (m * x) / shares, tokens: (m * y) / shares };
}
