/** Exact bonding-curve math (notes/curve-math.md): the quoting core of CurveVM. */
export { cpBuyNet, cpMaxTokensForNet, cpSellGross } from './constant-product.ts';
export { exponentialStepPrices } from './exponential.ts';
export { fee, maxNetForBudget } from './fees.ts';
export { ceilDiv, isqrt } from './math.ts';
export { createCurveModel, isReserveTarget } from './model.ts';
export {
  applyBuy,
  applySell,
  initialCurveState,
  priceAt,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  reserveTarget,
  spotPrice,
  vaultOf,
} from './quote.ts';
export { linearReserveTarget } from './reserve-target.ts';
export { type Breakpoint, sigmoidApproximationError, sigmoidBreakpoints } from './sigmoid.ts';
export type {
  BuyQuote,
  ConstantProductModel,
  CurveModel,
  CurveState,
  ExponentialModel,
  LinearSegment,
  Rational,
  ReserveTargetModel,
  SegmentModel,
  SellQuote,
} from './types.ts';
