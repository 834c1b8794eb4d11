import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Curve, type CurveTemplate, NANO, U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error, type ErrorCode } from '../errors/codes.ts';
import { templateOf, VECTOR_CURVES } from './fixtures/templates.ts';
import {
  applyBuy,
  applySell,
  type BuyQuote,
  type CurveModel,
  type CurveState,
  createCurveModel,
  initialCurveState,
  linearReserveTarget,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  type ReserveTargetModel,
  reserveTarget,
  type SellQuote,
  sigmoidBreakpoints,
  spotPrice,
} from './index.ts';
import { minBig } from './math.ts';

// ---------- generators: valid templates of every shape, within u64 on their whole domain ----------

const big = (min: bigint, max: bigint) => fc.bigInt({ min, max });

const cpCurve: fc.Arbitrary<Curve> = fc
  .record({ x0: big(1n, 10n ** 12n), y0: big(2n, 10n ** 18n), pct: fc.integer({ min: 1, max: 99 }) })
  .map(({ x0, y0, pct }) => {
    const sell = (y0 * BigInt(pct)) / 100n;
    return {
      kind: 'constant_product',
      virtualQuote: x0,
      virtualTokens: y0,
      sell: sell < 1n ? 1n : sell >= y0 ? y0 - 1n : sell,
    };
  });

const linearCurve: fc.Arbitrary<Curve> = fc
  .record({ p0: big(0n, 10n ** 6n), rise: big(0n, 10n ** 7n), sell: big(1n, 10n ** 15n) })
  .map(({ p0, rise, sell }) => ({ kind: 'linear', startPrice: p0, endPrice: p0 + rise, sell }));

const piecewiseCurve: fc.Arbitrary<Curve> = fc
  .record({
    start: big(0n, 10n ** 6n),
    pieces: fc.array(fc.record({ width: big(1n, 10n ** 14n), rise: big(0n, 10n ** 6n) }), {
      minLength: 1,
      maxLength: 6,
    }),
  })
  .map(({ start, pieces }) => {
    let price = start;
    let until = 0n;
    const segments = pieces.map(({ width, rise }) => {
      const segment = { fromPrice: price, toPrice: price + rise, until: until + width };
      price += rise;
      until += width;
      return segment;
    });
    return { kind: 'piecewise', segments };
  });

const exponentialCurve: fc.Arbitrary<Curve> = fc
  .record({
    p: big(0n, 10n ** 6n),
    growth: fc.integer({ min: 0, max: 200 }),
    steps: big(1n, 300n),
    q: big(1n, 10n ** 12n),
    tail: big(0n, 10n ** 12n),
  })
  .map(({ p, growth, steps, q, tail }) => ({
    kind: 'exponential',
    startPrice: p,
    growthBps: growth,
    stepTokens: q,
    sell: (steps - 1n) * q + 1n + (tail % q),
  }));

const sigmoidCurve: fc.Arbitrary<Curve> = fc
  .record({
    a: big(0n, 10n ** 6n),
    rise: big(0n, 10n ** 7n),
    sell: big(1n, 10n ** 15n),
    mid: big(0n, 200n),
    width: big(1n, 2_000n),
  })
  .map(({ a, rise, sell, mid, width }) => ({
    kind: 'sigmoid',
    minPrice: a,
    maxPrice: a + rise,
    midpoint: (sell * mid) / 100n,
    width: (sell * width) / 1_000n || 1n,
    sell,
  }));

const vectorCurve = fc.constantFrom(...Object.values(VECTOR_CURVES));

const template = (curve: fc.Arbitrary<Curve>): fc.Arbitrary<CurveTemplate> =>
  fc
    .tuple(curve, fc.integer({ min: 6, max: 9 }), fc.integer({ min: 0, max: 1_000 }))
    .map(([c, d, f]) => templateOf(c, d, f));

const anyTemplate = template(
  fc.oneof(cpCurve, linearCurve, piecewiseCurve, exponentialCurve, sigmoidCurve, vectorCurve),
);
const reserveTargetTemplate = template(
  fc.oneof(
    linearCurve,
    piecewiseCurve,
    exponentialCurve,
    sigmoidCurve,
    vectorCurve.filter(isReserveTargetCurve),
  ),
);
const cpTemplate = template(
  fc.oneof(
    cpCurve,
    vectorCurve.filter((c) => c.kind === 'constant_product'),
  ),
);

