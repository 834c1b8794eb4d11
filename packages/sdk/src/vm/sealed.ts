/**
 * Uniform-price clearing of a sealed launch window (curve-math.md, "Sealed launch window"),
 * as a pure function of the curve's initial state and the bids. The bids are per buyer (a
 * buyer's escrows are aggregated), and each buyer's outcome depends only on its own bid and
 * the totals, so the order of bids cannot change anyone's result.
 */
import {
  type BuyQuote,
  type CurveModel,
  type CurveState,
  ceilDiv,
  fee as feeOfAmount,
  maxNetForBudget,
  quoteBuyBudget,
  quoteBuyExact,
} from '../curve/index.ts';
import { isAssetL2Error } from '../errors/index.ts';

export interface SealedBid {
  /** Σ b_i of the buyer. */
  readonly bound: bigint;
  /** Tokens asked by exact-token buys, or null (a budget buy: no token cap). */
  readonly asked: bigint | null;
  /** max_buy room left (max_buy − bought), or null without a cap. */
  readonly room: bigint | null;
}

export interface SealedFill {
  readonly tokens: bigint;
  readonly cost: bigint;
  readonly fee: bigint;
  readonly refund: bigint;
}

export interface SealedClearing {
  /** Δ*: the budget-buy of L = Σ b_i (capped only by what may be sold). */
  readonly deltaStar: bigint;
  /** net(Δ*). */
  readonly netStar: bigint;
  /** In the order of the bids. */
  readonly fills: readonly SealedFill[];
  /** The one buy of Σ t_i applied to the curve, or null when nothing cleared. */
  readonly buy: BuyQuote | null;
  /** Σ c_i: what the vault receives (≥ buy.net). */
  readonly vaultIn: bigint;
}

function refundAll(bids: readonly SealedBid[], deltaStar = 0n, netStar = 0n): SealedClearing {
  return {
    deltaStar,
    netStar,
    fills: bids.map((b) => ({ tokens: 0n, cost: 0n, fee: 0n, refund: b.bound })),
    buy: null,
    vaultIn: 0n,
  };
}

/** A quote that fails as ZERO_AMOUNT (nothing buyable) means "clear nothing". */
function zeroIsNull<T>(quote: () => T): T | null {
  try {
    return quote();
  } catch (e) {
    if (isAssetL2Error(e) && e.code === 'ZERO_AMOUNT') return null;
    throw e;
  }
}

/**
 * @param saleCap the most tokens the window may sell: N − s, and for a `sold` migration
 *   trigger its threshold − s (s never passes it, not even at clearing).
 */
export function clearSealed(
  model: CurveModel,
  state: CurveState,
  bids: readonly SealedBid[],
  saleCap: bigint,
): SealedClearing {
  let total = 0n;
  for (const b of bids) total += b.bound;
  if (total === 0n || saleCap <= 0n) return refundAll(bids);
  // Step 1: Δ* = the budget-buy of L; the budget buy is monotone, so capping it is min().
  let star = zeroIsNull(() => quoteBuyBudget(model, state, total));
  if (star && star.tokens > saleCap) star = zeroIsNull(() => quoteBuyExact(model, state, saleCap));
  if (!star) return refundAll(bids);
  const deltaStar = star.tokens;
  const netStar = star.net;
  // Step 2. "While c_i + fee(c_i) > b_i lower t_i by one" stops at the largest t with
  // ceil(t·net*/Δ*) ≤ c_max, c_max = maxNetForBudget(b_i) (the largest c with c + fee(c) ≤ b_i),
  // i.e. t ≤ floor(c_max·Δ*/net*): computed directly (one step can be worth far below a lamport).
  const fills: SealedFill[] = [];
  let tokens = 0n;
  let vaultIn = 0n;
  for (const b of bids) {
    let t = (deltaStar * b.bound) / total;
    if (b.room !== null && b.room < t) t = b.room;
    if (b.asked !== null && b.asked < t) t = b.asked;
    const affordable = (maxNetForBudget(b.bound, model.feeBps) * deltaStar) / netStar;
    if (affordable < t) t = affordable;
    if (t < 0n) t = 0n;
    const cost = ceilDiv(t * netStar, deltaStar);
    const fee = feeOfAmount(cost, model.feeBps);
    if (cost + fee > b.bound) throw new Error('sealed clearing: a buyer pays more than its bound');
    fills.push({ tokens: t, cost, fee, refund: b.bound - cost - fee });
    tokens += t;
    vaultIn += cost;
  }
  // Step 3: one buy of Σ t_i (≤ Δ*, so it is for sale).
  if (tokens === 0n) return refundAll(bids, deltaStar, netStar);
  const buy = zeroIsNull(() => quoteBuyExact(model, state, tokens));
  if (!buy) return refundAll(bids, deltaStar, netStar);
  // Σ c_i ≥ ceil(Σt·net*/Δ*) ≥ net(Σt): the average price does not rise when fewer are sold.
  if (vaultIn < buy.net) throw new Error('sealed clearing: the vault would receive less than net(Σ t_i)');
  return { deltaStar, netStar, fills, buy, vaultIn };
}
