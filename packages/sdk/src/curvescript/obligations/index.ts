/**
 * Proof obligations of a compiled template (notes/curvescript.md, "Proof obligations"). Each
 * one is an SMT-LIB 2 script for Z3 (the prover entry point, `@assetl2/sdk/prover`) and the
 * same facts evaluated exactly, which CurveVM uses to re-validate templates without a solver.
 * General facts (monotonicity, bounds of products) are stated as symbolic lemmas; "for all s"
 * is reduced to finitely many ground facts at maxima, segment ends and step runs.
 */
import type { CurveTemplate } from '../template.ts';
import { floorObligation } from './floor.ts';
import { poolObligation, reachableObligation } from './migration.ts';
import { overflowObligation } from './overflow.ts';
import { priceObligation } from './price.ts';
import { buildShape } from './shape.ts';
import { makeObligation, type Obligation, type ObligationSpec } from './smt.ts';
import { vaultObligation } from './vault.ts';

export { segmentFloorViolation } from './floor.ts';
export {
  type Anchor,
  buildScript,
  type Check,
  type Obligation,
  type ObligationSpec,
  type Verdict,
} from './smt.ts';

/** The obligation specs (checks with their exact evaluators) of a template, in report order. */
export function obligationSpecs(template: CurveTemplate): ObligationSpec[] {
  const shape = buildShape(template);
  const specs = [
    overflowObligation(template, shape),
    priceObligation(template, shape),
    vaultObligation(template, shape),
  ];
  if (template.reserveFloorBps !== 0) specs.push(floorObligation(template, shape));
  const m = template.migration;
  if (m) specs.push(reachableObligation(template, shape, m), poolObligation(template, shape, m));
  return specs;
}

/**
 * no_u64_overflow, price_non_decreasing, vault_covers_reserve, then reserve_floor (when the
 * floor is set), migration_reachable and migration_pool_nonempty (when the script migrates).
 * Scripts are built on first access of `smtlib`; `evaluate()` is exact and solver-free.
 */
export function buildObligations(template: CurveTemplate): Obligation[] {
  return obligationSpecs(template).map(makeObligation);
}