function isReserveTargetCurve(c: Curve): boolean {
  return c.kind !== 'constant_product';
}

/** An amount in [0, max]: a share of it (anywhere in the range) or a small absolute one (edges). */
const amount = fc.oneof(
  big(0n, 1n << 32n).map((f) => (max: bigint) => (max * f) >> 32n),
  big(0n, 2_000n).map((v) => (max: bigint) => (v < max ? v : max)),
);

// ---------- helpers ----------

function rtModel(t: CurveTemplate): ReserveTargetModel {
  const m = createCurveModel(t);
  if (m.kind === 'constant_product') throw new Error('expected a reserve-target curve');
  return m;
}

/** The state one exact buy of `sold` from launch reaches (reserve targets: the same by path independence). */
function stateAt(model: CurveModel, sold: bigint): CurveState {
  const launch = initialCurveState(model);
  if (sold === 0n) return launch;
  if (model.kind === 'constant_product') return applyBuy(model, launch, quoteBuyExact(model, launch, sold));
  return { sold, quote: reserveTarget(model, sold), tokens: model.sell - sold };
}

function codeOf(f: () => unknown): ErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof AssetL2Error) return e.code;
    throw e;
  }
}

/** Cost of an exact buy, 0 for Δ = 0 or a free (net 0, rejected) one. */
function totalOf(model: CurveModel, state: CurveState, tokens: bigint): bigint {
  if (tokens === 0n) return 0n;
  try {
    return quoteBuyExact(model, state, tokens).total;
  } catch (e) {
    if (e instanceof AssetL2Error && e.code === 'ZERO_AMOUNT') return 0n;
    throw e;
  }
}

function tryBuy(model: CurveModel, state: CurveState, tokens: bigint): BuyQuote | null {
  return tokens === 0n || codeOf(() => quoteBuyExact(model, state, tokens)) === 'ZERO_AMOUNT'
    ? null
    : quoteBuyExact(model, state, tokens);
}

