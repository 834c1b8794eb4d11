import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cpBuyNet,
  createCurveModel,
  exponentialStepPrices,
  type ReserveTargetModel,
  reserveTarget,
  sigmoidBreakpoints,
} from '../../curve/index.ts';
import type { ExponentialCurve, SigmoidCurve } from '../template.ts';
import { validateTemplate } from '../validate.ts';
import { EXAMPLES, linearFromZeroHalf, REFUTATIONS } from './fixtures.ts';
import { segmentFloorViolation } from './floor.ts';
import { buildObligations } from './index.ts';
import { buildShape, sigmoidRows } from './shape.ts';

const ALL = [
  'no_u64_overflow',
  'price_non_decreasing',
  'vault_covers_reserve',
  'reserve_floor',
  'migration_reachable',
  'migration_pool_nonempty',
];

describe('buildObligations', () => {
  it.each(Object.entries(EXAMPLES))('%s: every obligation holds by exact evaluation', (_, t) => {
    expect(validateTemplate(t)).toEqual([]);
    const obligations = buildObligations(t);
    expect(obligations.map((o) => o.name)).toEqual(ALL);
    for (const o of obligations) expect(o.evaluate(), o.name).toEqual({ holds: true });
  });

  it('anchors: floor on reserve_floor, migration on migrate, the rest on curve', () => {
    const anchors = Object.fromEntries(buildObligations(EXAMPLES.pump).map((o) => [o.name, o.anchor]));
    expect(anchors).toEqual({
      no_u64_overflow: 'curve',
      price_non_decreasing: 'curve',
      vault_covers_reserve: 'curve',
      reserve_floor: 'reserve_floor',
      migration_reachable: 'migrate',
      migration_pool_nonempty: 'migrate',
    });
  });

  it('leaves out the floor without reserve_floor and migration without migrate', () => {
    const names = buildObligations({ ...EXAMPLES.linear, reserveFloorBps: 0, migration: null }).map(
      (o) => o.name,
    );
    expect(names).toEqual(ALL.slice(0, 3));
  });

  it.each(Object.entries(EXAMPLES))('%s: scripts are plain ASCII SMT-LIB with one check-sat', (_, t) => {
    for (const o of buildObligations(t)) {
      expect([...o.smtlib].every((ch) => ch === '\n' || (ch >= ' ' && ch <= '~'))).toBe(true);
      expect(o.smtlib).not.toContain('?');
      expect(o.smtlib.split('\n').filter((l) => l.includes('(check-sat)') && !l.startsWith(';'))).toEqual([
        '(check-sat)',
      ]);
      expect(o.smtlib.trimEnd().endsWith('(check-sat)')).toBe(true);
      // Balanced parentheses outside comments.
      let depth = 0;
      let lowest = 0;
      for (const line of o.smtlib.split('\n')) {
        for (const ch of line.replace(/;.*$/, '')) {
          depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
          lowest = Math.min(lowest, depth);
        }
      }
      expect([depth, lowest]).toEqual([0, 0]);
    }
  });

  it('an exponential curve of 4096 steps keeps its scripts small', () => {
    const t = {
      ...EXAMPLES.exponential,
      curve: { ...(EXAMPLES.exponential.curve as ExponentialCurve), stepTokens: 122_071_000_000n },
    };
    expect(buildShape(t).kind === 'exp' && (buildShape(t) as { steps: bigint }).steps).toBe(4_096n);
    for (const o of buildObligations(t)) expect(o.smtlib.length).toBeLessThan(10_000);
  });

  it.each(REFUTATIONS)(
    '$name: $obligation fails at $check',
    ({ template, obligation, check, structural }) => {
      expect(validateTemplate(template).length > 0).toBe(structural === true);
      const verdicts = Object.fromEntries(buildObligations(template).map((o) => [o.name, o.evaluate()]));
      expect(verdicts[obligation]?.holds).toBe(false);
      expect(verdicts[obligation]?.counterexample?.check).toBe(check);
    },
  );

  it('counterexamples carry the witness', () => {
    const floor = buildObligations(REFUTATIONS[0]!.template).find((o) => o.name === 'reserve_floor')!;
    expect(floor.evaluate().counterexample).toEqual({
      check: 'floor_at_sell',
      s: '793100000000000',
      ratio_bps: '2608',
    });
  });

  it('linear from 0 keeps exactly 50%', () => {
    const floor = buildObligations(linearFromZeroHalf).find((o) => o.name === 'reserve_floor')!;
    expect(floor.evaluate().holds).toBe(true);
  });

  it('an unreachable threshold makes the pool obligation vacuous', () => {
    const t = REFUTATIONS.find((r) => r.check === 'threshold_within_sale')!.template;
    expect(
      buildObligations(t)
        .find((o) => o.name === 'migration_pool_nonempty')!
        .evaluate().holds,
    ).toBe(true);
  });

  it('a malformed template fails its structural check instead of throwing', () => {
    const t = {
      ...EXAMPLES.exponential,
      curve: { ...(EXAMPLES.exponential.curve as ExponentialCurve), stepTokens: 0n },
    };
    for (const o of buildObligations(t)) expect(o.evaluate().counterexample?.check).toBe('well_formed');
    const p = { ...EXAMPLES.piecewise, curve: { kind: 'piecewise' as const, segments: [] } };
    for (const o of buildObligations(p)) expect(o.evaluate().holds).toBe(false);
  });
});

