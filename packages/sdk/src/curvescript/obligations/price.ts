/** Obligation price_non_decreasing: the spot price never falls as tokens are sold. */
import type { CurveTemplate } from '../template.ts';
import { cpSpotMoves, expGrowth, segmentPriceMonotone } from './lemmas.ts';
import { type Shape, templateDefinitions } from './shape.ts';
import type { Check, ObligationSpec } from './smt.ts';

export function priceObligation(t: CurveTemplate, shape: Shape): ObligationSpec {
  const checks: Check[] = [...shape.checks];
  let proof: string[];
  switch (shape.kind) {
    case 'cp':
      proof = [
        'CP: the spot X/Y rises on every buy and falls on every sell (lemma_cp_spot_moves), so',
        'along the curve it is increasing in s; the structural check keeps X, Y positive.',
      ];
      checks.push(cpSpotMoves);
      break;
    case 'segments': {
      proof = [
        'p(s) is linear on each segment, so it is non-decreasing iff every segment ends at',
        'least where it starts (lemma_segment_price_monotone) and every segment starts where the',
        'previous one ends (no jump down); both are ground facts over the segment list.',
      ];
      const segs = shape.segments;
      checks.push(segmentPriceMonotone, {
        id: 'segment_rises',
        comment: 'every segment: a_j ≤ b_j',
        vars: [['segment', 'Int']],
        violation: (w) =>
          `(or ${segs.map((g) => `(and (= ${w('segment')} ${g.index}) (> a_${g.index} b_${g.index}))`).join(' ')})`,
        evaluate: () => {
          const bad = segs.find((g) => g.a > g.b);
          return bad ? { segment: String(bad.index), from: String(bad.a), to: String(bad.b) } : undefined;
        },
      });
      if (segs.length > 1) {
        checks.push({
          id: 'segments_continuous',
          comment: 'every segment after the first: a_j = b_{j−1}',
          vars: [['segment', 'Int']],
          violation: (w) =>
            `(or ${segs
              .slice(1)
              .map((g) => `(and (= ${w('segment')} ${g.index}) (not (= a_${g.index} b_${g.index - 1})))`)
              .join(' ')})`,
          evaluate: () => {
            const bad = segs.find((g, j) => j > 0 && g.a !== segs[j - 1]!.b);
            return bad ? { segment: String(bad.index) } : undefined;
          },
        });
      }
      break;
    }
    case 'exp':
      proof = [
        'exponential: q_0 = P·10^9 ≥ 0 and each step q_{j+1} = ceil(q_j·(10000+G)/10000) ≥ q_j',
        '(lemma_exp_growth, G ≥ 0 by the structural check): by induction the q_j never decrease,',
        'and the price is constant on each run.',
      ];
      checks.push(expGrowth);
      break;
  }
  return {
    name: 'price_non_decreasing',
    description: 'the curve price never decreases as tokens are sold',
    anchor: 'curve',
    proof,
    definitions: [...templateDefinitions(t), ...shape.definitions],
    checks,
  };
}
