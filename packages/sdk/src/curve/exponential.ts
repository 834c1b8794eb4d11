/**
 * Exponential curves: geometric step prices in nano-lamports per whole token (so the ceil of
 * each growth step does not distort small prices), with prefix areas so T(s) is O(1).
 */
import { BPS, type ExponentialCurve, LIMITS, NANO } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { ceilDiv, checkU64, lastAtMost, minBig, pow10 } from './math.ts';
import type { ExponentialModel, ModelCommon } from './types.ts';

/** K = ceil(N/Q), checked against the step limit before anything is allocated. */
function stepCount(curve: ExponentialCurve): bigint {
  if (curve.stepTokens <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'the step size must be positive');
  if (curve.sell <= 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'sell must be positive');
  const steps = ceilDiv(curve.sell, curve.stepTokens);
  if (steps > BigInt(LIMITS.maxExponentialSteps)) {
    throw new AssetL2Error(
      'TEMPLATE_INVALID',
      `${steps} exponential steps; at most ${LIMITS.maxExponentialSteps} allowed`,
    );
  }
  return steps;
}

/**
 * q_0 = P·10^9, q_{i+1} = ceil(q_i·(10_000+G)/10_000), for i < ceil(N/Q). The step prices are
 * stored values, so one beyond u64 is an overflow (checked as they grow, which also stops a
 * 100%-per-step curve long before its numbers get large).
 */
export function exponentialStepPrices(curve: ExponentialCurve): bigint[] {
  const steps = Number(stepCount(curve));
  if (!Number.isSafeInteger(curve.growthBps) || curve.growthBps < 0) {
    throw new AssetL2Error('TEMPLATE_INVALID', `growth must be a whole, non-negative number of bps`);
  }
  if (curve.startPrice < 0n) throw new AssetL2Error('TEMPLATE_INVALID', 'start_price must not be negative');
  const factor = BPS + BigInt(curve.growthBps);
  const prices: bigint[] = [];
  let q = curve.startPrice * NANO;
  for (let i = 0; i < steps; i++) {
    prices.push(checkU64(q, `exponential step price ${i} (nano-lamports per token)`));
    q = ceilDiv(q * factor, BPS);
  }
  return prices;
}

export function exponentialModel(curve: ExponentialCurve, common: ModelCommon): ExponentialModel {
  const stepPrices = exponentialStepPrices(curve);
  const stepAreas = [0n];
  for (const q of stepPrices) stepAreas.push(stepAreas.at(-1)! + curve.stepTokens * q);
  return Object.freeze({
    kind: 'exponential',
    ...common,
    sell: curve.sell,
    stepTokens: curve.stepTokens,
    stepPrices: Object.freeze(stepPrices),
    stepAreas: Object.freeze(stepAreas),
    divisor: pow10(common.decimals) * NANO,
  });
}

/** T(s) = ceil((F(k·Q) + q_k·r) / 10^(d+9)), k = floor(s/Q), r = s − k·Q. */
export function exponentialReserveTarget(model: ExponentialModel, sold: bigint): bigint {
  const k = sold / model.stepTokens;
  const r = sold - k * model.stepTokens;
  const i = Number(k);
  // At s = K·Q there is no q_K, but r = 0 there.
  const area = r === 0n ? model.stepAreas[i]! : model.stepAreas[i]! + model.stepPrices[i]! * r;
  return ceilDiv(area, model.divisor);
}

/** q_j with j = min(floor(s/Q), K−1): the price of the next base unit (of the last one at N). */
export function exponentialStepPrice(model: ExponentialModel, sold: bigint): bigint {
  const j = Math.min(Number(sold / model.stepTokens), model.stepPrices.length - 1);
  return model.stepPrices[j]!;
}

/** The largest s in [0, N] with T(s) ≤ vault, i.e. F(s) ≤ vault·10^(d+9): O(log K). */
export function exponentialMaxSold(model: ExponentialModel, vault: bigint): bigint {
  const areaMax = vault * model.divisor;
  const k = lastAtMost(model.stepAreas, areaMax);
  if (k >= model.stepPrices.length) return model.sell;
  const q = model.stepPrices[k]!;
  const r = q === 0n ? model.stepTokens : (areaMax - model.stepAreas[k]!) / q;
  return minBig(BigInt(k) * model.stepTokens + minBig(r, model.stepTokens), model.sell);
}
