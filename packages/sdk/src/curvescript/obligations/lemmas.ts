/**
 * Symbolic lemmas: general facts with no template constant in them, stated over all integers or
 * reals. They reduce "for all s and all trade sizes" to the ground checks at the maxima and
 * breakpoints; Z3 proves them in each script (they are theorems, so evaluate() has nothing to
 * compute for them).
 */
import type { Check, Sort } from './smt.ts';

function lemma(
  id: string,
  comment: string,
  vars: Record<string, Sort>,
  hypothesis: string,
  conclusion: string,
): Check {
  const names = Object.keys(vars);
  const sub = (text: string, w: (n: string) => string) =>
    // Witness names are single identifiers written as {x} in the formulas.
    text.replace(/\{(\w+)\}/g, (_, n: string) => {
      if (!names.includes(n)) throw new Error(`lemma ${id}: unknown variable ${n}`);
      return w(n);
    });
  return {
    id,
    comment,
    vars: names.map((n) => [n, vars[n]!] as const),
    violation: (w) => `(and ${sub(hypothesis, w)} (not ${sub(conclusion, w)}))`,
  };
}

/** ceil(a/m)·m ≥ a: T(s) = ceil(F(s)/10^d) never owes less than the exact F(s)/10^d. */
export const ceilCovers = lemma(
  'lemma_ceil_covers',
  '∀ integers a ≥ 0, m > 0: m·ceil(a/m) ≥ a',
  { a: 'Int', m: 'Int' },
  '(and (>= {a} 0) (> {m} 0))',
  '(>= (* {m} (ceildiv {a} {m})) {a})',
);

/** ceil(·/m) is monotone: F non-decreasing ⇒ T non-decreasing. */
export const ceilMonotone = lemma(
  'lemma_ceil_monotone',
  '∀ integers a ≤ b, m > 0: ceil(a/m) ≤ ceil(b/m)',
  { a: 'Int', b: 'Int', m: 'Int' },
  '(and (<= {a} {b}) (> {m} 0))',
  '(<= (ceildiv {a} {m}) (ceildiv {b} {m}))',
);

/** Every buy's net is T(s+Δ) − T(s) ≤ T(N) and its total ≤ T(N) + fee(T(N)). */
export const netBounded = lemma(
  'lemma_net_bounded',
  '∀ integers 0 ≤ t1 ≤ t2 ≤ t, bps ≥ 0: (t2−t1) + ceil((t2−t1)·bps/10^4) ≤ t + ceil(t·bps/10^4)',
  { t1: 'Int', t2: 'Int', t: 'Int', bps: 'Int' },
  '(and (<= 0 {t1}) (<= {t1} {t2}) (<= {t2} {t}) (>= {bps} 0))',
  '(<= (+ (- {t2} {t1}) (ceildiv (* (- {t2} {t1}) {bps}) 10000)) (+ {t} (ceildiv (* {t} {bps}) 10000)))',
);

/** Within a segment the area 2·W·F grows with L when both end prices are ≥ 0. */
export const segmentAreaMonotone = lemma(
  'lemma_segment_area_monotone',
  '∀ reals a, b ≥ 0, W > 0, 0 ≤ L1 ≤ L2 ≤ W: 2·W·a·L1 + (b−a)·L1² ≤ 2·W·a·L2 + (b−a)·L2² (F grows when p ≥ 0)',
  { a: 'Real', b: 'Real', W: 'Real', L1: 'Real', L2: 'Real' },
  '(and (>= {a} 0) (>= {b} 0) (> {W} 0) (<= 0 {L1}) (<= {L1} {L2}) (<= {L2} {W}))',
  '(<= (+ (* 2 {W} {a} {L1}) (* (- {b} {a}) {L1} {L1})) (+ (* 2 {W} {a} {L2}) (* (- {b} {a}) {L2} {L2})))',
);

/** Linear interpolation between non-decreasing end prices is non-decreasing. */
export const segmentPriceMonotone = lemma(
  'lemma_segment_price_monotone',
  '∀ reals a ≤ b, W > 0, 0 ≤ L1 ≤ L2 ≤ W: a + (b−a)·L1/W ≤ a + (b−a)·L2/W',
  { a: 'Real', b: 'Real', W: 'Real', L1: 'Real', L2: 'Real' },
  '(and (<= {a} {b}) (> {W} 0) (<= 0 {L1}) (<= {L1} {L2}) (<= {L2} {W}))',
  '(<= (+ {a} (/ (* (- {b} {a}) {L1}) {W})) (+ {a} (/ (* (- {b} {a}) {L2}) {W})))',
);

