/**
 * Constant product on virtual reserves (pump.fun style). Buys round the cost up (the +1 makes
 * the cost strictly more than the exact Δ·X/(Y−Δ)) and sells round the proceeds down, so X·Y
 * never decreases and splitting a trade never gains.
 */
import type { ConstantProductCurve } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { ceilDiv } from './math.ts';
import type { ConstantProductModel, ModelCommon } from './types.ts';

export function constantProductModel(curve: ConstantProductCurve, common: ModelCommon): ConstantProductModel {
  if (curve.virtualQuote <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'virtual_quote must be positive');
  if (curve.sell <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'sell must be positive');
  // Y − R = Y0 − R0 stays constant, so Y0 > R0 keeps every Y − Δ of a buy positive.
  if (curve.sell >= curve.virtualTokens) {
    throw new AssetL2Error(
      'TEMPLATE_INVALID',
      'sell must be less than virtual_tokens for a constant product curve',
    );
  }
  return Object.freeze({
    kind: 'constant_product',
    ...common,
    sell: curve.sell,
    x0: curve.virtualQuote,
    y0: curve.virtualTokens,
  });
}

/** net = floor(Δ·X / (Y−Δ)) + 1, for 0 < Δ < Y. */
export function cpBuyNet(x: bigint, y: bigint, delta: bigint): bigint {
  return (delta * x) / (y - delta) + 1n;
}

/** gross = floor(Δ·X / (Y+Δ)). */
export function cpSellGross(x: bigint, y: bigint, delta: bigint): bigint {
  return (delta * x) / (y + delta);
}

/**
 * The largest Δ whose buy net is at most n (uncapped by R). floor(Δ·X/(Y−Δ)) + 1 ≤ n ⟺
 * Δ·X < n·(Y−Δ) ⟺ Δ < n·Y/(X+n), hence Δ = ceil(n·Y/(X+n)) − 1: exact, O(1).
 */
export function cpMaxTokensForNet(x: bigint, y: bigint, net: bigint): bigint {
  if (net <= 0n) return 0n;
  return ceilDiv(net * y, x + net) - 1n;
}