function trySell(model: CurveModel, state: CurveState, tokens: bigint): SellQuote | null {
  return tokens === 0n || codeOf(() => quoteSell(model, state, tokens)) === 'ZERO_AMOUNT'
    ? null
    : quoteSell(model, state, tokens);
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * F(s)·10^9 (nano-lamport·base units per whole token) straight from the spec's formulas, as an
 * exact fraction, segment after segment / step after step: the reference the prefix-sum model
 * is checked against.
 */
function referenceF(curve: Curve, s: bigint): { num: bigint; den: bigint } {
  const pieces: { from: bigint; to: bigint; start: bigint; end: bigint }[] = [];
  switch (curve.kind) {
    case 'linear':
      pieces.push({ from: curve.startPrice * NANO, to: curve.endPrice * NANO, start: 0n, end: curve.sell });
      break;
    case 'piecewise': {
      let start = 0n;
      for (const seg of curve.segments) {
        pieces.push({ from: seg.fromPrice * NANO, to: seg.toPrice * NANO, start, end: seg.until });
        start = seg.until;
      }
      break;
    }
    case 'sigmoid': {
      const points = sigmoidBreakpoints(curve);
      for (let i = 1; i < points.length; i++) {
        pieces.push({
          from: points[i - 1]!.price,
          to: points[i]!.price,
          start: points[i - 1]!.sold,
          end: points[i]!.sold,
        });
      }
      break;
    }
    case 'exponential': {
      let q = curve.startPrice * NANO;
      let area = 0n;
      for (let start = 0n; start < s; start += curve.stepTokens) {
        const run = minBig(s - start, curve.stepTokens);
        area += q * run;
        q = ceilDiv(q * (10_000n + BigInt(curve.growthBps)), 10_000n);
      }
      return { num: area, den: 1n };
    }
    case 'constant_product':
      throw new Error('no reserve target');
  }
  // Σ a·L + (b−a)·L²/(2W) over a common denominator.
  let num = 0n;
  let den = 1n;
  for (const p of pieces) {
    const w = p.end - p.start;
    if (w === 0n) continue;
    const l = s <= p.start ? 0n : s >= p.end ? w : s - p.start;
    const termNum = 2n * w * p.from * l + (p.to - p.from) * l * l;
    const termDen = 2n * w;
    num = num * termDen + termNum * den;
    den *= termDen;
  }
  return { num, den };
}

// ---------- properties ----------

describe('reserve target', () => {
  it('T(s) = ceil(F(s)/10^d) for the exact F of the spec: never below what is owed, by less than 1', () => {
    fc.assert(
      fc.property(reserveTargetTemplate, amount, (t, at) => {
        const model = rtModel(t);
        const s = at(model.sell);
        const f = referenceF(t.curve, s);
        const scale = 10n ** BigInt(t.decimals) * NANO;
        const target = reserveTarget(model, s);
        // F/(10^d·10^9) ≤ T < F/(10^d·10^9) + 1, in exact rationals.
        expect(target * scale * f.den >= f.num).toBe(true);
        expect((target - 1n) * scale * f.den < f.num).toBe(true);
      }),
    );
  });

  it('linear equals its closed form and a one-segment piecewise curve', () => {
    fc.assert(
      fc.property(linearCurve, fc.integer({ min: 6, max: 9 }), amount, (curve, d, at) => {
        if (curve.kind !== 'linear') return;
        const s = at(curve.sell);
        const asPiecewise: Curve = {
          kind: 'piecewise',
          segments: [{ fromPrice: curve.startPrice, toPrice: curve.endPrice, until: curve.sell }],
        };
        const t = reserveTarget(rtModel(templateOf(curve, d)), s);
        expect(reserveTarget(rtModel(templateOf(asPiecewise, d)), s)).toBe(t);
        expect(linearReserveTarget(curve, d, s)).toBe(t);
      }),
    );
  });

  it('is path independent: buying Δ1 then Δ2 nets the same as buying Δ1+Δ2', () => {
    fc.assert(
      fc.property(reserveTargetTemplate, amount, amount, amount, (t, at0, at1, at2) => {
        const model = rtModel(t);
        const s0 = at0(model.sell);
        const d1 = at1(model.sell - s0);
        const d2 = at2(model.sell - s0 - d1);
        const state0 = stateAt(model, s0);
        const q1 = tryBuy(model, state0, d1);
        if (!q1) return;
        const state1 = applyBuy(model, state0, q1);
        const q2 = tryBuy(model, state1, d2);
        if (!q2) return;
        const state2 = applyBuy(model, state1, q2);
        expect(q1.net + q2.net).toBe(quoteBuyExact(model, state0, d1 + d2).net);
        expect(state2.quote).toBe(reserveTarget(model, s0 + d1 + d2));
      }),
    );
  });

  it('keeps the vault at T(sold) over any trade sequence, and selling everything empties it', () => {
    const ops = fc.array(fc.tuple(fc.boolean(), amount), { maxLength: 12 });
    fc.assert(
      fc.property(reserveTargetTemplate, ops, (t, trades) => {
        const model = rtModel(t);
        let state = initialCurveState(model);
        for (const [buy, at] of trades) {
          if (buy) {
            const q = tryBuy(model, state, at(model.sell - state.sold));
            if (q) state = applyBuy(model, state, q);
          } else {
            const q = trySell(model, state, at(state.sold));
            if (q) state = applySell(model, state, q);
          }
          expect(state.quote).toBe(reserveTarget(model, state.sold));
          expect(state.tokens).toBe(model.sell - state.sold);
        }
        if (state.sold === 0n) return;
        const all = trySell(model, state, state.sold);
        if (!all) {
          // Only a vault the fee eats entirely cannot be sold back.
          expect(state.quote * BigInt(10_000 - t.feeBps) <= 0n || state.quote <= 1n).toBe(true);
          return;
        }
        expect(all.gross).toBe(state.quote);
        const empty = applySell(model, state, all);
        expect(empty).toEqual({ sold: 0n, quote: 0n, tokens: model.sell });
      }),
    );
  });

  it('has a non-decreasing spot price', () => {
    fc.assert(
      fc.property(reserveTargetTemplate, amount, amount, (t, a, b) => {
        const model = rtModel(t);
        const s1 = a(model.sell);
        const s2 = s1 + b(model.sell - s1);
        const p1 = spotPrice(model, stateAt(model, s1));
        const p2 = spotPrice(model, stateAt(model, s2));
        expect(p1.num * p2.den <= p2.num * p1.den).toBe(true);
      }),
    );
  });
});

describe('constant product', () => {
  it('never gains from splitting a buy', () => {
    fc.assert(
      fc.property(cpTemplate, amount, amount, amount, (t, at0, at1, at2) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const d1 = at1(model.sell - s0);
        const d2 = at2(model.sell - s0 - d1);
        if (d1 === 0n || d2 === 0n) return;
        const state0 = stateAt(model, s0);
        const q1 = quoteBuyExact(model, state0, d1);
        const q2 = quoteBuyExact(model, applyBuy(model, state0, q1), d2);
        const whole = quoteBuyExact(model, state0, d1 + d2);
        expect(q1.net + q2.net >= whole.net).toBe(true);
        expect(q1.total + q2.total >= whole.total).toBe(true);
      }),
    );
  });

  it('never lets X·Y decrease, so the vault never falls below the exact X0·s/(Y0−s)', () => {
    const ops = fc.array(fc.tuple(fc.boolean(), amount), { maxLength: 12 });
    fc.assert(
      fc.property(cpTemplate, ops, (t, trades) => {
        const model = createCurveModel(t);
        if (model.kind !== 'constant_product') throw new Error('unreachable');
        let state = initialCurveState(model);
        let k = state.quote * state.tokens;
        for (const [buy, at] of trades) {
          if (buy) {
            const q = tryBuy(model, state, at(model.sell - state.sold));
            if (q) state = applyBuy(model, state, q);
          } else {
            const q = trySell(model, state, at(state.sold));
            if (q) state = applySell(model, state, q);
          }
          const product = state.quote * state.tokens;
          expect(product >= k).toBe(true);
          k = product;
          expect(state.tokens).toBe(model.y0 - state.sold);
          const vault = state.quote - model.x0;
          expect(vault * (model.y0 - state.sold) >= model.x0 * state.sold).toBe(true);
        }
      }),
    );
  });
});

