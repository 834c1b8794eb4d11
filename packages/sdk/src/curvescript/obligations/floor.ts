/** Obligation reserve_floor: vault·10000 ≥ k·spot·s on the whole curve [0, N]. */
import type { CurveTemplate } from '../template.ts';
import { floorDiv, ratio, str } from './exact.ts';
import { ceilCovers, cpBuyKeepsK, cpFloor, cpSellKeepsK, linearBetweenEnds } from './lemmas.ts';
import type { CpShape, ExpShape, SegmentsShape, Shape } from './shape.ts';
import { templateDefinitions } from './shape.ts';
import { type Check, defineInt, type ObligationSpec } from './smt.ts';

function floorRate(k: number): Check {
  return {
    id: 'floor_rate',
    comment: '0 ≤ K ≤ 10000',
    violation: () => '(not (<= 0 K 10000))',
    evaluate: () => (k >= 0 && k <= 10_000 ? undefined : { k: String(k) }),
  };
}

function cpChecks(shape: CpShape, k: bigint): { proof: string[]; checks: Check[] } {
  return {
    proof: [
      'CP: the vault is X − X0 and X·Y ≥ X0·Y0 with Y = Y0 − s (vault_covers_reserve), spot X/Y.',
      'The floor vault·10000 ≥ K·(X/Y)·s is 10000·(X−X0)·Y ≥ K·X·s, which follows from',
      'K·Y0 ≤ 10000·(Y0−N) (lemma_cp_floor: the ratio is at least Y/Y0 ≥ (Y0−N)/Y0); conversely',
      'on the exact curve X = X0·Y0/Y at s = N the ratio is exactly (Y0−N)/Y0, so the ground',
      'check floor_at_sell is also necessary for the real-valued curve.',
    ],
    checks: [
      cpBuyKeepsK,
      cpSellKeepsK,
      cpFloor,
      {
        id: 'floor_at_sell',
        comment: 'K·Y0 ≤ 10000·(Y0 − N): the reserve ratio at s = N, (Y0−N)/Y0, is at least K',
        vars: [
          ['s', 'Int'],
          ['ratio_bps', 'Int'],
        ],
        violation: (w) =>
          `(and (= ${w('s')} N) (= ${w('ratio_bps')} (div (* 10000 (- Y0 N)) Y0)) (> (* K Y0) (* 10000 (- Y0 N))))`,
        evaluate: () =>
          k * shape.Y0 > 10_000n * (shape.Y0 - shape.N)
            ? { s: str(shape.N), ratio_bps: str(floorDiv(10_000n * (shape.Y0 - shape.N), shape.Y0)) }
            : undefined,
      },
    ],
  };
}

/**
 * On a segment of width W from u with prices a → b (c = b − a) and twice the prior area F2,
 * H(L) = W·(10000·2F(u+L) − 2K·p(u+L)·(u+L)) = A·L² + B·L + C with the integers below;
 * the floor holds on the segment iff H ≥ 0 on [0, W]: check both ends and, for a convex H,
 * the vertex −B/(2A) when it lies inside (then the minimum is C − B²/(4A)).
 */
export function segmentFloorViolation(
  g: { u: bigint; W: bigint; a: bigint; b: bigint; F2: bigint },
  k: bigint,
): string | undefined {
  const { u, W, a, b, F2 } = g;
  const c = b - a;
  const A = c * (10_000n - 2n * k);
  const B = 2n * a * W * (10_000n - k) - 2n * k * c * u;
  const C = 10_000n * W * F2 - 2n * k * a * W * u;
  const H = (L: bigint) => A * L * L + B * L + C;
  if (H(0n) < 0n) return str(u);
  if (H(W) < 0n) return str(u + W);
  // Vertex strictly inside (0, W): 0 < −B < 2A·W with A > 0.
  if (A > 0n && -B > 0n && -B < 2n * A * W && 4n * A * C < B * B) return ratio(2n * A * u - B, 2n * A);
  return undefined;
}