/** The growth step never lowers a price: by induction q_j ≥ 0 is non-decreasing in j. */
export const expGrowth = lemma(
  'lemma_exp_growth',
  '∀ integers q ≥ 0, G ≥ 0: ceil(q·(10000+G)/10000) ≥ q',
  { q: 'Int', G: 'Int' },
  '(and (>= {q} 0) (>= {G} 0))',
  '(>= (ceildiv (* {q} (+ 10000 {G})) 10000) {q})',
);

/** F of the exponential grows by q_k ≥ 0 per base unit, across run ends too. */
export const expAreaMonotone = lemma(
  'lemma_exp_area_monotone',
  '∀ integers Q > 0, Pj ≥ 0, q ≥ 0, 0 ≤ r < Q: Q·Pj + q·r ≤ Q·Pj + q·(r+1) ≤ Q·(Pj+q) (F(s) ≤ F(s+1))',
  { Q: 'Int', Pj: 'Int', q: 'Int', r: 'Int' },
  '(and (> {Q} 0) (>= {Pj} 0) (>= {q} 0) (<= 0 {r}) (< {r} {Q}))',
  '(and (<= (+ (* {Q} {Pj}) (* {q} {r})) (+ (* {Q} {Pj}) (* {q} (+ {r} 1)))) (<= (+ (* {Q} {Pj}) (* {q} (+ {r} 1))) (* {Q} (+ {Pj} {q}))))',
);

/** A linear function non-negative at both ends of an interval is non-negative on it. */
export const linearBetweenEnds = lemma(
  'lemma_linear_between_ends',
  '∀ reals c0, c1, 0 ≤ x ≤ R: c0 ≥ 0 ∧ c0 + c1·R ≥ 0 ⇒ c0 + c1·x ≥ 0',
  { c0: 'Real', c1: 'Real', x: 'Real', R: 'Real' },
  '(and (<= 0 {x}) (<= {x} {R}) (>= {c0} 0) (>= (+ {c0} (* {c1} {R})) 0))',
  '(>= (+ {c0} (* {c1} {x})) 0)',
);

/** CP: a larger buy never costs less (real quotient, then the monotone floor). */
export const cpBuyMonotone = lemma(
  'lemma_cp_buy_monotone',
  '∀ reals X ≥ 0, 0 ≤ d1 ≤ d2 < Y: d1·X/(Y−d1) ≤ d2·X/(Y−d2), i.e. d1·X·(Y−d2) ≤ d2·X·(Y−d1)',
  { X: 'Real', Y: 'Real', d1: 'Real', d2: 'Real' },
  '(and (>= {X} 0) (<= 0 {d1}) (<= {d1} {d2}) (< {d2} {Y}))',
  '(<= (* {d1} {X} (- {Y} {d2})) (* {d2} {X} (- {Y} {d1})))',
);

/** CP: the rounding of the quotes as used by the K lemmas. */
export const cpRounding = lemma(
  'lemma_cp_rounding',
  '∀ integers a ≥ 0, m > 0: g = floor(a/m) has g·m ≤ a, and n = floor(a/m) + 1 has n·m > a',
  { a: 'Int', m: 'Int' },
  '(and (>= {a} 0) (> {m} 0))',
  '(and (<= (* (div {a} {m}) {m}) {a}) (> (* (+ (div {a} {m}) 1) {m}) {a}))',
);

/** CP sell: gross rounded down keeps X·Y from decreasing. */
export const cpSellKeepsK = lemma(
  'lemma_cp_sell_keeps_k',
  '∀ reals X, Y > 0, d ≥ 0, g ≥ 0: g·(Y+d) ≤ d·X ⇒ (X−g)·(Y+d) ≥ X·Y',
  { X: 'Real', Y: 'Real', d: 'Real', g: 'Real' },
  '(and (> {X} 0) (> {Y} 0) (>= {d} 0) (>= {g} 0) (<= (* {g} (+ {Y} {d})) (* {d} {X})))',
  '(>= (* (- {X} {g}) (+ {Y} {d})) (* {X} {Y}))',
);

/** CP buy: net rounded up (+1) keeps X·Y from decreasing. */
export const cpBuyKeepsK = lemma(
  'lemma_cp_buy_keeps_k',
  '∀ reals X > 0, 0 ≤ d < Y, n: n·(Y−d) > d·X ⇒ (X+n)·(Y−d) ≥ X·Y',
  { X: 'Real', Y: 'Real', d: 'Real', n: 'Real' },
  '(and (> {X} 0) (<= 0 {d}) (< {d} {Y}) (> (* {n} (- {Y} {d})) (* {d} {X})))',
  '(>= (* (+ {X} {n}) (- {Y} {d})) (* {X} {Y}))',
);

