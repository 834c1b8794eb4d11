/**
 * Piecewise-linear reserve targets, shared by `linear` (one segment), `piecewise` and `sigmoid`
 * (32 segments). Prices are held in nano-lamports per whole token: sigmoid breakpoints are
 * defined there, and scaling lamport prices by 10^9 leaves T unchanged because numerator and
 * denominator of F/10^d scale together.
 */
import { type LinearCurve, NANO, type PiecewiseCurve } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { ceilDiv, isqrt, lastAtMost, pow10 } from './math.ts';
import type { LinearSegment, ModelCommon, SegmentModel } from './types.ts';

/** A linear price piece over (start, end], prices in nano-lamports per whole token. */
export interface NanoPiece {
  readonly start: bigint;
  readonly end: bigint;
  readonly from: bigint;
  readonly to: bigint;
}

export function linearPieces(curve: LinearCurve): NanoPiece[] {
  if (curve.sell <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'sell must be positive');
  return [{ start: 0n, end: curve.sell, from: curve.startPrice * NANO, to: curve.endPrice * NANO }];
}

export function piecewisePieces(curve: PiecewiseCurve): NanoPiece[] {
  if (curve.segments.length === 0) {
    throw new AssetL2Error('TEMPLATE_INVALID', 'a piecewise curve needs at least one segment');
  }
  let start = 0n;
  return curve.segments.map((segment, i) => {
    if (segment.until <= start) {
      throw new AssetL2Error('TEMPLATE_INVALID', `segment ${i}: until must strictly increase from 0`);
    }
    const piece = { start, end: segment.until, from: segment.fromPrice * NANO, to: segment.toPrice * NANO };
    start = segment.until;
    return piece;
  });
}

/**
 * Builds the segment model. Empty pieces are dropped (a sigmoid over fewer than 32 base units
 * has repeated breakpoints); they add nothing to F and would divide by zero.
 */
export function segmentModel(
  kind: SegmentModel['kind'],
  pieces: readonly NanoPiece[],
  common: ModelCommon,
): SegmentModel {
  const area2Scale = 2n * pow10(common.decimals) * NANO;
  const segments: LinearSegment[] = [];
  let area2Before = 0n;
  let end = 0n;
  for (const piece of pieces) {
    if (piece.from < 0n || piece.to < 0n) {
      throw new AssetL2Error('TEMPLATE_INVALID', 'prices must not be negative');
    }
    if (piece.start !== end || piece.end < piece.start) {
      throw new AssetL2Error('TEMPLATE_INVALID', 'segments must be contiguous and increasing');
    }
    end = piece.end;
    const width = piece.end - piece.start;
    if (width === 0n) continue;
    segments.push(
      Object.freeze({
        start: piece.start,
        width,
        from: piece.from,
        to: piece.to,
        area2Before,
        slope: piece.to - piece.from,
        twoFromWidth: 2n * piece.from * width,
        area2BeforeWidth: area2Before * width,
        divisor: area2Scale * width,
      }),
    );
    area2Before += (piece.from + piece.to) * width;
  }
  if (segments.length === 0) throw new AssetL2Error('TEMPLATE_INVALID', 'sell must be positive');
  return Object.freeze({
    kind,
    ...common,
    sell: end,
    segments: Object.freeze(segments),
    starts: Object.freeze(segments.map((s) => s.start)),
    areas2: Object.freeze(segments.map((s) => s.area2Before)),
    area2Scale,
  });
}

function segmentAt(model: SegmentModel, sold: bigint): LinearSegment {
  return model.segments[lastAtMost(model.starts, sold)]!;
}

/** T(s) = ceil(F(s) / 10^d), s in [0, N]: one segment lookup and one ceiling division. */
export function segmentReserveTarget(model: SegmentModel, sold: bigint): bigint {
  const seg = segmentAt(model, sold);
  const l = sold - seg.start;
  return ceilDiv(seg.area2BeforeWidth + l * (seg.twoFromWidth + seg.slope * l), seg.divisor);
}

/** p(s) in lamports per whole token, unreduced. At a breakpoint it is the next segment's start price. */
export function segmentPrice(model: SegmentModel, sold: bigint): { num: bigint; den: bigint } {
  const seg = segmentAt(model, sold);
  return { num: seg.from * seg.width + seg.slope * (sold - seg.start), den: seg.width * NANO };
}

/**
 * The largest s in [0, N] with T(s) ≤ vault. T(s) ≤ V ⟺ F(s) ≤ V·10^d (V is an integer), so
 * this finds the segment by its prefix area and solves the quadratic in L inside it exactly.
 */
export function segmentMaxSold(model: SegmentModel, vault: bigint): bigint {
  const area2Max = vault * model.area2Scale;
  // areas2[0] = 0 ≤ area2Max, so the found segment always starts within reach.
  const seg = model.segments[lastAtMost(model.areas2, area2Max)]!;
  const l = largestRun(seg, (area2Max - seg.area2Before) * seg.width);
  return seg.start + l;
}

/** Largest L in [0, W] with c·L² + 2aW·L ≤ rem, where f(L) = L·(2aW + c·L) is increasing on [0, W]. */
function largestRun(seg: LinearSegment, rem: bigint): bigint {
  const f = (l: bigint) => l * (seg.twoFromWidth + seg.slope * l);
  if (f(seg.width) <= rem) return seg.width;
  const c = seg.slope;
  if (c === 0n) return rem / seg.twoFromWidth; // twoFromWidth > 0, else f(W) = 0 ≤ rem
  if (c > 0n) {
    // Root of c·L² + 2aW·L − rem: (−aW + √(a²W² + c·rem)) / c; floor((m + isqrt(x))/c) equals
    // floor((m + √x)/c) for integer m, so this is exact (and quoteBuyBudget re-checks it).
    const aw = seg.twoFromWidth / 2n;
    return (isqrt(aw * aw + c * rem) - aw) / c;
  }
  // A decreasing segment (rejected by the compiler) is still monotone in L; bisect it.
  let lo = 0n;
  let hi = seg.width;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (f(mid) <= rem) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * The spec's closed form for `linear`: T(s) = ceil((2·N·P0·s + (P1−P0)·s²) / (2·N·10^d)).
 * Kept as the reference the one-segment model is tested against.
 */
export function linearReserveTarget(curve: LinearCurve, decimals: number, sold: bigint): bigint {
  const n = curve.sell;
  const p0 = curve.startPrice;
  return ceilDiv(2n * n * p0 * sold + (curve.endPrice - p0) * sold * sold, 2n * n * pow10(decimals));
}
