import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Curve, NANO, U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { templateOf, VECTOR_CURVES } from './fixtures/templates.ts';
import {
  applyBuy,
  applySell,
  createCurveModel,
  exponentialStepPrices,
  fee,
  initialCurveState,
  isqrt,
  linearReserveTarget,
  priceAt,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  reserveTarget,
  sigmoidApproximationError,
  sigmoidBreakpoints,
  spotPrice,
  vaultOf,
} from './index.ts';
import { largestFitting } from './quote.ts';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AssetL2Error) return e.code;
    throw e;
  }
  return 'no error';
}

const model = (name: string) => createCurveModel(templateOf(VECTOR_CURVES[name]!));

describe('fee', () => {
  it('rounds up, in the pool’s favour', () => {
    expect(fee(0n, 100)).toBe(0n);
    expect(fee(1n, 100)).toBe(1n);
    expect(fee(100n, 100)).toBe(1n);
    expect(fee(101n, 100)).toBe(2n);
    expect(fee(10_000n, 1n)).toBe(1n);
    expect(fee(12_345n, 0)).toBe(0n);
    expect(fee(U64_MAX, 10_000)).toBe(U64_MAX);
  });
  it('rejects negative amounts and rates outside 0..10000 bps', () => {
    expect(codeOf(() => fee(-1n, 100))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => fee(1n, -1))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => fee(1n, 10_001n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => fee(1n, 1.5))).toBe('INVALID_AMOUNT');
  });
});

