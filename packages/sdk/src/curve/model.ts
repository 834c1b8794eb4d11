import { type CurveTemplate, LIMITS } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { constantProductModel } from './constant-product.ts';
import { exponentialModel } from './exponential.ts';
import { checkFeeBps } from './fees.ts';
import { pow10 } from './math.ts';
import { linearPieces, piecewisePieces, segmentModel } from './reserve-target.ts';
import { sigmoidPieces } from './sigmoid.ts';
import type { CurveModel, ModelCommon, ReserveTargetModel } from './types.ts';

/**
 * Precomputes everything a quote needs from a template, once: CP reserves, segment prefix
 * areas (O(log segments) per T) or exponential step prices and prefix areas (O(1) per T).
 * The model is frozen; a malformed curve throws TEMPLATE_INVALID, a stored price beyond u64
 * U64_OVERFLOW. Only what the math depends on is checked here (validateTemplate does the rest).
 */
export function createCurveModel(template: CurveTemplate): CurveModel {
  const common = modelCommon(template);
  const curve = template.curve;
  switch (curve.kind) {
    case 'constant_product':
      return constantProductModel(curve, common);
    case 'linear':
      return segmentModel('linear', linearPieces(curve), common);
    case 'piecewise':
      return segmentModel('piecewise', piecewisePieces(curve), common);
    case 'sigmoid':
      return segmentModel('sigmoid', sigmoidPieces(curve), common);
    case 'exponential':
      return exponentialModel(curve, common);
  }
}

function modelCommon(template: CurveTemplate): ModelCommon {
  const d = template.decimals;
  if (!Number.isInteger(d) || d < LIMITS.decimalsMin || d > LIMITS.decimalsMax) {
    throw new AssetL2Error(
      'TEMPLATE_INVALID',
      `decimals must be ${LIMITS.decimalsMin} to ${LIMITS.decimalsMax}, got ${d}`,
    );
  }
  let feeBps: bigint;
  try {
    feeBps = checkFeeBps(template.feeBps);
  } catch {
    throw new AssetL2Error('TEMPLATE_INVALID', `the fee must be 0 to 10000 bps, got ${template.feeBps}`);
  }
  return { decimals: d, unit: pow10(d), feeBps };
}

export function isReserveTarget(model: CurveModel): model is ReserveTargetModel {
  return model.kind !== 'constant_product';
}
