/**
 * Quote throughput of the curve math per shape: exact-token buys, budget buys and sells on the
 * five vector curves, from varied states. Run: node_modules/.bin/tsx bench/quotes.ts
 */

import { templateOf, VECTOR_CURVES } from '../packages/sdk/src/curve/fixtures/templates.ts';
import {
  applyBuy,
  type CurveModel,
  type CurveState,
  createCurveModel,
  initialCurveState,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
} from '../packages/sdk/src/curve/index.ts';
import { seededUint32 } from './lib/random.ts';
import { report } from './lib/report.ts';

const SAMPLES = 1_024;
const MIN_MS = 300;

function rng(seed: number): () => bigint {
  const next = seededUint32(seed);
  return () => BigInt(next());
}

interface Input {
  readonly state: CurveState;
  readonly amount: bigint;
}

/** Valid inputs only: the bench measures quotes, not error paths. */
function inputs(model: CurveModel, op: (s: CurveState, a: bigint) => unknown, pick: Picker): Input[] {
  const next = rng(42);
  const out: Input[] = [];
  while (out.length < SAMPLES) {
    const sold = (model.sell * next()) >> 32n;
    const launch = initialCurveState(model);
    const state = sold === 0n ? launch : applyBuy(model, launch, quoteBuyExact(model, launch, sold));
    const amount = pick(model, state, next());
    try {
      op(state, amount);
      out.push({ state, amount });
    } catch {
      // e.g. a sell of 0 or a budget below one base unit
    }
  }
  return out;
}

type Picker = (model: CurveModel, state: CurveState, r: bigint) => bigint;
const share = (max: bigint, r: bigint) => (max * r) >> 32n;

/** Quotes per second over at least MIN_MS, cycling through the inputs. */
function throughput(data: readonly Input[], op: (s: CurveState, a: bigint) => unknown): number {
  for (const { state, amount } of data) op(state, amount); // warm up
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const { state, amount } of data) op(state, amount);
    count += data.length;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_MS);
  return Math.round((count / elapsed) * 1000);
}

function buildMicros(name: string): number {
  const template = templateOf(VECTOR_CURVES[name]!);
  const runs = 200;
  const start = performance.now();
  for (let i = 0; i < runs; i++) createCurveModel(template);
  return ((performance.now() - start) * 1000) / runs;
}

const rows = Object.keys(VECTOR_CURVES).map((name) => {
  const model = createCurveModel(templateOf(VECTOR_CURVES[name]!));
  const exact = (s: CurveState, a: bigint) => quoteBuyExact(model, s, a);
  const budget = (s: CurveState, a: bigint) => quoteBuyBudget(model, s, a);
  const sell = (s: CurveState, a: bigint) => quoteSell(model, s, a);
  const exactIn = inputs(model, exact, (m, s, r) => share(m.sell - s.sold, r) + 1n);
  const budgetIn = inputs(model, budget, (m, s, r) => {
    const left = m.sell - s.sold;
    return left === 0n ? 1n : share((quoteBuyExact(m, s, left).total * 5n) / 4n, r) + 1n;
  });
  const sellIn = inputs(model, sell, (_, s, r) => share(s.sold, r));
  return {
    curve: name,
    kind: model.kind,
    'exact buy /s': throughput(exactIn, exact),
    'budget buy /s': throughput(budgetIn, budget),
    'sell /s': throughput(sellIn, sell),
    'model build µs': Number(buildMicros(name).toFixed(1)),
  };
});

report({
  name: 'quotes',
  title: 'Curve quotes per second (single thread, varied states)',
  rows,
  meta: { samplesPerOp: SAMPLES, minMsPerOp: MIN_MS, decimals: 6, feeBps: 100 },
});