describe('every shape', () => {
  it('returns no more on selling what was just bought than the buy cost', () => {
    fc.assert(
      fc.property(anyTemplate, amount, amount, (t, at0, at1) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const state0 = stateAt(model, s0);
        const buy = tryBuy(model, state0, at1(model.sell - s0));
        if (!buy) return;
        const sell = trySell(model, applyBuy(model, state0, buy), buy.tokens);
        if (!sell) return;
        expect(sell.gross <= buy.net).toBe(true);
        expect(sell.out <= buy.total).toBe(true);
        if (model.kind !== 'constant_product') expect(sell.gross).toBe(buy.net);
      }),
    );
  });

  it('charges a total that is monotone in Δ', () => {
    fc.assert(
      fc.property(anyTemplate, amount, amount, amount, (t, at0, at1, at2) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const left = model.sell - s0;
        const a = at1(left);
        const b = a + at2(left - a);
        const state = stateAt(model, s0);
        expect(totalOf(model, state, a) <= totalOf(model, state, b)).toBe(true);
        if (a < left) expect(totalOf(model, state, a) <= totalOf(model, state, a + 1n)).toBe(true);
      }),
    );
  });

  it('buys the largest affordable Δ with a budget', () => {
    fc.assert(
      fc.property(anyTemplate, amount, amount, big(0n, 1_000n), (t, at0, atBudget, extra) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const state = stateAt(model, s0);
        const left = model.sell - s0;
        const budget = atBudget((totalOf(model, state, left) * 5n) / 4n) + extra;
        // Independently: bisect the monotone total for the largest Δ with total(Δ) ≤ budget.
        let lo = 0n;
        let hi = left;
        while (lo < hi) {
          const mid = (lo + hi + 1n) / 2n;
          if (totalOf(model, state, mid) <= budget) lo = mid;
          else hi = mid - 1n;
        }
        const code = codeOf(() => quoteBuyBudget(model, state, budget));
        if (code !== 'ok') {
          expect(code).toBe('ZERO_AMOUNT');
          // Nothing affordable, or everything affordable is free (a net of 0 is rejected).
          expect(lo === 0n || totalOf(model, state, lo) === 0n).toBe(true);
          return;
        }
        const q = quoteBuyBudget(model, state, budget);
        expect(q.tokens).toBe(lo);
        expect(q.total <= budget).toBe(true);
        expect(q).toEqual(quoteBuyExact(model, state, q.tokens));
        if (q.tokens < left) expect(totalOf(model, state, q.tokens + 1n) > budget).toBe(true);
      }),
    );
  });

  it('buys at least Δ with a budget of exactly total(Δ), and less with one lamport less', () => {
    fc.assert(
      fc.property(anyTemplate, amount, amount, (t, at0, at1) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const state = stateAt(model, s0);
        const buy = tryBuy(model, state, at1(model.sell - s0));
        if (!buy) return;
        const q = quoteBuyBudget(model, state, buy.total);
        expect(q.tokens >= buy.tokens && q.total <= buy.total).toBe(true);
        const less = codeOf(() => quoteBuyBudget(model, state, buy.total - 1n));
        if (less === 'ok')
          expect(quoteBuyBudget(model, state, buy.total - 1n).tokens < buy.tokens).toBe(true);
        else expect(less).toBe('ZERO_AMOUNT');
      }),
    );
  });

  it('names every rejected trade', () => {
    fc.assert(
      fc.property(anyTemplate, amount, big(1n, 10n ** 20n), (t, at0, excess) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        const state = stateAt(model, s0);
        const left = model.sell - s0;
        expect(codeOf(() => quoteBuyExact(model, state, 0n))).toBe('ZERO_AMOUNT');
        expect(codeOf(() => quoteSell(model, state, 0n))).toBe('ZERO_AMOUNT');
        expect(codeOf(() => quoteBuyBudget(model, state, 0n))).toBe('ZERO_AMOUNT');
        const over = left + excess;
        expect(codeOf(() => quoteBuyExact(model, state, over))).toBe(
          over > U64_MAX ? 'INVALID_AMOUNT' : 'EXCEEDS_FOR_SALE',
        );
        const oversold = s0 + excess;
        expect(codeOf(() => quoteSell(model, state, oversold))).toBe(
          oversold > U64_MAX ? 'INVALID_AMOUNT' : 'EXCEEDS_SOLD',
        );
        expect(codeOf(() => quoteBuyExact(model, state, -excess))).toBe('INVALID_AMOUNT');
        expect(codeOf(() => quoteSell(model, state, -excess))).toBe('INVALID_AMOUNT');
        expect(codeOf(() => quoteBuyBudget(model, state, -excess))).toBe('INVALID_AMOUNT');
      }),
    );
  });
});

