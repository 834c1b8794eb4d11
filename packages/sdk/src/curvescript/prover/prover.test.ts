import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, REFUTATIONS, template, tokens } from '../obligations/fixtures.ts';
import { buildObligations, buildScript, type Obligation, obligationSpecs } from '../obligations/index.ts';
import type { Curve, CurveTemplate, Migration } from '../template.ts';
import { validateTemplate } from '../validate.ts';
import {
  compileAndProve,
  counterexampleOf,
  type ProofReport,
  parseModel,
  proofPassed,
  proveObligation,
  proveTemplate,
  runSmt,
  shutdownProver,
} from './index.ts';

// One Z3 instance for the whole file (loaded by the first query), stopped at the end.
afterAll(async () => {
  await shutdownProver();
});

const HASH = 'ab'.repeat(32);

describe('proveTemplate', () => {
  it.each(Object.entries(EXAMPLES))('%s: Z3 proves every obligation', async (_, t) => {
    const report = await proveTemplate(t, HASH, {});
    expect(report.templateHash).toBe(HASH);
    expect(report.solver).toMatch(/^z3 \d+\.\d+\.\d+ \(z3-solver 5\.2\.0\)$/);
    expect(report.allowUnproven).toBe(false);
    expect(report.obligations.map((o) => [o.name, o.result])).toEqual(
      buildObligations(t).map((o) => [o.name, 'proved']),
    );
    for (const o of report.obligations) {
      expect(Object.keys(o).sort()).toEqual(['description', 'ms', 'name', 'result', 'smtlib']);
      expect(o.ms).toBeGreaterThanOrEqual(0);
    }
    expect(proofPassed(report, false)).toBe(true);
  });

  it.each(REFUTATIONS)(
    '$name: Z3 refutes $obligation with a counterexample',
    async ({ template: t, obligation }) => {
      const o = buildObligations(t).find((x) => x.name === obligation)!;
      expect(o.evaluate().holds).toBe(false);
      const proof = await proveObligation(o);
      expect(proof.result).toBe('refuted');
      expect(proof.counterexample?.check).toMatch(/^[a-z_]+$/);
      expect(o.smtlib).toContain(`(${proof.counterexample!.check})`);
    },
  );

  it('the counterexample names the failing check and its witness only', async () => {
    const floor = buildObligations(REFUTATIONS[0]!.template).find((o) => o.name === 'reserve_floor')!;
    const proof = await proveObligation(floor);
    expect(proof.counterexample).toEqual({ check: 'floor_at_sell', s: '793100000000000', ratio_bps: '2608' });
    const pool = REFUTATIONS.find((r) => r.check === 'lp_shares_above_locked')!;
    const lp = await proveObligation(
      buildObligations(pool.template).find((o) => o.name === pool.obligation)!,
    );
    expect(lp.counterexample).toEqual({ check: 'lp_shares_above_locked', x: '1', y: '1000' });
  });

  it('a piecewise floor counterexample is a real point where the floor fails', async () => {
    const r = REFUTATIONS.find((x) => x.name === 'piecewise floor 40%')!;
    const proof = await proveObligation(
      buildObligations(r.template).find((o) => o.name === 'reserve_floor')!,
    );
    expect(proof.counterexample?.check).toBe('floor_segment');
    const [num, den = '1'] = proof.counterexample!.s!.split('/');
    // Segment 1 of the example: 5_000 → 60_000 lamports over (200M, 800M] tokens, k = 40%.
    const s = { n: BigInt(num!), d: BigInt(den) };
    const u = tokens(200_000_000);
    const W = tokens(600_000_000);
    const F2 = (1_000n + 5_000n) * u; // twice the area of segment 0
    const L = s.n - u * s.d; // L·d
    // 2W·d²·(10000·F − k·p·s) < 0
    const area = 10_000n * (W * F2 * s.d * s.d + 2n * W * 5_000n * L * s.d + 55_000n * L * L);
    const spot = 2n * 4_000n * (5_000n * W * s.d + 55_000n * L) * s.n;
    expect(area - spot).toBeLessThan(0n);
  });

  it('a tiny resource limit gives unknown, which passes only with allowUnproven', async () => {
    const report = await proveTemplate(EXAMPLES.piecewise, HASH, { rlimit: 1, allowUnproven: true });
    expect(report.allowUnproven).toBe(true);
    expect(report.obligations.every((o) => o.result === 'unknown')).toBe(true);
    expect(proofPassed(report)).toBe(true);
    expect(proofPassed(report, false)).toBe(false);
  });
});

