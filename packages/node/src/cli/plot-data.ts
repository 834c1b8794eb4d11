/**
 * The numbers behind `assetl2 curve plot`: spot price and reserve ratio sampled along the
 * states one exact buy of s base units from launch reaches, and where the launch migrates.
 * Everything is computed with the SDK's exact curve math; only the final values become JS
 * numbers (a plot is not state).
 */
import {
  applyBuy,
  type CurveModel,
  type CurveState,
  type CurveTemplate,
  createCurveModel,
  curveSell,
  initialCurveState,
  quoteBuyExact,
  spotPrice,
  vaultOf,
} from '@assetl2/sdk';

/** Regular samples over 0..N (on top of the breakpoints of each shape). */
const SAMPLES = 480;

/** One sample: `sold` in whole tokens, `value` in the series' unit. */
export interface PlotPoint {
  readonly sold: number;
  readonly value: number;
}

export type MigrationMark =
  | {
      readonly reached: true;
      /** Base units sold when the launch migrates. */
      readonly sold: bigint;
      /** Spot price there, lamports per whole token. */
      readonly price: number;
      /** Lamports in the vault there. */
      readonly vault: bigint;
    }
  | { readonly reached: false };

export interface PlotData {
  readonly template: CurveTemplate;
  /** 10^decimals. */
  readonly unit: bigint;
  /** N, base units for sale. */
  readonly sell: bigint;
  /** Spot price (lamports per whole token) against tokens sold, in order of `sold`. */
  readonly price: readonly PlotPoint[];
  /** Whether `price` is a staircase (exponential): consecutive points share a level. */
  readonly stepped: boolean;
  /** vault / (spot · s) as a fraction, from just after s = 0. */
  readonly ratio: readonly PlotPoint[];
  /** Lamports in the vault once all N are sold. */
  readonly maxVault: bigint;
  readonly migration: MigrationMark | null;
}

/** The curve after one exact buy of `sold` base units from launch (the vectors' convention). */
function stateAfter(model: CurveModel, launch: CurveState, sold: bigint): CurveState {
  if (sold === 0n) return launch;
  try {
    return applyBuy(model, launch, quoteBuyExact(model, launch, sold));
  } catch {
    // A buy that costs nothing (a zero price) moves no lamports: only the token side changes.
    return { sold, quote: launch.quote, tokens: launch.tokens - sold };
  }
}

/** Lamports per whole token at a state. */
function priceOf(model: CurveModel, state: CurveState, unit: bigint): number {
  const p = spotPrice(model, state);
  return toNumber(p.num * unit, p.den);
}

/** num/den as a float, exact enough for pixels whatever the magnitude of the bigints. */
function toNumber(num: bigint, den: bigint): number {
  if (den === 0n) return Number.NaN;
  const q = num / den;
  const r = num - q * den;
  return Number(q) + Number((r * 1_000_000_000_000n) / den) / 1e12;
}

function uniqueSorted(values: Iterable<bigint>): bigint[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function computePlotData(template: CurveTemplate): PlotData {
  const model = createCurveModel(template);
  const launch = initialCurveState(model);
  const sell = curveSell(template.curve);
  const unit = 10n ** BigInt(template.decimals);
  const whole = (s: bigint) => toNumber(s, unit);
  const at = (s: bigint) => stateAfter(model, launch, s);

  const regular: bigint[] = [];
  for (let i = 0; i <= SAMPLES; i++) regular.push((sell * BigInt(i)) / BigInt(SAMPLES));

  // Breakpoints, each with the unit just before it, so jumps and kinks are drawn exactly.
  const breaks: bigint[] = [];
  let stepped = false;
  if (model.kind === 'exponential') {
    stepped = true;
    for (let s = model.stepTokens; s < sell; s += model.stepTokens) breaks.push(s - 1n, s);
  } else if (model.kind !== 'constant_product') {
    for (const s of model.starts) if (s > 0n) breaks.push(s - 1n, s);
  }

  const migration = findMigration(template, model, launch, sell);
  const extra = migration?.reached ? [migration.sold] : [];

  let price: PlotPoint[];
  if (model.kind === 'exponential') {
    // q_j holds on [jQ, (j+1)Q) (and at N): two points per step draw the staircase honestly.
    price = [];
    for (let s = 0n; s < sell; s += model.stepTokens) {
      let end = s + model.stepTokens;
      if (end > sell) end = sell; // the last step may be partial
      const p = priceOf(model, at(s), unit);
      price.push({ sold: whole(s), value: p }, { sold: whole(end), value: p });
    }
  } else {
    price = uniqueSorted([...regular, ...breaks, ...extra]).map((s) => ({
      sold: whole(s),
      value: priceOf(model, at(s), unit),
    }));
  }

  // The ratio is 0/0 at s = 0: start a fraction of a sample step after it.
  const first = sell / BigInt(SAMPLES * 8) > 0n ? sell / BigInt(SAMPLES * 8) : 1n;
  const ratio: PlotPoint[] = [];
  for (const s of uniqueSorted([first, ...regular, ...breaks, ...extra])) {
    if (s < first) continue;
    const state = at(s);
    const p = spotPrice(model, state);
    if (p.num === 0n) continue;
    ratio.push({ sold: whole(s), value: toNumber(vaultOf(model, state) * p.den, p.num * s) });
  }

  return {
    template,
    unit,
    sell,
    price,
    stepped,
    ratio,
    maxVault: vaultOf(model, at(sell)),
    migration,
  };
}

function findMigration(
  template: CurveTemplate,
  model: CurveModel,
  launch: CurveState,
  sell: bigint,
): MigrationMark | null {
  const m = template.migration;
  if (!m) return null;
  const unit = 10n ** BigInt(template.decimals);
  const mark = (sold: bigint): MigrationMark => {
    const state = stateAfter(model, launch, sold);
    return { reached: true, sold, price: priceOf(model, state, unit), vault: vaultOf(model, state) };
  };
  const vault = (sold: bigint) => vaultOf(model, stateAfter(model, launch, sold));
  if (m.trigger === 'sold') {
    return m.threshold <= sell ? mark(m.threshold) : { reached: false };
  }
  if (vault(sell) < m.threshold) return { reached: false };
  // The vault grows with s: the first s whose vault reaches the threshold.
  let lo = 0n; // vault(lo) < threshold, or lo = 0
  let hi = sell; // vault(hi) >= threshold
  if (m.threshold === 0n) return mark(0n);
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (vault(mid) >= m.threshold) hi = mid;
    else lo = mid;
  }
  return mark(hi);
}
