/**
 * A template's curve in the three forms the obligations reason about, each with its SMT-LIB
 * definitions (derived from the template's integers by the curve-math formulas, so the solver
 * recomputes everything it checks) and the same quantities computed exactly:
 *  - `cp`: constant product on virtual reserves;
 *  - `segments`: linear, piecewise and sigmoid, one piecewise-linear price p(s) with
 *    T(s) = ceil(F(s)/DEN), F(s) = ∫₀ˢ p (prices in lamports, or nano-lamports for sigmoid);
 *  - `exp`: exponential steps q_i (nano-lamports), T(s) = ceil(F(s)/DEN).
 */
import { isqrt } from '../../curve/index.ts';
import {
  type CurveTemplate,
  type ExponentialCurve,
  LIMITS,
  NANO,
  type SigmoidCurve,
  U64_MAX,
} from '../template.ts';
import { ceilDivAny, floorDiv, pow10 } from './exact.ts';
import { and, type Check, defineInt } from './smt.ts';

export interface CpShape {
  readonly kind: 'cp';
  readonly X0: bigint;
  readonly Y0: bigint;
  readonly N: bigint;
  readonly definitions: readonly string[];
  /** Structural facts every CP reduction relies on, then nothing else. */
  readonly checks: readonly Check[];
  /** net of one buy of Δ = N from the initial state: floor(N·X0/(Y0−N)) + 1. */
  netN(): bigint;
}

export interface Segment {
  readonly index: number;
  /** Start, width (base units), start and end prices, twice the area before the segment. */
  readonly u: bigint;
  readonly W: bigint;
  readonly a: bigint;
  readonly b: bigint;
  readonly F2: bigint;
}

export interface SegmentsShape {
  readonly kind: 'segments';
  readonly curveKind: 'linear' | 'piecewise' | 'sigmoid';
  /** Price unit per whole token. */
  readonly priceUnit: 'lamports' | 'nano-lamports';
  /** T(s) = ceil(F(s)/DEN): 10^d, times 10^9 for nano-lamport prices. */
  readonly den: bigint;
  readonly N: bigint;
  /** Every segment, zero-width ones included (a sigmoid over fewer than 32 base units). */
  readonly segments: readonly Segment[];
  readonly definitions: readonly string[];
  readonly checks: readonly Check[];
  /** Exact T(s), 0 ≤ s ≤ N (only once the structural checks hold). */
  T(s: bigint): bigint;
}

export interface ExpShape {
  readonly kind: 'exp';
  readonly N: bigint;
  readonly Q: bigint;
  readonly G: bigint;
  readonly q0: bigint;
  readonly den: bigint;
  readonly steps: bigint;
  readonly definitions: readonly string[];
  readonly checks: readonly Check[];
  /** q_0 … q_{K−1} and P_j = q_0 + … + q_{j−1} (j = 0..K−1), once the structural checks hold. */
  stepTable(): { readonly q: readonly bigint[]; readonly P: readonly bigint[] };
  /** Exact F(s) (nano-lamport·base units per whole token) and T(s). */
  F(s: bigint): bigint;
  T(s: bigint): bigint;
}

export type Shape = CpShape | SegmentsShape | ExpShape;