/** CP: X·Y ≥ X0·Y0 with Y ≤ Y0 gives X ≥ X0, so the vault X − X0 is never negative. */
export const cpXAboveX0 = lemma(
  'lemma_cp_x_above_x0',
  '∀ reals X, X0 > 0, 0 < Y ≤ Y0: X·Y ≥ X0·Y0 ⇒ X ≥ X0',
  { X: 'Real', Y: 'Real', X0: 'Real', Y0: 'Real' },
  '(and (> {X} 0) (> {X0} 0) (> {Y} 0) (<= {Y} {Y0}) (>= (* {X} {Y}) (* {X0} {Y0})))',
  '(>= {X} {X0})',
);

/** CP: a buy raises the spot X/Y and a sell lowers it. */
export const cpSpotMoves = lemma(
  'lemma_cp_spot_moves',
  '∀ reals X, Y > 0, 0 < d < Y, n > 0, g ≥ 0: (X+n)/(Y−d) > X/Y and (X−g)/(Y+d) ≤ X/Y',
  { X: 'Real', Y: 'Real', d: 'Real', n: 'Real', g: 'Real' },
  '(and (> {X} 0) (> {Y} 0) (< 0 {d}) (< {d} {Y}) (> {n} 0) (>= {g} 0))',
  '(and (> (* (+ {X} {n}) {Y}) (* {X} (- {Y} {d}))) (<= (* (- {X} {g}) {Y}) (* {X} (+ {Y} {d}))))',
);

/** CP: an integer X with X·Y ≥ K is at least ceil(K/Y) (the least vault at the migration point). */
export const cpMinX = lemma(
  'lemma_cp_min_x',
  '∀ integers X, K ≥ 0, Y > 0: X·Y ≥ K ⇒ X ≥ ceil(K/Y)',
  { X: 'Int', Y: 'Int', K: 'Int' },
  '(and (> {Y} 0) (>= {K} 0) (>= (* {X} {Y}) {K}))',
  '(>= {X} (ceildiv {K} {Y}))',
);

/** CP floor: the reserve ratio (X−X0)·Y/(X·s) is at least Y/Y0 ≥ (Y0−N)/Y0. */
export const cpFloor = lemma(
  'lemma_cp_floor',
  '∀ reals X0 > 0, 0 < N < Y0, k ≥ 0, X, 0 < s ≤ N, Y = Y0 − s: X·Y ≥ X0·Y0 ∧ k·Y0 ≤ 10000·(Y0−N) ⇒ 10000·(X−X0)·Y ≥ k·X·s',
  { X0: 'Real', Y0: 'Real', N: 'Real', k: 'Real', X: 'Real', s: 'Real', Y: 'Real' },
  '(and (> {X0} 0) (< 0 {N}) (< {N} {Y0}) (>= {k} 0) (= {Y} (- {Y0} {s})) (< 0 {s}) (<= {s} {N}) (>= (* {X} {Y}) (* {X0} {Y0})) (<= (* {k} {Y0}) (* 10000 (- {Y0} {N}))))',
  '(>= (* 10000 (- {X} {X0}) {Y}) (* {k} {X} {s}))',
);

/** LP supply: isqrt(x·y) > 1000 ⇔ x·y ≥ 1001². */
export const isqrtThreshold = lemma(
  'lemma_isqrt_threshold',
  '∀ integers m ≥ 0, r ≥ 0 with r² ≤ m < (r+1)² (r = isqrt(m)): r > 1000 ⇔ m ≥ 1001²',
  { m: 'Int', r: 'Int' },
  '(and (>= {m} 0) (>= {r} 0) (<= (* {r} {r}) {m}) (< {m} (* (+ {r} 1) (+ {r} 1))))',
  '(= (> {r} 1000) (>= {m} 1002001))',
);

/** The pool's product only grows with its reserves. */
export const productMonotone = lemma(
  'lemma_product_monotone',
  '∀ integers x ≥ x0 ≥ 0, y ≥ y0 ≥ 0: x·y ≥ x0·y0',
  { x: 'Int', x0: 'Int', y: 'Int', y0: 'Int' },
  '(and (<= 0 {x0}) (<= {x0} {x}) (<= 0 {y0}) (<= {y0} {y}))',
  '(>= (* {x} {y}) (* {x0} {y0}))',
);

/** LP supply isqrt(x·y) of two u64 reserves fits u64. */
export const isqrtFits = lemma(
  'lemma_isqrt_fits',
  '∀ integers 0 ≤ x, y ≤ U64, r ≥ 0: r² ≤ x·y ⇒ r ≤ U64',
  { x: 'Int', y: 'Int', r: 'Int' },
  '(and (u64 {x}) (u64 {y}) (>= {r} 0) (<= (* {r} {r}) (* {x} {y})))',
  '(<= {r} U64)',
);