describe('u64', () => {
  // Huge but valid parameters: results beyond u64 must throw U64_OVERFLOW, never wrap.
  const hugeLinear = fc.record({ p0: big(0n, U64_MAX), rise: big(0n, U64_MAX), sell: big(1n, U64_MAX) }).map(
    ({ p0, rise, sell }): Curve => ({
      kind: 'linear',
      startPrice: p0,
      endPrice: minBig(p0 + rise, U64_MAX),
      sell,
    }),
  );
  const hugeCp = fc
    .record({ x0: big(1n, U64_MAX), y0: big(2n, U64_MAX), pct: fc.integer({ min: 1, max: 99 }) })
    .map(({ x0, y0, pct }): Curve => {
      const sell = (y0 * BigInt(pct)) / 100n;
      return { kind: 'constant_product', virtualQuote: x0, virtualTokens: y0, sell: sell < 1n ? 1n : sell };
    });

  it('throws U64_OVERFLOW exactly when a result or stored value would not fit', () => {
    fc.assert(
      fc.property(template(fc.oneof(hugeLinear, hugeCp)), amount, amount, (t, at0, at1) => {
        const model = createCurveModel(t);
        const s0 = at0(model.sell);
        if (s0 === 0n) return;
        const launch = initialCurveState(model);
        const code = codeOf(() => quoteBuyExact(model, launch, s0));
        // The net computed wide, then the value that gets stored: X0 + net, or the vault T(s0).
        const net =
          model.kind === 'constant_product'
            ? (s0 * model.x0) / (model.y0 - s0) + 1n
            : reserveTarget(model, s0);
        const stored = model.kind === 'constant_product' ? model.x0 + net : net;
        const total = net + ceilDiv(net * model.feeBps, 10_000n);
        expect(code).toBe(
          net === 0n ? 'ZERO_AMOUNT' : stored > U64_MAX || total > U64_MAX ? 'U64_OVERFLOW' : 'ok',
        );
        const budget = at1(U64_MAX);
        const budgetCode = codeOf(() => quoteBuyBudget(model, launch, budget));
        expect(['ok', 'ZERO_AMOUNT', 'U64_OVERFLOW']).toContain(budgetCode);
        if (budgetCode === 'ok') {
          const q = quoteBuyBudget(model, launch, budget);
          expect(q.total <= budget && q.total <= U64_MAX).toBe(true);
        }
      }),
    );
  });
});