describe('agreement with the curve math (packages/sdk/src/curve)', () => {
  it.each(['linear', 'exponential', 'sigmoid', 'piecewise'] as const)(
    '%s: T(s) equals reserveTarget',
    (name) => {
      const t = EXAMPLES[name];
      const shape = buildShape(t);
      if (shape.kind === 'cp') throw new Error('unexpected');
      const model = createCurveModel(t) as ReserveTargetModel;
      const N = shape.N;
      const points = [0n, 1n, N / 3n, N / 2n, N - 1n, N];
      if (shape.kind === 'segments') for (const g of shape.segments) points.push(g.u, g.u + g.W / 2n + 1n);
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: N }), (s) => {
          expect(shape.T(s)).toBe(reserveTarget(model, s));
        }),
        { numRuns: 200, examples: points.map((s) => [s]) },
      );
    },
  );

  it('exponential step prices and sigmoid breakpoints match', () => {
    const e = buildShape(EXAMPLES.exponential);
    expect(e.kind === 'exp' && e.stepTable().q).toEqual(
      exponentialStepPrices(EXAMPLES.exponential.curve as ExponentialCurve),
    );
    const c = EXAMPLES.sigmoid.curve as SigmoidCurve;
    expect(sigmoidRows(c).map((r) => ({ sold: r.s, price: r.q }))).toEqual(
      sigmoidBreakpoints(c).map((b) => ({ sold: b.sold, price: b.price })),
    );
  });

  it('constant product: net(N) equals cpBuyNet', () => {
    const shape = buildShape(EXAMPLES.pump);
    if (shape.kind !== 'cp') throw new Error('unexpected');
    expect(shape.netN()).toBe(cpBuyNet(shape.X0, shape.Y0, shape.N));
  });
});

describe('segmentFloorViolation (exact quadratic check per segment)', () => {
  // 2W·(10000·F − k·p·s) at s = u + L for a rational L = n/d, scaled by d² to stay integral.
  const H = (
    g: { u: bigint; W: bigint; a: bigint; b: bigint; F2: bigint },
    k: bigint,
    n: bigint,
    d: bigint,
  ) => {
    const c = g.b - g.a;
    const area = 10_000n * (g.W * g.F2 * d * d + 2n * g.W * g.a * n * d + c * n * n);
    const spot = 2n * k * (g.a * g.W * d + c * n) * (g.u * d + n);
    return area - spot;
  };
  const segment = fc.record({
    u: fc.bigInt({ min: 0n, max: 1_000n }),
    W: fc.bigInt({ min: 1n, max: 60n }),
    a: fc.bigInt({ min: 0n, max: 1_000n }),
    b: fc.bigInt({ min: 0n, max: 1_000n }),
    F2: fc.bigInt({ min: 0n, max: 2_000_000n }),
  });

  it('finds every integer point where the floor fails, and its witness does fail', () => {
    fc.assert(
      fc.property(segment, fc.bigInt({ min: 0n, max: 10_000n }), (g, k) => {
        const witness = segmentFloorViolation(g, k);
        for (let L = 0n; L <= g.W; L++) if (H(g, k, L, 1n) < 0n) expect(witness).toBeDefined();
        if (witness !== undefined) {
          const [num, den = '1'] = witness.split('/');
          const d = BigInt(den);
          expect(H(g, k, BigInt(num!) - g.u * d, d)).toBeLessThan(0n);
        }
      }),
      { numRuns: 500 },
    );
  });
});
