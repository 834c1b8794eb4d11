/**
 * Quoting and state transitions for every shape: pure curve math (no caps, no sealed window,
 * no migration threshold; only Δ ≤ what is left for sale). Quotes are exact bigints, rounded
 * in the pool's favour, and every result that gets stored or paid must fit u64.
 */
import { NANO } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { cpBuyNet, cpMaxTokensForNet, cpSellGross } from './constant-product.ts';
import { exponentialMaxSold, exponentialReserveTarget, exponentialStepPrice } from './exponential.ts';
import { feeOf, maxNetForBudget } from './fees.ts';
import { checkAmount, checkU64, minBig, rational } from './math.ts';
import { segmentMaxSold, segmentPrice, segmentReserveTarget } from './reserve-target.ts';
import type { BuyQuote, CurveModel, CurveState, Rational, ReserveTargetModel, SellQuote } from './types.ts';

export function initialCurveState(model: CurveModel): CurveState {
  if (model.kind === 'constant_product') return { sold: 0n, quote: model.x0, tokens: model.y0 };
  return { sold: 0n, quote: 0n, tokens: model.sell };
}

/** T(s) of a reserve-target shape (the vault owed after s base units are sold), s in [0, N]. */
export function reserveTarget(model: ReserveTargetModel, sold: bigint): bigint {
  checkSold(model, sold);
  return targetAt(model, sold);
}

/** Lamports in the vault: X − X0 for constant product, T(sold) for the others. */
export function vaultOf(model: CurveModel, state: CurveState): bigint {
  checkState(model, state);
  return model.kind === 'constant_product' ? state.quote - model.x0 : targetAt(model, state.sold);
}

/** Buy exactly `tokens` base units. */
export function quoteBuyExact(model: CurveModel, state: CurveState, tokens: bigint): BuyQuote {
  checkAmount(tokens, 'the token amount');
  checkState(model, state);
  if (tokens === 0n) throw new AssetL2Error('ZERO_AMOUNT', 'a buy needs a positive token amount');
  const left = model.sell - state.sold;
  if (tokens > left) {
    throw new AssetL2Error(
      'EXCEEDS_FOR_SALE',
      `cannot buy ${tokens} base units: only ${left} are left for sale`,
    );
  }
  return buyQuote(model, state, tokens);
}

/**
 * Buy the largest Δ ≤ what is left for sale with total(Δ) ≤ `lamports`. total ≤ B ⟺ net ≤ n
 * with n = floor(B·10^4/(10^4+fee)), so each shape inverts net exactly (closed form for
 * constant product, prefix areas plus a quadratic or a division for the others); the seed is
 * then confirmed, and corrected by galloping if it ever were off, on the exact net.
 */
export function quoteBuyBudget(model: CurveModel, state: CurveState, lamports: bigint): BuyQuote {
  checkAmount(lamports, 'the budget');
  checkState(model, state);
  if (lamports === 0n) throw new AssetL2Error('ZERO_AMOUNT', 'a buy needs a positive budget');
  const left = model.sell - state.sold;
  if (left === 0n) throw new AssetL2Error('ZERO_AMOUNT', 'nothing is left for sale');
  const maxNet = maxNetForBudget(lamports, model.feeBps);
  const before = model.kind === 'constant_product' ? 0n : targetAt(model, state.sold);
  const seed =
    model.kind === 'constant_product'
      ? cpMaxTokensForNet(state.quote, state.tokens, maxNet)
      : maxSoldAt(model, before + maxNet) - state.sold;
  let tokens = minBig(seed, left);
  // Fast path: confirm the seed (fits, and one more does not) and reuse its net for the quote.
  if (tokens > 0n) {
    const net = netOf(model, state, before, tokens);
    if (net <= maxNet && (tokens === left || netOf(model, state, before, tokens + 1n) > maxNet)) {
      return finishBuy(model, state, before, tokens, net);
    }
  }
  tokens = largestFitting(tokens, left, (t) => netOf(model, state, before, t) <= maxNet);
  if (tokens === 0n) {
    throw new AssetL2Error('ZERO_AMOUNT', `a budget of ${lamports} lamports does not buy a single base unit`);
  }
  return buyQuote(model, state, tokens);
}

/** Sell `tokens` base units back to the curve. */
export function quoteSell(model: CurveModel, state: CurveState, tokens: bigint): SellQuote {
  checkAmount(tokens, 'the token amount');
  checkState(model, state);
  if (tokens === 0n) throw new AssetL2Error('ZERO_AMOUNT', 'a sell needs a positive token amount');
  if (tokens > state.sold) {
    throw new AssetL2Error(
      'EXCEEDS_SOLD',
      `cannot sell ${tokens} base units: only ${state.sold} have been sold`,
    );
  }
  const gross = checkU64(
    model.kind === 'constant_product'
      ? cpSellGross(state.quote, state.tokens, tokens)
      : targetAt(model, state.sold) - targetAt(model, state.sold - tokens),
    'the sell proceeds',
  );
  const fee = feeOf(gross, model.feeBps);
  const out = gross - fee;
  if (out === 0n) {
    throw new AssetL2Error('ZERO_AMOUNT', `selling ${tokens} base units pays out nothing after the fee`);
  }
  return { tokens, gross, fee, out };
}

/** The state after a buy quoted on `state` (the quote must come from this very state). */
export function applyBuy(model: CurveModel, state: CurveState, quote: BuyQuote): CurveState {
  checkState(model, state);
  const left = model.sell - state.sold;
  if (quote.tokens <= 0n || quote.tokens > left) {
    throw new AssetL2Error(
      'EXCEEDS_FOR_SALE',
      `cannot apply a buy of ${quote.tokens}: ${left} left for sale`,
    );
  }
  const sold = state.sold + quote.tokens;
  if (model.kind === 'constant_product') {
    return {
      sold,
      quote: checkU64(state.quote + quote.net, 'the virtual quote'),
      tokens: state.tokens - quote.tokens,
    };
  }
  return { sold, quote: checkU64(state.quote + quote.net, 'the vault'), tokens: model.sell - sold };
}