describe('proofPassed', () => {
  const report = (...results: ('proved' | 'refuted' | 'unknown')[]): ProofReport => ({
    templateHash: HASH,
    solver: 'z3',
    allowUnproven: false,
    obligations: results.map((result, i) => ({ name: `o${i}`, description: '', smtlib: '', result, ms: 0 })),
  });
  it('refuted never passes; unknown only with allowUnproven', () => {
    expect(proofPassed(report('proved', 'proved'), false)).toBe(true);
    expect(proofPassed(report('proved', 'refuted'), true)).toBe(false);
    expect(proofPassed(report('proved', 'unknown'), false)).toBe(false);
    expect(proofPassed(report('proved', 'unknown'), true)).toBe(true);
    expect(proofPassed(report('unknown', 'refuted'), true)).toBe(false);
  });
});

describe('model parsing', () => {
  it('reads integers, negatives, rationals and constructors; skips functions', () => {
    const text = `(
  (define-fun violated () Check
    floor_segment)
  (define-fun floor_segment.s () Real
    (/ 4800000000000000.0 11.0))
  (define-fun floor_segment.segment () Int
    1)
  (define-fun other.x () Int
    (- 5))
  (define-fun r () Real
    2.0)
  (define-fun f ((x!0 Int)) Int
    (ite (= x!0 1) 2 3))
)`;
    const model = parseModel(text);
    expect(model).toEqual({
      violated: 'floor_segment',
      'floor_segment.s': '4800000000000000/11',
      'floor_segment.segment': '1',
      'other.x': '-5',
      r: '2',
    });
    expect(counterexampleOf(model)).toEqual({
      check: 'floor_segment',
      s: '4800000000000000/11',
      segment: '1',
    });
  });

  it('runSmt: unsat proves, sat refutes with the model, errors throw', async () => {
    expect(await runSmt('(declare-const x Int)(assert (> x x))(check-sat)')).toMatchObject({
      result: 'proved',
    });
    const sat = await runSmt('(declare-const x Int)(assert (= (* 2 x) 6))(check-sat)');
    expect(sat).toMatchObject({ result: 'refuted', model: { x: '3' } });
    expect(sat.rlimitUsed).toBeGreaterThan(0);
    await expect(runSmt('(assert (> y 0))(check-sat)')).rejects.toThrow(/unknown constant/);
  });
});

describe('compileAndProve', () => {
  const script = (floor: string) => `launch "Rocket Cat" symbol RCAT
supply 1_000_000_000 tokens
curve constant_product
  virtual_quote 30 sol
  virtual_tokens 1_073_000_000 tokens
  sell 793_100_000 tokens
fee 1%
reserve_floor ${floor}
migrate when sold 793_100_000 tokens to amm fee 0.25% lp burn
`;
  it('reports a refuted obligation at its anchor line', async () => {
    const { result, proof } = await compileAndProve(script('30%'));
    expect(result.ok).toBe(false);
    expect(proof?.obligations.find((o) => o.name === 'reserve_floor')?.result).toBe('refuted');
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(8);
  });
});

// ---------------------------------------------------------------------------------------------
// Random small templates: Z3's verdict on the ground checks equals evaluate(). The symbolic
// lemmas (template-independent theorems, proved above) are left out to keep each query short.

const amount = (max: bigint) => fc.bigInt({ min: 0n, max });
const positive = (max: bigint) => fc.bigInt({ min: 1n, max });

