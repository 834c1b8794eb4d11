/**
 * What the VM derives from a curve's template, once: the decoded and re-validated template,
 * the curve model (prefix sums, breakpoints) and the guard parameters as bigints. Derived data
 * is never stored: the state holds the template bytes, and a node rebuilding from state
 * re-derives the same runtime. Templates are validated once per distinct template hash
 * (decoding, structure and the solver-free proof obligations are pure functions of the bytes).
 */
import { sha256 } from '../codec/index.ts';
import { exponentialStepPrice } from '../curve/exponential.ts';
import { type CurveModel, type CurveState, createCurveModel } from '../curve/index.ts';
import { segmentPrice } from '../curve/reserve-target.ts';
import { buildObligations } from '../curvescript/obligations/index.ts';
import { BPS, type CurveTemplate, curveSell, type Migration, NANO } from '../curvescript/template.ts';
import { decodeTemplate } from '../curvescript/template-codec.ts';
import { AssetL2Error, type ErrorCode, isAssetL2Error } from '../errors/index.ts';
import type { Bytes32 } from '../tx/types.ts';
import { keyOf } from './keys.ts';
import type { CurveRecord } from './records.ts';

export interface CurveRuntime {
  readonly template: CurveTemplate;
  readonly model: CurveModel;
  readonly templateHash: Bytes32;
  /** N: tokens for sale on the curve. */
  readonly sell: bigint;
  readonly feeSplitCreatorBps: bigint;
  readonly reserveFloorBps: bigint;
  readonly maxBuy: bigint | null;
  readonly migration: Migration | null;
  readonly ammFeeBps: bigint;
}

type Validated = CurveRuntime | { readonly code: ErrorCode; readonly message: string };

/** Template hash → runtime or the reason it was rejected; bounded by distinct templates. */
export class CurveRuntimes {
  private readonly byTemplate = new Map<string, Validated>();
  private readonly byCurve = new Map<string, CurveRuntime>();

  /**
   * Decodes and validates CREATE_CURVE's template: TEMPLATE_* on bad bytes or structure,
   * PROOF_FAILED when an obligation does not hold (evaluated exactly, without a solver).
   */
  validate(bytes: Uint8Array): CurveRuntime {
    const hash = sha256(bytes);
    const hashKey = keyOf(hash);
    let result = this.byTemplate.get(hashKey);
    if (!result) {
      result = buildRuntime(bytes, hash);
      this.byTemplate.set(hashKey, result);
    }
    if ('code' in result) throw new AssetL2Error(result.code, result.message);
    return result;
  }

  /** The runtime of an existing curve, from its stored template bytes. */
  forCurve(curveKey: string, templateBytes: () => Uint8Array): CurveRuntime {
    let runtime = this.byCurve.get(curveKey);
    if (!runtime) {
      runtime = this.validate(templateBytes());
      this.byCurve.set(curveKey, runtime);
    }
    return runtime;
  }
}

function buildRuntime(bytes: Uint8Array, hash: Bytes32): Validated {
  let template: CurveTemplate;
  let model: CurveModel;
  try {
    template = decodeTemplate(bytes);
    model = createCurveModel(template);
  } catch (e) {
    if (isAssetL2Error(e)) return { code: e.code, message: e.message };
    throw e;
  }
  let failed: string | undefined;
  try {
    failed = buildObligations(template).find((o) => !o.evaluate().holds)?.name;
  } catch (e) {
    // An obligation that cannot even be evaluated does not hold.
    failed = `obligations (${e instanceof Error ? e.message : String(e)})`;
  }
  if (failed !== undefined) {
    return { code: 'PROOF_FAILED', message: `the template fails its proof obligation ${failed}` };
  }
  const m = template.migration;
  return Object.freeze({
    template,
    model,
    templateHash: hash,
    sell: curveSell(template.curve),
    feeSplitCreatorBps: BigInt(template.feeSplitCreatorBps),
    reserveFloorBps: BigInt(template.reserveFloorBps),
    maxBuy: template.maxBuy,
    migration: m,
    ammFeeBps: BigInt(m?.ammFeeBps ?? 0),
  });
}

/**
 * The most tokens a buy may take now: N − s, and for `migrate when sold N'` also N' − s
 * (buys are capped there, so s never passes the threshold).
 */
export function saleCap(runtime: CurveRuntime, state: CurveState): bigint {
  const left = runtime.sell - state.sold;
  const m = runtime.migration;
  if (m?.trigger === 'sold') {
    const toThreshold = m.threshold - state.sold;
    return toThreshold < left ? (toThreshold > 0n ? toThreshold : 0n) : left;
  }
  return left;
}

/** `sold`: s ≥ threshold; `raised`: vault ≥ threshold (lamports, fees excluded). */
export function migrationReached(runtime: CurveRuntime, state: CurveState, vault: bigint): boolean {
  const m = runtime.migration;
  if (!m) return false;
  return m.trigger === 'sold' ? state.sold >= m.threshold : vault >= m.threshold;
}

/**
 * `vault · 10_000 ≥ k · spot · s`, exactly: spot = X/Y for constant product, p(s)/10^d per
 * base unit otherwise (the curve module's own price, p = num/den per whole token, compared
 * cross-multiplied: reducing the fraction first would change nothing but the cost).
 */
export function reserveFloorHolds(runtime: CurveRuntime, state: CurveState, vault: bigint): boolean {
  const k = runtime.reserveFloorBps;
  if (k === 0n || state.sold === 0n) return true;
  const model = runtime.model;
  switch (model.kind) {
    case 'constant_product':
      return vault * BPS * state.tokens >= k * state.quote * state.sold;
    case 'exponential':
      // q_j nano-lamports per whole token: spot = q_j / (10^9 · 10^d) per base unit.
      return vault * BPS * NANO * model.unit >= k * exponentialStepPrice(model, state.sold) * state.sold;
    default: {
      const p = segmentPrice(model, state.sold);
      return vault * BPS * p.den * model.unit >= k * p.num * state.sold;
    }
  }
}

/**
 * Creator allocation vested at `now` (ms): none before the cliff, all from the end of the
 * vesting, linear from the cliff to the end in between (notes/curvescript.md: "released
 * linearly from the cliff to the end of vest, by block time").
 */
export function vestedAllocation(template: CurveTemplate, createdAt: bigint, now: bigint): bigint {
  const allocation = template.creatorAllocation;
  if (allocation === 0n) return 0n;
  const elapsed = now - createdAt;
  const cliff = BigInt(template.cliffSeconds) * 1000n;
  const end = BigInt(template.vestSeconds) * 1000n;
  if (elapsed >= end) return allocation;
  if (elapsed < cliff) return 0n;
  return (allocation * (elapsed - cliff)) / (end - cliff);
}

/** Tokens not yet vested or not yet claimed (held by nobody until CLAIM). */
export function unreleasedAllocation(runtime: CurveRuntime, record: CurveRecord): bigint {
  return runtime.template.creatorAllocation - record.claimedAllocation;
}
