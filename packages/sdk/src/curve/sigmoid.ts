/**
 * Sigmoid curves compile to 32 linear segments through integer breakpoints, so the VM never
 * evaluates a square root on a trade: A + (B−A)/2·(1 + d/√(d²+W²)) is sampled once, exactly.
 */
import { LIMITS, NANO, type SigmoidCurve } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { ceilDiv, checkU64, isqrt } from './math.ts';
import type { NanoPiece } from './reserve-target.ts';

export interface Breakpoint {
  /** s_i, base units. */
  readonly sold: bigint;
  /** q_i, nano-lamports per whole token. */
  readonly price: bigint;
}

function checkSigmoid(curve: SigmoidCurve): void {
  if (curve.width <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'width must be positive');
  if (curve.sell <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'sell must be positive');
  if (curve.minPrice < 0n || curve.midpoint < 0n) {
    throw new AssetL2Error('TEMPLATE_INVALID', 'min_price and midpoint must not be negative');
  }
  if (curve.minPrice > curve.maxPrice) {
    throw new AssetL2Error('TEMPLATE_INVALID', 'min_price is greater than max_price');
  }
}

/**
 * s_i = floor(i·N/32); d_i = s_i − M; r_i = isqrt(d_i² + W²);
 * q_i = A·10^9 + ceil((B−A)·10^9·(r_i + d_i) / (2·r_i)). r_i ≥ |d_i| so r_i + d_i ≥ 0, and
 * r_i ≥ W > 0. The q_i are stored values, hence the u64 check.
 */
export function sigmoidBreakpoints(curve: SigmoidCurve): Breakpoint[] {
  checkSigmoid(curve);
  const n = BigInt(LIMITS.sigmoidSegments);
  const base = curve.minPrice * NANO;
  const rise = (curve.maxPrice - curve.minPrice) * NANO;
  const w2 = curve.width * curve.width;
  const points: Breakpoint[] = [];
  for (let i = 0n; i <= n; i++) {
    const sold = (i * curve.sell) / n;
    const d = sold - curve.midpoint;
    const r = isqrt(d * d + w2);
    const price = base + ceilDiv(rise * (r + d), 2n * r);
    points.push(
      Object.freeze({ sold, price: checkU64(price, `sigmoid breakpoint ${i} (nano-lamports per token)`) }),
    );
  }
  return points;
}

export function sigmoidPieces(curve: SigmoidCurve): NanoPiece[] {
  const points = sigmoidBreakpoints(curve);
  return points.slice(1).map((p, i) => {
    const previous = points[i]!;
    return { start: previous.sold, end: p.sold, from: previous.price, to: p.price };
  });
}

/**
 * The largest relative gap |segment − sigmoid| / sigmoid at the segment midpoints, a figure the
 * compiler reports. Floats are fine here: it is a diagnostic, never an amount.
 */
export function sigmoidApproximationError(curve: SigmoidCurve): number {
  const points = sigmoidBreakpoints(curve);
  const a = Number(curve.minPrice);
  const b = Number(curve.maxPrice);
  const m = Number(curve.midpoint);
  const w = Number(curve.width);
  let worst = 0;
  for (let i = 1; i < points.length; i++) {
    const left = points[i - 1]!;
    const right = points[i]!;
    if (right.sold === left.sold) continue;
    const d = (Number(left.sold) + Number(right.sold)) / 2 - m;
    const exact = a + ((b - a) / 2) * (1 + d / Math.sqrt(d * d + w * w));
    const segment = Number(left.price + right.price) / 2 / 1e9;
    // Only a flat zero curve has exact = 0; a nonzero segment there would be infinitely off.
    const gap =
      exact === 0 ? (segment === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(segment - exact) / exact;
    if (gap > worst) worst = gap;
  }
  return worst;
}