function curveArb(sell: bigint): fc.Arbitrary<Curve> {
  const price = fc.oneof(
    { weight: 5, arbitrary: amount(100_000n) },
    { weight: 1, arbitrary: amount(10n ** 17n) },
  );
  return fc.oneof(
    fc.tuple(positive(10n ** 12n), fc.bigInt({ min: 1n, max: sell * 4n + 1_000n })).map(
      ([x, extra]): Curve => ({
        kind: 'constant_product',
        virtualQuote: x,
        virtualTokens: sell + extra,
        sell,
      }),
    ),
    fc.tuple(price, price).map(
      ([a, b]): Curve => ({
        kind: 'linear',
        startPrice: a,
        endPrice: b > a || b % 5n !== 0n ? b : a,
        sell,
      }),
    ),
    fc
      .tuple(amount(10_000n), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 1, max: 48 }))
      .map(([p, g, steps]): Curve => {
        const q = (sell + BigInt(steps) - 1n) / BigInt(steps);
        return { kind: 'exponential', startPrice: p, growthBps: g, stepTokens: q > 0n ? q : 1n, sell };
      }),
    fc.tuple(amount(100_000n), amount(1_000_000n), amount(sell), positive(sell)).map(
      ([a, b, m, w]): Curve => ({
        kind: 'sigmoid',
        minPrice: a < b ? a : b,
        maxPrice: a < b ? b : a,
        midpoint: m,
        width: w,
        sell,
      }),
    ),
    fc.array(fc.tuple(positive(sell), price), { minLength: 0, maxLength: 3 }).chain((cuts) =>
      price.map((first): Curve => {
        const untils = [...new Set([...cuts.map(([u]) => u), sell])].sort((x, y) => (x < y ? -1 : 1));
        const prices = [first, ...cuts.map(([, p]) => p)];
        return {
          kind: 'piecewise',
          segments: untils
            .map((until, i) => ({ fromPrice: prices[i]!, toPrice: prices[i + 1] ?? prices[i]!, until }))
            .map((s, i, all) => ({ ...s, fromPrice: i === 0 ? s.fromPrice : all[i - 1]!.toPrice })),
        };
      }),
    ),
  );
}

const templateArb: fc.Arbitrary<CurveTemplate> = fc
  .tuple(
    fc.constantFrom(6, 9),
    fc.bigInt({ min: 1_000n, max: 10n ** 16n }),
    fc.integer({ min: 0, max: 2_000 }),
    fc.integer({ min: 1, max: 10_000 }),
  )
  .chain(([decimals, supply, allocBps, sellBps]) => {
    const alloc = (supply * BigInt(allocBps)) / 10_000n;
    const sell = ((supply - alloc) * BigInt(sellBps)) / 10_000n || 1n;
    const migration: fc.Arbitrary<Migration | null> = fc.oneof(
      fc.constant(null),
      fc.record({
        trigger: fc.constantFrom('sold' as const, 'raised' as const),
        threshold: fc.oneof(positive(sell + 2n), positive(10n ** 13n)),
        ammFeeBps: fc.constant(25),
        migrationFee: fc.oneof(fc.constant(0n), amount(10n ** 10n)),
        lp: fc.constant('burn' as const),
      }),
    );
    return fc
      .tuple(
        curveArb(sell),
        fc.integer({ min: 0, max: 1_000 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 })),
        migration,
      )
      .map(([curve, fee, floor, m]) =>
        template(curve, {
          decimals,
          supply,
          creatorAllocation: alloc,
          feeBps: fee,
          reserveFloorBps: floor,
          migration: m,
        }),
      );
  })
  .filter((t) => validateTemplate(t).length === 0);

describe('Z3 agrees with evaluate()', () => {
  it('on random small templates', async () => {
    await fc.assert(
      fc.asyncProperty(templateArb, async (t) => {
        for (const spec of obligationSpecs(t)) {
          const ground = { ...spec, checks: spec.checks.filter((c) => c.evaluate) };
          const verdict = buildObligations(t)
            .find((o: Obligation) => o.name === spec.name)!
            .evaluate();
          const { result } = await runSmt(buildScript(ground));
          expect(
            result,
            `${spec.name} of ${JSON.stringify(t, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`,
          ).toBe(verdict.holds ? 'proved' : 'refuted');
        }
      }),
      { numRuns: 25 },
    );
  });
});