/** The state after a sell quoted on `state`. */
export function applySell(model: CurveModel, state: CurveState, quote: SellQuote): CurveState {
  checkState(model, state);
  if (quote.tokens <= 0n || quote.tokens > state.sold) {
    throw new AssetL2Error('EXCEEDS_SOLD', `cannot apply a sell of ${quote.tokens}: ${state.sold} sold`);
  }
  const sold = state.sold - quote.tokens;
  if (model.kind === 'constant_product') {
    return {
      sold,
      quote: state.quote - quote.gross,
      tokens: checkU64(state.tokens + quote.tokens, 'the virtual tokens'),
    };
  }
  return { sold, quote: state.quote - quote.gross, tokens: model.sell - sold };
}

/** Spot price in lamports per base unit: X/Y, or p(s)/10^d (exponential: q_j/10^(9+d)). */
export function spotPrice(model: CurveModel, state: CurveState): Rational {
  checkState(model, state);
  if (model.kind === 'constant_product') return rational(state.quote, state.tokens);
  const p = priceAt(model, state.sold);
  return rational(p.num, p.den * model.unit);
}

/**
 * Price in lamports per whole token at `sold`, for plots. Constant product is path dependent
 * through rounding; it is taken at the state one exact buy of `sold` from launch reaches
 * (the convention of the vectors): X·10^d / Y.
 */
export function priceAt(model: CurveModel, sold: bigint): Rational {
  checkSold(model, sold);
  switch (model.kind) {
    case 'constant_product': {
      const x = sold === 0n ? model.x0 : model.x0 + cpBuyNet(model.x0, model.y0, sold);
      return rational(x * model.unit, model.y0 - sold);
    }
    case 'exponential':
      return rational(exponentialStepPrice(model, sold), NANO);
    default: {
      const p = segmentPrice(model, sold);
      return rational(p.num, p.den);
    }
  }
}

function buyQuote(model: CurveModel, state: CurveState, tokens: bigint): BuyQuote {
  const before = model.kind === 'constant_product' ? 0n : targetAt(model, state.sold);
  return finishBuy(model, state, before, tokens, netOf(model, state, before, tokens));
}

/** net(Δ); `before` is T(sold) for reserve-target shapes (computed once per quote), unused for CP. */
function netOf(model: CurveModel, state: CurveState, before: bigint, tokens: bigint): bigint {
  return model.kind === 'constant_product'
    ? cpBuyNet(state.quote, state.tokens, tokens)
    : targetAt(model, state.sold + tokens) - before;
}

function finishBuy(
  model: CurveModel,
  state: CurveState,
  before: bigint,
  tokens: bigint,
  net: bigint,
): BuyQuote {
  if (net === 0n) {
    throw new AssetL2Error('ZERO_AMOUNT', `buying ${tokens} base units costs nothing at this price`);
  }
  // The stored value after the buy: X itself for constant product, the vault T(s+Δ) otherwise.
  const stored = (model.kind === 'constant_product' ? state.quote : before) + net;
  checkU64(stored, 'the vault after the buy');
  const fee = feeOf(net, model.feeBps);
  return { tokens, net, fee, total: checkU64(net + fee, 'the buy total') };
}

function targetAt(model: ReserveTargetModel, sold: bigint): bigint {
  return model.kind === 'exponential'
    ? exponentialReserveTarget(model, sold)
    : segmentReserveTarget(model, sold);
}

function maxSoldAt(model: ReserveTargetModel, vault: bigint): bigint {
  return model.kind === 'exponential' ? exponentialMaxSold(model, vault) : segmentMaxSold(model, vault);
}

/**
 * The largest Δ in [0, max] with fits(Δ), for a monotone `fits` with fits(0). An exact seed
 * costs two evaluations (seed fits, seed + 1 does not); a wrong one gallops away from it and
 * bisects, so correctness never depends on the seed.
 */
export function largestFitting(seed: bigint, max: bigint, fits: (tokens: bigint) => boolean): bigint {
  let lo: bigint; // fits(lo), or lo = 0
  let hi: bigint; // !fits(hi), or hi = max + 1
  if (seed <= 0n || fits(seed)) {
    lo = seed > 0n ? seed : 0n;
    let step = 1n;
    hi = lo + step;
    while (hi <= max && fits(hi)) {
      lo = hi;
      step *= 2n;
      hi = lo + step;
    }
    if (hi > max + 1n) hi = max + 1n;
  } else {
    hi = seed;
    let step = 1n;
    lo = hi - step;
    while (lo > 0n && !fits(lo)) {
      hi = lo;
      step *= 2n;
      lo = hi - step;
    }
    if (lo < 0n) lo = 0n;
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function checkSold(model: CurveModel, sold: bigint): void {
  if (sold < 0n || sold > model.sell) {
    throw new AssetL2Error('INVALID_AMOUNT', `sold ${sold} is outside the curve's range 0..${model.sell}`);
  }
}

/** Rejects states no sequence of trades can reach, before they divide by zero. */
function checkState(model: CurveModel, state: CurveState): void {
  checkSold(model, state.sold);
  if (model.kind === 'constant_product' && (state.quote <= 0n || state.tokens <= model.sell - state.sold)) {
    throw new AssetL2Error('INVALID_AMOUNT', 'the constant product state has non-positive reserves');
  }
}