const printable = (text: string): string => text.replace(/[^\x20-\x7e]|"/g, '?');

/** Template-wide constants every script defines. */
export function templateDefinitions(t: CurveTemplate): string[] {
  return [
    `; template "${printable(t.name)}" (${printable(t.symbol)}): amounts in base units (10^${t.decimals} per whole token) and lamports`,
    defineInt('UNIT', pow10(t.decimals), '10^decimals'),
    defineInt('SUPPLY', t.supply),
    defineInt('ALLOC', t.creatorAllocation, 'creator allocation'),
    defineInt('FEE_BPS', t.feeBps),
    '(define-fun fee ((a Int)) Int (ceildiv (* a FEE_BPS) 10000)) ; curve fee, rounded up',
    defineInt('NANO', NANO),
  ];
}

export function buildShape(t: CurveTemplate): Shape {
  const c = t.curve;
  switch (c.kind) {
    case 'constant_product':
      return cpShape(c.virtualQuote, c.virtualTokens, c.sell);
    case 'linear':
      return segmentsShape(t, 'linear', [{ end: c.sell, a: c.startPrice, b: c.endPrice }]);
    case 'piecewise':
      return segmentsShape(
        t,
        'piecewise',
        c.segments.map((s) => ({ end: s.until, a: s.fromPrice, b: s.toPrice })),
      );
    case 'sigmoid':
      return sigmoidShape(t, c);
    case 'exponential':
      return expShape(t, c);
  }
}

function cpShape(X0: bigint, Y0: bigint, N: bigint): CpShape {
  return {
    kind: 'cp',
    X0,
    Y0,
    N,
    definitions: [
      '; constant product: X virtual quote (lamports), Y virtual tokens (base units), N for sale',
      defineInt('X0', X0),
      defineInt('Y0', Y0),
      defineInt('N', N),
      '; one buy of all N from the initial state: net = floor(N·X0/(Y0−N)) + 1',
      '(define-fun netN () Int (+ (div (* N X0) (- Y0 N)) 1))',
    ],
    checks: [
      {
        id: 'well_formed',
        comment: 'X0 > 0 and 0 < N < Y0 (every Y − Δ of a buy stays positive)',
        violation: () => '(not (and (> X0 0) (< 0 N) (< N Y0)))',
        evaluate: () => (X0 > 0n && N > 0n && N < Y0 ? undefined : {}),
      },
    ],
    netN: () => floorDiv(N * X0, Y0 - N) + 1n,
  };
}

interface Piece {
  readonly end: bigint;
  readonly a: bigint;
  readonly b: bigint;
}

/** Segment symbols: u_j start, e_j end, W_j width, a_j → b_j prices, F2_j = 2·F(u_j). */
function segmentDefinitions(count: number, den: string): string[] {
  const defs: string[] = [
    `(define-fun DEN () Int ${den}) ; T(s) = ceil(F(s)/DEN)`,
    '(define-fun F2_0 () Int 0)',
  ];
  for (let j = 0; j < count; j++) {
    defs.push(`(define-fun W_${j} () Int (- e_${j} u_${j}))`);
    defs.push(`(define-fun F2_${j + 1} () Int (+ F2_${j} (* (+ a_${j} b_${j}) W_${j})))`);
  }
  defs.push(
    '; T on a segment, L = s − u: ceil((W·F2 + 2·W·a·L + (b−a)·L²) / (2·W·DEN)) (the exact integral)',
    '(define-fun Tseg ((F2 Int) (u Int) (W Int) (a Int) (b Int) (s Int)) Int',
    '  (ceildiv (+ (* W F2) (* 2 W a (- s u)) (* (- b a) (- s u) (- s u))) (* 2 W DEN)))',
  );
  const last = count - 1;
  let body = `(Tseg F2_${last} u_${last} W_${last} a_${last} b_${last} s)`;
  for (let j = last - 1; j >= 0; j--) {
    body = `(ite (and (> W_${j} 0) (<= s e_${j})) (Tseg F2_${j} u_${j} W_${j} a_${j} b_${j} s)\n  ${body})`;
  }
  defs.push(`(define-fun T ((s Int)) Int\n  ${body})`);
  // Exact price and twice the area at a real point s of segment j (for the reserve floor).
  defs.push(
    '; at a real point s of a segment: price p and 2·F(s)',
    '(define-fun pAt ((u Int) (W Int) (a Int) (b Int) (s Real)) Real',
    '  (+ (to_real a) (/ (* (to_real (- b a)) (- s (to_real u))) (to_real W))))',
    '(define-fun F2At ((F2 Int) (u Int) (W Int) (a Int) (b Int) (s Real)) Real',
    '  (+ (to_real F2) (* 2.0 (to_real a) (- s (to_real u)))',
    '     (/ (* (to_real (- b a)) (- s (to_real u)) (- s (to_real u))) (to_real W))))',
  );
  return defs;
}

function makeSegments(pieces: readonly { u: bigint; end: bigint; a: bigint; b: bigint }[]): Segment[] {
  const segments: Segment[] = [];
  let F2 = 0n;
  pieces.forEach((p, index) => {
    const W = p.end - p.u;
    segments.push({ index, u: p.u, W, a: p.a, b: p.b, F2 });
    F2 += (p.a + p.b) * W;
  });
  return segments;
}

function segmentT(segments: readonly Segment[], den: bigint): (s: bigint) => bigint {
  return (s) => {
    const seg = segments.find((g, j) => j === segments.length - 1 || (g.W > 0n && s <= g.u + g.W))!;
    const L = s - seg.u;
    return ceilDivAny(seg.W * seg.F2 + 2n * seg.W * seg.a * L + (seg.b - seg.a) * L * L, 2n * seg.W * den);
  };
}

function segmentsWellFormed(segments: readonly Segment[], extra: { smt: string[]; ok: boolean }): Check {
  const last = segments.length - 1;
  return {
    id: 'well_formed',
    comment: 'N > 0, segments contiguous with non-negative widths (the last one positive), prices ≥ 0',
    violation: () =>
      `(not ${and(
        '(> N 0)',
        `(> W_${last} 0)`,
        ...segments.map((g) => `(>= W_${g.index} 0) (>= a_${g.index} 0) (>= b_${g.index} 0)`),
        ...extra.smt,
      )})`,
    evaluate: () => {
      const ok =
        extra.ok &&
        segments.length > 0 &&
        segments[last]!.W > 0n &&
        segments.every((g) => g.W >= 0n && g.a >= 0n && g.b >= 0n);
      return ok ? undefined : {};
    },
  };
}

function segmentsShape(
  t: CurveTemplate,
  curveKind: 'linear' | 'piecewise',
  pieces: readonly Piece[],
): SegmentsShape {
  const den = pow10(t.decimals);
  let u = 0n;
  const withStart = pieces.map((p) => {
    const piece = { ...p, u };
    u = p.end;
    return piece;
  });
  const segments = makeSegments(withStart);
  const N = pieces.at(-1)?.end ?? 0n;
  const definitions: string[] = [
    curveKind === 'linear'
      ? '; linear: one segment from P0 to P1 over [0, N]; prices in lamports per whole token'
      : '; piecewise linear segments; prices in lamports per whole token',
    defineInt('N', N),
  ];
  if (segments.length === 0) {
    // Malformed (no segment): only the structural check, which fails.
    return {
      kind: 'segments',
      curveKind,
      priceUnit: 'lamports',
      den,
      N,
      segments,
      definitions,
      checks: [
        {
          id: 'well_formed',
          comment: 'at least one segment',
          violation: () => 'true',
          evaluate: () => ({}),
        },
      ],
      T: () => 0n,
    };
  }
  withStart.forEach((g, j) => {
    definitions.push(
      `${defineInt(`u_${j}`, g.u)} ${defineInt(`e_${j}`, g.end)} ${defineInt(`a_${j}`, g.a)} ${defineInt(`b_${j}`, g.b)}`,
    );
  });
  definitions.push(...segmentDefinitions(segments.length, 'UNIT'));
  return {
    kind: 'segments',
    curveKind,
    priceUnit: 'lamports',
    den,
    N,
    segments,
    definitions,
    checks: [segmentsWellFormed(segments, { smt: [], ok: N > 0n })],
    T: segmentT(segments, den),
  };
}

export interface SigmoidRow {
  readonly i: number;
  readonly s: bigint;
  readonly d: bigint;
  readonly r: bigint;
  readonly q: bigint;
}

/** Breakpoints by notes/curve-math.md; r_i is the one datum the script certifies rather than derives. */
export function sigmoidRows(c: SigmoidCurve): SigmoidRow[] {
  const n = BigInt(LIMITS.sigmoidSegments);
  const rows: SigmoidRow[] = [];
  for (let i = 0n; i <= n; i++) {
    const s = (i * c.sell) / n;
    const d = s - c.midpoint;
    const r = isqrt(d * d + c.width * c.width);
    const q =
      c.minPrice * NANO + (r > 0n ? ceilDivAny((c.maxPrice - c.minPrice) * NANO * (r + d), 2n * r) : 0n);
    rows.push({ i: Number(i), s, d, r, q });
  }
  return rows;
}

function sigmoidShape(t: CurveTemplate, c: SigmoidCurve): SegmentsShape {
  const den = pow10(t.decimals) * NANO;
  const rows = sigmoidRows(c);
  const pieces = rows.slice(1).map((row, j) => ({ u: rows[j]!.s, end: row.s, a: rows[j]!.q, b: row.q }));
  const segments = makeSegments(pieces);
  const definitions: string[] = [
    '; sigmoid, compiled to 32 linear segments through the breakpoints (s_i, q_i), prices in',
    '; nano-lamports per whole token: s_i = floor(i·N/32), d_i = s_i − M, r_i = isqrt(d_i² + WIDTH²),',
    '; q_i = A·10^9 + ceil((B−A)·10^9·(r_i + d_i) / (2·r_i)); r_i is given and certified by check sigmoid_isqrt',
    defineInt('N', c.sell),
    defineInt('A', c.minPrice),
    defineInt('B', c.maxPrice),
    defineInt('M', c.midpoint),
    defineInt('WIDTH', c.width),
  ];
  for (const row of rows) {
    definitions.push(
      `(define-fun s_${row.i} () Int (div (* ${row.i} N) 32)) (define-fun d_${row.i} () Int (- s_${row.i} M)) ${defineInt(`r_${row.i}`, row.r)}`,
      `(define-fun q_${row.i} () Int (+ (* A NANO) (ceildiv (* (- B A) NANO (+ r_${row.i} d_${row.i})) (* 2 r_${row.i}))))`,
    );
  }
  for (const g of segments) {
    const j = g.index;
    definitions.push(
      `(define-fun u_${j} () Int s_${j}) (define-fun e_${j} () Int s_${j + 1}) (define-fun a_${j} () Int q_${j}) (define-fun b_${j} () Int q_${j + 1})`,
    );
  }
  definitions.push(...segmentDefinitions(segments.length, '(* UNIT NANO)'));
  const isqrtCheck: Check = {
    id: 'sigmoid_isqrt',
    comment: 'each r_i is isqrt(d_i² + WIDTH²): r_i ≥ 0, r_i² ≤ d_i² + WIDTH² < (r_i + 1)²',
    vars: [['i', 'Int']],
    violation: (w) =>
      `(or ${rows
        .map(
          (row) =>
            `(and (= ${w('i')} ${row.i}) (not (and (>= r_${row.i} 0) (<= (* r_${row.i} r_${row.i}) (+ (* d_${row.i} d_${row.i}) (* WIDTH WIDTH))) (< (+ (* d_${row.i} d_${row.i}) (* WIDTH WIDTH)) (* (+ r_${row.i} 1) (+ r_${row.i} 1))))))`,
        )
        .join('\n    ')})`,
    evaluate: () => {
      const bad = rows.find((row) => {
        const m = row.d * row.d + c.width * c.width;
        return !(row.r >= 0n && row.r * row.r <= m && m < (row.r + 1n) * (row.r + 1n));
      });
      return bad ? { i: String(bad.i) } : undefined;
    },
  };
  return {
    kind: 'segments',
    curveKind: 'sigmoid',
    priceUnit: 'nano-lamports',
    den,
    N: c.sell,
    segments,
    definitions,
    checks: [
      segmentsWellFormed(segments, {
        smt: ['(> WIDTH 0)', '(>= A 0)'],
        ok: c.sell > 0n && c.width > 0n && c.minPrice >= 0n,
      }),
      isqrtCheck,
    ],
    T: segmentT(segments, den),
  };
}

function expShape(t: CurveTemplate, c: ExponentialCurve): ExpShape {
  const den = pow10(t.decimals) * NANO;
  const N = c.sell;
  const Q = c.stepTokens;
  const G = BigInt(c.growthBps);
  const q0 = c.startPrice * NANO;
  const steps = Q > 0n ? ceilDivAny(N, Q) : 0n;
  const maxSteps = BigInt(LIMITS.maxExponentialSteps);
  const wellFormed = Q > 0n && N > 0n && steps <= maxSteps && c.startPrice >= 0n && G >= 0n;
  let cache: { q: bigint[]; P: bigint[] } | undefined;
  const stepsData = () => {
    if (!cache) {
      const q: bigint[] = [];
      const P: bigint[] = [];
      let price = q0;
      let sum = 0n;
      for (let j = 0n; j < steps; j++) {
        q.push(price);
        P.push(sum);
        sum += price;
        price = ceilDivAny(price * (10_000n + G), 10_000n);
      }
      cache = { q, P };
    }
    return cache;
  };
  const F = (s: bigint): bigint => {
    const { q, P } = stepsData();
    const last = q.length - 1;
    const j = Math.min(Number(s / Q), last);
    return Q * P[j]! + q[j]! * (s - BigInt(j) * Q);
  };
  return {
    kind: 'exp',
    N,
    Q,
    G,
    q0,
    den,
    steps,
    definitions: [
      '; exponential: step prices q_j (nano-lamports per whole token) on runs of Q base units,',
      '; q_0 = P·10^9, q_{j+1} = ceil(q_j·(10000+G)/10000), STEPS = ceil(N/Q) of them;',
      '; F(s) = Q·(q_0 + … + q_{k−1}) + q_k·(s − k·Q), k = min(floor(s/Q), STEPS−1); T(s) = ceil(F(s)/DEN)',
      defineInt('N', N),
      defineInt('Q', Q),
      defineInt('G', G),
      defineInt('P', c.startPrice),
      '(define-fun DEN () Int (* UNIT NANO))',
      '(define-fun STEPS () Int (ceildiv N Q))',
      `; LAST bounds every recursion below even for a malformed template`,
      `(define-fun LAST () Int (ite (and (> Q 0) (<= 1 STEPS ${maxSteps})) (- STEPS 1) 0))`,
      '(define-fun q_0 () Int (* P NANO))',
      '(define-fun next ((q Int)) Int (ceildiv (* q (+ 10000 G)) 10000))',
      '; walkF(j, q_j, q_0+…+q_{j−1}, s) = F(s) (terminates: j rises to LAST)',
      '(define-fun-rec walkF ((j Int) (q Int) (Pj Int) (s Int)) Int',
      '  (ite (or (>= j LAST) (< s (* (+ j 1) Q))) (+ (* Q Pj) (* q (- s (* j Q))))',
      '    (walkF (+ j 1) (next q) (+ Pj q) s)))',
      '(define-fun T ((s Int)) Int (ceildiv (walkF 0 q_0 0 s) DEN))',
      '(define-fun-rec walkQ ((j Int) (q Int)) Int (ite (>= j LAST) q (walkQ (+ j 1) (next q))))',
      '(define-fun qLast () Int (walkQ 0 q_0)) ; q_{STEPS−1}',
    ],
    checks: [
      {
        id: 'well_formed',
        comment: `Q > 0, N > 0, STEPS ≤ ${maxSteps}, P ≥ 0, G ≥ 0`,
        violation: () => `(not (and (> Q 0) (> N 0) (<= STEPS ${maxSteps}) (>= P 0) (>= G 0)))`,
        evaluate: () => (wellFormed ? undefined : {}),
      },
    ],
    stepTable: stepsData,
    F,
    T: (s) => ceilDivAny(F(s), den),
  };
}

export const fitsU64 = (v: bigint): boolean => v >= 0n && v <= U64_MAX;