describe('isqrt', () => {
  it('is floor(√n) on small and huge numbers', () => {
    for (let n = 0n; n < 2_000n; n++) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    for (const n of [
      U64_MAX,
      U64_MAX * U64_MAX,
      (1n << 301n) + 12_345n,
      10n ** 60n - 1n,
      (1n << 1000n) - 1n,
      1n << 1000n,
    ]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    expect(isqrt(10n ** 40n)).toBe(10n ** 20n);
    expect(isqrt(1n << 2000n)).toBe(1n << 1000n);
    expect(codeOf(() => isqrt(-1n))).toBe('INVALID_AMOUNT');
  });
});

describe('isqrt on random and near-square numbers of up to 1100 bits', () => {
  it('is floor(√n)', () => {
    const n = fc.oneof(
      fc.bigInt({ min: 0n, max: 1n << 1100n }),
      fc.bigInt({ min: 0n, max: 1n << 64n }),
      fc
        .tuple(fc.bigInt({ min: 1n, max: 1n << 550n }), fc.constantFrom(-1n, 0n, 1n))
        .map(([r, d]) => r * r + d),
    );
    fc.assert(
      fc.property(n, (v) => {
        const r = isqrt(v);
        expect(r * r <= v && (r + 1n) * (r + 1n) > v).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('largestFitting (the fallback when a budget seed is off)', () => {
  it('finds the threshold of any monotone predicate from any seed', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 64n }),
        fc.bigInt({ min: 0n, max: 1n << 64n }),
        fc.bigInt({ min: 0n, max: 1n << 64n }),
        (max, a, b) => {
          const threshold = max === 0n ? 0n : a % (max + 1n);
          const seed = max === 0n ? 0n : b % (max + 1n);
          let calls = 0;
          const found = largestFitting(seed, max, (t) => {
            calls++;
            return t <= threshold;
          });
          expect(found).toBe(threshold);
          expect(calls).toBeLessThanOrEqual(260);
        },
      ),
    );
    let calls = 0;
    const fits = (t: bigint) => {
      calls++;
      return t <= 500n;
    };
    expect(largestFitting(500n, 1_000n, fits)).toBe(500n);
    expect(calls).toBe(2);
  });
});

describe('linear', () => {
  it('equals a one-segment piecewise curve and the closed form', () => {
    const linear = VECTOR_CURVES.linear!;
    if (linear.kind !== 'linear') throw new Error('vector curve mismatch');
    const piecewise: Curve = {
      kind: 'piecewise',
      segments: [{ fromPrice: linear.startPrice, toPrice: linear.endPrice, until: linear.sell }],
    };
    const a = createCurveModel(templateOf(linear));
    const b = createCurveModel(templateOf(piecewise));
    if (a.kind === 'constant_product' || b.kind === 'constant_product') throw new Error('unreachable');
    for (let i = 0n; i <= 1000n; i++) {
      const s = (linear.sell * i) / 1000n + (i % 7n);
      if (s > linear.sell) continue;
      const t = reserveTarget(a, s);
      expect(reserveTarget(b, s)).toBe(t);
      expect(linearReserveTarget(linear, 6, s)).toBe(t);
    }
  });
});

describe('exponential step prices', () => {
  it('grow by ceil(q·(10_000+G)/10_000) from P·10^9, ceil(N/Q) of them', () => {
    const curve = VECTOR_CURVES.exponential!;
    if (curve.kind !== 'exponential') throw new Error('vector curve mismatch');
    const q = exponentialStepPrices(curve);
    expect(q.length).toBe(500);
    expect(q[0]).toBe(100n * NANO);
    expect(q[1]).toBe(100_500_000_000n);
    expect(q[2]).toBe(101_002_500_000n);
    const odd = { ...curve, sell: curve.sell + 1n };
    expect(exponentialStepPrices(odd).length).toBe(501);
  });
  it('rejects more than 4096 steps and step prices beyond u64', () => {
    const base = { kind: 'exponential', startPrice: 1n, growthBps: 0, stepTokens: 1n, sell: 4096n } as const;
    expect(exponentialStepPrices(base).length).toBe(4096);
    expect(codeOf(() => exponentialStepPrices({ ...base, sell: 4097n }))).toBe('TEMPLATE_INVALID');
    // 1 SOL per token doubling: 2^4·10^18 fits, 2^5·10^18 does not.
    const steep = { ...base, startPrice: NANO, growthBps: 10_000, sell: 5n };
    expect(exponentialStepPrices(steep).at(-1)).toBe(16n * NANO * NANO);
    expect(codeOf(() => createCurveModel(templateOf({ ...steep, sell: 6n })))).toBe('U64_OVERFLOW');
  });
});

describe('sigmoid breakpoints', () => {
  const curve = VECTOR_CURVES.sigmoid!;
  if (curve.kind !== 'sigmoid') throw new Error('vector curve mismatch');
  const points = sigmoidBreakpoints(curve);

  it('are the 33 points of the spec, integer and non-decreasing', () => {
    expect(points.length).toBe(33);
    points.forEach((p, i) => {
      expect(p.sold).toBe((BigInt(i) * curve.sell) / 32n);
      const d = p.sold - curve.midpoint;
      const r = isqrt(d * d + curve.width * curve.width);
      const rise = (curve.maxPrice - curve.minPrice) * NANO * (r + d);
      // q − A·10^9 is the least integer ≥ rise / (2r).
      const above = p.price - curve.minPrice * NANO;
      expect(above * 2n * r >= rise && (above - 1n) * 2n * r < rise).toBe(true);
      if (i > 0) expect(p.price >= points[i - 1]!.price).toBe(true);
    });
    // At the midpoint d = 0: exactly halfway.
    expect(points[16]!.price).toBe((curve.minPrice + (curve.maxPrice - curve.minPrice) / 2n) * NANO);
  });

  it('track the true sigmoid; the reported gap is small and finite', () => {
    for (const p of points) {
      const d = Number(p.sold - curve.midpoint);
      const w = Number(curve.width);
      const exact = 100 + (99_900 / 2) * (1 + d / Math.sqrt(d * d + w * w));
      expect(Math.abs(Number(p.price) / 1e9 - exact) / exact).toBeLessThan(1e-6);
    }
    const gap = sigmoidApproximationError(curve);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.1);
  });

  it('reject a zero width and prices beyond u64 in nano-lamports (~18.4 SOL per token)', () => {
    expect(codeOf(() => sigmoidBreakpoints({ ...curve, width: 0n }))).toBe('TEMPLATE_INVALID');
    expect(codeOf(() => sigmoidBreakpoints({ ...curve, maxPrice: 18n * NANO }))).toBe('no error');
    expect(codeOf(() => sigmoidBreakpoints({ ...curve, maxPrice: 19n * NANO }))).toBe('U64_OVERFLOW');
  });

  it('drop empty segments of a tiny curve', () => {
    const tiny = { ...curve, sell: 5n, midpoint: 2n, width: 1n };
    const m = createCurveModel(templateOf(tiny));
    if (m.kind !== 'sigmoid') throw new Error('unreachable');
    expect(m.segments.length).toBe(5);
    expect(reserveTarget(m, 5n)).toBeGreaterThan(0n);
  });
});

describe('prices', () => {
  it('spot is X/Y for constant product and p(s)/10^d for the others', () => {
    const cp = model('pump-style constant product');
    expect(spotPrice(cp, initialCurveState(cp))).toEqual({ num: 3n, den: 107_300n });
    const linear = model('linear');
    expect(spotPrice(linear, initialCurveState(linear))).toEqual({ num: 1n, den: 1_000n });
    expect(priceAt(linear, 400_000_000_000_000n)).toEqual({ num: 25_500n, den: 1n });
    expect(priceAt(linear, 800_000_000_000_000n)).toEqual({ num: 50_000n, den: 1n });
    const piecewise = model('piecewise');
    expect(priceAt(piecewise, 200_000_000_000_000n)).toEqual({ num: 5_000n, den: 1n });
    expect(priceAt(piecewise, 100_000_000_000_000n)).toEqual({ num: 3_000n, den: 1n });
    const exponential = model('exponential');
    expect(priceAt(exponential, 0n)).toEqual({ num: 100n, den: 1n });
    expect(priceAt(exponential, 1_000_000_000_000n)).toEqual({ num: 201n, den: 2n });
    // At N the price is the last step's, j = min(floor(s/Q), K−1).
    const curve = VECTOR_CURVES.exponential!;
    if (curve.kind !== 'exponential') throw new Error('vector curve mismatch');
    const last = exponentialStepPrices(curve).at(-1)!;
    expect(priceAt(exponential, 500_000_000_000_000n)).toEqual(priceAt(exponential, 499_999_999_999_999n));
    const atEnd = priceAt(exponential, 500_000_000_000_000n);
    expect(atEnd.num * NANO).toBe(last * atEnd.den);
    expect(codeOf(() => priceAt(exponential, 500_000_000_000_001n))).toBe('INVALID_AMOUNT');
  });
});

describe('errors', () => {
  const names = Object.keys(VECTOR_CURVES);
  it.each(names)('%s: zero, too many, too few sold, negative', (name) => {
    const m = model(name);
    const launch = initialCurveState(m);
    const state = applyBuy(m, launch, quoteBuyExact(m, launch, 1_000_000_000n));
    expect(codeOf(() => quoteBuyExact(m, state, 0n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => quoteBuyBudget(m, state, 0n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => quoteBuyBudget(m, state, 1n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => quoteSell(m, state, 0n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => quoteSell(m, state, 1n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => quoteBuyExact(m, state, m.sell - state.sold + 1n))).toBe('EXCEEDS_FOR_SALE');
    expect(codeOf(() => quoteBuyExact(m, state, m.sell - state.sold))).toBe('no error');
    expect(codeOf(() => quoteSell(m, state, state.sold + 1n))).toBe('EXCEEDS_SOLD');
    expect(codeOf(() => quoteSell(m, state, state.sold))).toBe('no error');
    expect(codeOf(() => quoteBuyExact(m, state, -1n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => quoteBuyBudget(m, state, -5n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => quoteSell(m, state, -1n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => quoteBuyBudget(m, state, U64_MAX + 1n))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => quoteBuyExact(m, { ...state, sold: m.sell + 1n }, 1n))).toBe('INVALID_AMOUNT');
    const soldOut = applyBuy(m, launch, quoteBuyExact(m, launch, m.sell));
    expect(codeOf(() => quoteBuyExact(m, soldOut, 1n))).toBe('EXCEEDS_FOR_SALE');
    expect(codeOf(() => quoteBuyBudget(m, soldOut, 10n ** 18n))).toBe('ZERO_AMOUNT');
    expect(codeOf(() => applyBuy(m, soldOut, quoteBuyExact(m, state, 1_000_000n)))).toBe('EXCEEDS_FOR_SALE');
    expect(codeOf(() => applySell(m, launch, quoteSell(m, state, 1_000_000n)))).toBe('EXCEEDS_SOLD');
  });

  it('overflow of a quote result or stored value is U64_OVERFLOW, never a wrap', () => {
    const huge = createCurveModel(
      templateOf({ kind: 'linear', startPrice: 0n, endPrice: U64_MAX, sell: 10n ** 18n }),
    );
    const launch = initialCurveState(huge);
    expect(codeOf(() => quoteBuyExact(huge, launch, 10n ** 18n))).toBe('U64_OVERFLOW');
    expect(codeOf(() => quoteBuyExact(huge, launch, 10n ** 6n))).toBe('no error');
    const rich = createCurveModel(
      templateOf({
        kind: 'constant_product',
        virtualQuote: U64_MAX - 1_000n,
        virtualTokens: 10n ** 12n,
        sell: 10n ** 11n,
      }),
    );
    expect(codeOf(() => quoteBuyExact(rich, initialCurveState(rich), 10n ** 6n))).toBe('U64_OVERFLOW');
    expect(codeOf(() => quoteBuyBudget(rich, initialCurveState(rich), U64_MAX))).toBe('U64_OVERFLOW');
  });

  it('rejects malformed curves with TEMPLATE_INVALID', () => {
    const bad: Curve[] = [
      { kind: 'constant_product', virtualQuote: 1n, virtualTokens: 10n, sell: 10n },
      { kind: 'constant_product', virtualQuote: 0n, virtualTokens: 10n, sell: 1n },
      { kind: 'linear', startPrice: 1n, endPrice: 2n, sell: 0n },
      { kind: 'piecewise', segments: [] },
      {
        kind: 'piecewise',
        segments: [
          { fromPrice: 1n, toPrice: 2n, until: 5n },
          { fromPrice: 2n, toPrice: 3n, until: 5n },
        ],
      },
      { kind: 'exponential', startPrice: 1n, growthBps: 1, stepTokens: 0n, sell: 5n },
      { kind: 'sigmoid', minPrice: 5n, maxPrice: 4n, midpoint: 1n, width: 1n, sell: 5n },
    ];
    for (const curve of bad)
      expect(codeOf(() => createCurveModel(templateOf(curve)))).toBe('TEMPLATE_INVALID');
    expect(codeOf(() => createCurveModel(templateOf(VECTOR_CURVES.linear!, 5)))).toBe('TEMPLATE_INVALID');
    expect(codeOf(() => createCurveModel(templateOf(VECTOR_CURVES.linear!, 6, 10_001)))).toBe(
      'TEMPLATE_INVALID',
    );
  });
});

describe('models and states', () => {
  it('are frozen values, and the state tracks the vault', () => {
    for (const name of Object.keys(VECTOR_CURVES)) {
      const m = model(name);
      expect(Object.isFrozen(m)).toBe(true);
      const launch = initialCurveState(m);
      expect(vaultOf(m, launch)).toBe(0n);
      const bought = applyBuy(m, launch, quoteBuyExact(m, launch, 123_456_789_000n));
      const sold = applySell(m, bought, quoteSell(m, bought, 23_456_789_000n));
      expect(sold.sold).toBe(100_000_000_000n);
      if (m.kind === 'constant_product') {
        expect(sold.tokens).toBe(m.y0 - sold.sold);
      } else {
        expect(sold.quote).toBe(reserveTarget(m, sold.sold));
        expect(sold.tokens).toBe(m.sell - sold.sold);
      }
    }
  });
});