function segmentChecks(shape: SegmentsShape, k: bigint): { proof: string[]; checks: Check[] } {
  const segs = shape.segments.filter((g) => g.W > 0n);
  return {
    proof: [
      'reserve target: the vault is T(s) ≥ F(s)/DEN (vault_covers_reserve, lemma_ceil_covers) and',
      'the spot is p(s)/DEN per base unit, so 10000·F(s) ≥ K·p(s)·s (real arithmetic) implies the',
      'floor. On each segment, with s real in [u_j, e_j], F and p are the exact quadratic and',
      'linear functions of s, so check floor_segment is the floor itself, segment by segment',
      '(a quadratic inequality in one real variable per segment).',
    ],
    checks: [
      ceilCovers,
      {
        id: 'floor_segment',
        comment: 'on every segment j and real s in [u_j, e_j]: 10000·2F(s) ≥ 2K·p(s)·s',
        vars: [
          ['segment', 'Int'],
          ['s', 'Real'],
        ],
        violation: (w) =>
          `(or ${segs
            .map((g) => {
              const j = g.index;
              const s = w('s');
              return `(and (= ${w('segment')} ${j}) (> W_${j} 0) (<= (to_real u_${j}) ${s}) (<= ${s} (to_real e_${j}))\n      (< (* 10000.0 (F2At F2_${j} u_${j} W_${j} a_${j} b_${j} ${s})) (* 2.0 (to_real K) (pAt u_${j} W_${j} a_${j} b_${j} ${s}) ${s})))`;
            })
            .join('\n    ')})`,
        evaluate: () => {
          for (const g of segs) {
            const s = segmentFloorViolation(g, k);
            if (s !== undefined) return { segment: str(g.index), s };
          }
          return undefined;
        },
      },
    ],
  };
}

function expChecks(shape: ExpShape, k: bigint): { proof: string[]; checks: Check[] } {
  return {
    proof: [
      'exponential: the vault is T(s) ≥ F(s)/DEN (vault_covers_reserve, lemma_ceil_covers); on run j',
      '(s from j·Q to e_j = min((j+1)·Q − 1, N), e_j = N on the last run) the spot is q_j/DEN per',
      'base unit and F(s) = Q·P_j + q_j·(s − j·Q), so 10000·F(s) − K·q_j·s is linear in s and',
      'non-negative on the run iff it is at both ends (lemma_linear_between_ends). scanFloor walks',
      'the runs from the template integers and returns the first failing one (−1: none).',
    ],
    checks: [
      ceilCovers,
      linearBetweenEnds,
      {
        id: 'floor_steps',
        comment: 'every run j: 10000·F(s) ≥ K·q_j·s at s = j·Q and at s = e_j',
        vars: [['step', 'Int']],
        violation: (w) => `(and (= ${w('step')} (scanFloor 0 q_0 0)) (>= ${w('step')} 0))`,
        evaluate: () => {
          const { q, P } = shape.stepTable();
          const Q = shape.Q;
          const last = q.length - 1;
          for (let j = 0; j <= last; j++) {
            const start = BigInt(j) * Q;
            const end = j === last ? shape.N : start + Q - 1n;
            for (const s of [start, end]) {
              const F = Q * P[j]! + q[j]! * (s - start);
              if (10_000n * F < k * q[j]! * s) return { step: str(j), s: str(s) };
            }
          }
          return undefined;
        },
      },
    ],
  };
}

const EXP_SCAN = [
  '; run j ends at e_j = min((j+1)·Q − 1, N) (N on the last run); the floor at both run ends',
  '(define-fun runEnd ((j Int)) Int (ite (>= j LAST) N (- (* (+ j 1) Q) 1)))',
  '(define-fun runOk ((j Int) (q Int) (Pj Int)) Bool',
  '  (and (>= (* 10000 Q Pj) (* K q j Q))',
  '       (>= (* 10000 (+ (* Q Pj) (* q (- (runEnd j) (* j Q))))) (* K q (runEnd j)))))',
  '; the first run j ≥ j0 where the floor fails, −1 if none (terminates: j rises to LAST)',
  '(define-fun-rec scanFloor ((j Int) (q Int) (Pj Int)) Int',
  '  (ite (> j LAST) (- 1) (ite (runOk j q Pj) (scanFloor (+ j 1) (next q) (+ Pj q)) j)))',
];

export function floorObligation(t: CurveTemplate, shape: Shape): ObligationSpec {
  const k = BigInt(t.reserveFloorBps);
  const part =
    shape.kind === 'cp'
      ? cpChecks(shape, k)
      : shape.kind === 'segments'
        ? segmentChecks(shape, k)
        : expChecks(shape, k);
  const definitions = [
    ...templateDefinitions(t),
    ...shape.definitions,
    defineInt('K', k, 'reserve floor, bps'),
    ...(shape.kind === 'exp' ? EXP_SCAN : []),
  ];
  return {
    name: 'reserve_floor',
    description: `the vault keeps the reserve floor (${t.reserveFloorBps} bps of the market cap of the tokens sold) on the whole curve`,
    anchor: 'reserve_floor',
    proof: part.proof,
    definitions,
    checks: [...shape.checks, floorRate(t.reserveFloorBps), ...part.checks],
  };
}
