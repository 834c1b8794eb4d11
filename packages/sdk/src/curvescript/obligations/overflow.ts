/** Obligation no_u64_overflow: every stored value and quote result fits u64 on [0, N]. */
import type { CurveTemplate } from '../template.ts';
import { feeOf, str } from './exact.ts';
import {
  ceilMonotone,
  cpBuyMonotone,
  expAreaMonotone,
  expGrowth,
  isqrtFits,
  netBounded,
  segmentAreaMonotone,
} from './lemmas.ts';
import { fitsU64, type Shape, templateDefinitions } from './shape.ts';
import { type Check, defineInt, type ObligationSpec } from './smt.ts';

/** `expr` (a ground SMT term) fits u64; `exact` is the same value computed here. */
export function fits(id: string, comment: string, expr: string, exact: () => bigint): Check {
  return {
    id,
    comment: `${comment} fits u64`,
    vars: [['value', 'Int']],
    violation: (w) => `(and (= ${w('value')} ${expr}) (not (u64 ${w('value')})))`,
    evaluate: () => {
      const v = exact();
      return fitsU64(v) ? undefined : { value: str(v) };
    },
  };
}

export function feeRateCheck(t: CurveTemplate): Check {
  return {
    id: 'fee_rate',
    comment: '0 ≤ FEE_BPS ≤ 10000',
    violation: () => '(not (<= 0 FEE_BPS 10000))',
    evaluate: () => (t.feeBps >= 0 && t.feeBps <= 10_000 ? undefined : { fee_bps: String(t.feeBps) }),
  };
}

export function overflowObligation(t: CurveTemplate, shape: Shape): ObligationSpec {
  const fee = BigInt(t.feeBps);
  const sell = shape.N;
  const checks: Check[] = [
    ...shape.checks,
    feeRateCheck(t),
    fits('fits_supply', 'supply (base units)', 'SUPPLY', () => t.supply),
    fits('fits_allocation', 'creator allocation (base units)', 'ALLOC', () => t.creatorAllocation),
    fits('fits_sell', 'N, tokens for sale (base units)', 'N', () => sell),
  ];
  const proof: string[] = [];
  switch (shape.kind) {
    case 'cp': {
      proof.push(
        'CP: a buy of Δ at (X, Y) costs net = floor(Δ·X/(Y−Δ)) + 1, non-decreasing in Δ',
        '(lemma_cp_buy_monotone), so from the initial state the largest X is X0 + net(N) and the',
        'largest buy total net(N) + fee(net(N)); every later buy moves X towards that same end',
        'value and every sell pays out gross ≤ X. The vault is X − X0 ≤ net(N) and bounds the pool',
        'quote. (Per-trade rounding can add one lamport per trade on top: see the caveats.)',
      );
      const netN = () => shape.netN();
      checks.push(
        fits('fits_virtual_quote', 'X0', 'X0', () => shape.X0),
        fits('fits_virtual_tokens', 'Y0', 'Y0', () => shape.Y0),
        fits('fits_x_after_all', 'X after buying all N: X0 + net(N)', '(+ X0 netN)', () => shape.X0 + netN()),
        fits(
          'fits_buy_total',
          'total of the largest buy: net(N) + fee(net(N))',
          '(+ netN (fee netN))',
          () => {
            const n = netN();
            return n + feeOf(n, fee);
          },
        ),
        cpBuyMonotone,
        netBounded,
      );
      break;
    }
    case 'segments': {
      proof.push(
        'reserve target: prices are ≥ 0, so F and T = ceil(F/DEN) are non-decreasing',
        '(lemma_segment_area_monotone, lemma_ceil_monotone); every T(s) ≤ T(N), every buy net',
        'T(s+Δ) − T(s) ≤ T(N) and its total ≤ T(N) + fee(T(N)) (lemma_net_bounded); sells pay',
        'out at most the vault T(s). Stored prices are the segment end prices (sigmoid: the',
        'breakpoint prices q_i in nano-lamports).',
      );
      const segs = shape.segments;
      checks.push(
        {
          id: 'prices_fit',
          comment: `every stored price (${shape.priceUnit} per whole token) fits u64`,
          vars: [
            ['segment', 'Int'],
            ['price', 'Int'],
          ],
          violation: (w) =>
            `(or ${segs
              .map(
                (g) =>
                  `(and (= ${w('segment')} ${g.index}) (or (and (= ${w('price')} a_${g.index}) (not (u64 a_${g.index}))) (and (= ${w('price')} b_${g.index}) (not (u64 b_${g.index})))))`,
              )
              .join('\n    ')})`,
          evaluate: () => {
            for (const g of segs) {
              for (const p of [g.a, g.b]) if (!fitsU64(p)) return { segment: str(g.index), price: str(p) };
            }
            return undefined;
          },
        },
        fits('fits_reserve_target', 'T(N)', '(T N)', () => shape.T(sell)),
        fits('fits_buy_total', 'T(N) + fee(T(N))', '(+ (T N) (fee (T N)))', () => {
          const tn = shape.T(sell);
          return tn + feeOf(tn, fee);
        }),
        segmentAreaMonotone,
        ceilMonotone,
        netBounded,
      );
      break;
    }
    case 'exp': {
      proof.push(
        'exponential: the q_j never decrease (lemma_exp_growth), so every stored step price is at',
        'most q_{STEPS−1}; F grows with s (lemma_exp_area_monotone) and T = ceil(F/DEN) with it',
        '(lemma_ceil_monotone), so every T(s) ≤ T(N) and every buy total ≤ T(N) + fee(T(N))',
        '(lemma_net_bounded). The recursions walk the STEPS steps from the template integers.',
      );
      checks.push(
        fits(
          'fits_last_step_price',
          'the largest step price q_{STEPS−1} (nano-lamports)',
          'qLast',
          () => shape.stepTable().q.at(-1)!,
        ),
        fits('fits_reserve_target', 'T(N)', '(T N)', () => shape.T(sell)),
        fits('fits_buy_total', 'T(N) + fee(T(N))', '(+ (T N) (fee (T N)))', () => {
          const tn = shape.T(sell);
          return tn + feeOf(tn, fee);
        }),
        expGrowth,
        expAreaMonotone,
        ceilMonotone,
        netBounded,
      );
      break;
    }
  }
  const m = t.migration;
  const definitions = [...templateDefinitions(t), ...shape.definitions];
  if (m) {
    proof.push(
      'migration: the pool gets x = vault − fee ≤ the largest vault (above), y ≤ supply, and',
      'LP supply isqrt(x·y) ≤ U64 (lemma_isqrt_fits).',
    );
    definitions.push(defineInt('MIG_THRESHOLD', m.threshold), defineInt('MIG_FEE', m.migrationFee));
    checks.push(
      fits('fits_migration_threshold', 'the migration threshold', 'MIG_THRESHOLD', () => m.threshold),
      fits('fits_migration_fee', 'the migration fee', 'MIG_FEE', () => m.migrationFee),
      isqrtFits,
    );
  }
  return {
    name: 'no_u64_overflow',
    description: 'every stored value and quote result fits in u64 on the whole curve',
    anchor: 'curve',
    proof,
    definitions,
    checks,
  };
}
