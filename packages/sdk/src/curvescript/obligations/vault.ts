/** Obligation vault_covers_reserve: the vault never holds less than owed, never goes negative. */
import type { CurveTemplate } from '../template.ts';
import { str } from './exact.ts';
import {
  ceilCovers,
  ceilMonotone,
  cpBuyKeepsK,
  cpRounding,
  cpSellKeepsK,
  cpXAboveX0,
  expAreaMonotone,
  expGrowth,
  segmentAreaMonotone,
} from './lemmas.ts';
import { type Shape, templateDefinitions } from './shape.ts';
import type { Check, ObligationSpec } from './smt.ts';

function tZero(shape: Shape & { T(s: bigint): bigint }): Check {
  return {
    id: 't_zero',
    comment: 'T(0) = 0: the vault starts at the reserve target',
    vars: [['value', 'Int']],
    violation: (w) => `(and (= ${w('value')} (T 0)) (not (= ${w('value')} 0)))`,
    evaluate: () => {
      const v = shape.T(0n);
      return v === 0n ? undefined : { value: str(v) };
    },
  };
}

export function vaultObligation(t: CurveTemplate, shape: Shape): ObligationSpec {
  const checks: Check[] = [...shape.checks];
  let proof: string[];
  switch (shape.kind) {
    case 'cp':
      proof = [
        'CP: the vault moves exactly with X (buys add net, sells take gross), so vault = X − X0.',
        'net = floor(Δ·X/(Y−Δ)) + 1 has net·(Y−Δ) > Δ·X and gross = floor(Δ·X/(Y+Δ)) has',
        'gross·(Y+Δ) ≤ Δ·X (lemma_cp_rounding), so no trade lowers X·Y (lemma_cp_buy_keeps_k,',
        'lemma_cp_sell_keeps_k) and by induction X·Y ≥ X0·Y0. With Y = Y0 − s ≤ Y0 (s ≥ 0) this',
        'gives X ≥ X0 (lemma_cp_x_above_x0): the vault is never negative, also right after a sell.',
      ];
      checks.push(cpRounding, cpBuyKeepsK, cpSellKeepsK, cpXAboveX0);
      break;
    case 'segments': {
      proof = [
        'reserve target: buys add T(s+Δ) − T(s) and sells take T(s) − T(s−Δ), so from T(0) = 0',
        'the vault is exactly T(s) on every path. T(s) = ceil(F(s)/DEN) ≥ F(s)/DEN, the exact',
        'reserve (lemma_ceil_covers). F grows inside each segment when its prices are ≥ 0',
        '(lemma_segment_area_monotone) and T with it (lemma_ceil_monotone); the ground facts',
        'T(u_j) ≤ T(e_j) close it over the breakpoints, so T is non-decreasing and a sell of Δ',
        'takes T(s) − T(s−Δ) ≤ T(s) = vault: never negative.',
      ];
      const segs = shape.segments;
      checks.push(tZero(shape), {
        id: 't_monotone_at_breakpoints',
        comment: 'T(u_j) ≤ T(e_j) for every segment',
        vars: [['segment', 'Int']],
        violation: (w) =>
          `(or ${segs.map((g) => `(and (= ${w('segment')} ${g.index}) (> (T u_${g.index}) (T e_${g.index})))`).join(' ')})`,
        evaluate: () => {
          const bad = segs.find((g) => shape.T(g.u) > shape.T(g.u + g.W));
          return bad ? { segment: str(bad.index) } : undefined;
        },
      });
      checks.push(ceilCovers, segmentAreaMonotone, ceilMonotone);
      break;
    }
    case 'exp':
      proof = [
        'reserve target: buys add T(s+Δ) − T(s) and sells take T(s) − T(s−Δ), so from T(0) = 0',
        'the vault is exactly T(s) on every path; T(s) = ceil(F(s)/DEN) ≥ F(s)/DEN, the exact',
        'reserve (lemma_ceil_covers). q_0 ≥ 0 and the steps never lower a price',
        '(lemma_exp_growth), so F(s) ≤ F(s+1) (lemma_exp_area_monotone) and T is non-decreasing',
        '(lemma_ceil_monotone): a sell takes T(s) − T(s−Δ) ≤ T(s) = vault, never negative.',
      ];
      checks.push(tZero(shape), ceilCovers, expGrowth, expAreaMonotone, ceilMonotone);
      break;
  }
  return {
    name: 'vault_covers_reserve',
    description: 'the vault always covers the exact reserve and never goes negative',
    anchor: 'curve',
    proof,
    definitions: [...templateDefinitions(t), ...shape.definitions],
    checks,
  };
}
