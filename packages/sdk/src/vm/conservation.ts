/**
 * Conservation checker (curve-math.md, last section). The identities, exactly as checked:
 *
 * Lamports (chain-wide):
 *   Σ_accounts lamports
 *   + Σ_curves (vault + escrowTotal + creatorFees + protocolFees + pool.x)
 *   = genesisLamports + totalDeposited − totalWithdrawn
 * where a curve's `vault` holds the curve math's reserve plus the sealed clearing surplus plus
 * lamports added before migration (0 after migration, when it moved to pool.x), and
 * `protocolFees` includes the migration fee (curve-math.md's separate "migration fees" term).
 * Also per curve: escrowTotal = Σ of its escrow records' bounds.
 *
 * Tokens (per curve, allocation A, sale N, supply S):
 *   Σ_accounts holdings
 *   + (before migration) (N − sold) [unsold inventory] + (S − N − A) [migration reserve]
 *   + (after migration) pool.y
 *   + (A − claimedAllocation) [unvested and unclaimed allocation, held by nobody]
 *   = S
 * LP shares are claims on the pool, not tokens; their own identity (after migration):
 *   Σ_accounts LP shares + 1000 locked + burnedShares = pool.shares.
 *
 * Besides conservation, the vault must cover what the curve owes: vault ≥ vaultOf(model, state)
 * (T(sold), or X − X0 for constant product) before migration.
 */

import { toHex } from '../codec/index.ts';
import { vaultOf } from '../curve/index.ts';
import { LOCKED_LP_SHARES } from './amm.ts';
import { bytesOfKey, ID_KEY_LENGTH } from './keys.ts';
import type { CurveVM } from './vm.ts';

export interface ConservationReport {
  readonly ok: boolean;
  readonly violations: readonly string[];
  /** Left-hand side of the lamport identity (everything held somewhere). */
  readonly lamportsHeld: bigint;
  /** Right-hand side: genesis + deposits − withdrawals. */
  readonly lamportsIssued: bigint;
}

export function checkConservation(vm: CurveVM): ConservationReport {
  const view = vm.audit();
  const violations: string[] = [];
  let held = 0n;
  for (const account of view.accounts.values()) held += account.lamports;

  const tokensHeld = new Map<string, bigint>();
  for (const [key, holding] of view.holdings) {
    const curve = key.slice(ID_KEY_LENGTH);
    tokensHeld.set(curve, (tokensHeld.get(curve) ?? 0n) + holding.amount);
  }
  const sharesHeld = new Map<string, bigint>();
  for (const [key, lp] of view.lp) {
    const curve = key.slice(ID_KEY_LENGTH);
    sharesHeld.set(curve, (sharesHeld.get(curve) ?? 0n) + lp.shares);
  }
  const escrowed = new Map<string, bigint>();
  for (const [key, escrow] of view.escrows) {
    const curve = key.slice(0, ID_KEY_LENGTH);
    escrowed.set(curve, (escrowed.get(curve) ?? 0n) + escrow.bound);
  }

  for (const [key, curve] of view.curves) {
    const runtime = view.runtime(key);
    const hex = toHex(curve.id);
    const t = runtime.template;
    held += curve.vault + curve.escrowTotal + curve.creatorFees + curve.protocolFees + (curve.pool?.x ?? 0n);
    if ((escrowed.get(key) ?? 0n) !== curve.escrowTotal) {
      violations.push(
        `curve ${hex}: escrow records ${escrowed.get(key) ?? 0n} ≠ escrowTotal ${curve.escrowTotal}`,
      );
    }
    let tokens = (tokensHeld.get(key) ?? 0n) + (t.creatorAllocation - curve.claimedAllocation);
    if (curve.pool) {
      tokens += curve.pool.y;
      const shares = (sharesHeld.get(key) ?? 0n) + LOCKED_LP_SHARES + curve.pool.burnedShares;
      if (shares !== curve.pool.shares) {
        violations.push(`curve ${hex}: LP shares ${shares} ≠ pool supply ${curve.pool.shares}`);
      }
    } else {
      tokens += runtime.sell - curve.state.sold + (t.supply - runtime.sell - t.creatorAllocation);
      if ((sharesHeld.get(key) ?? 0n) !== 0n) violations.push(`curve ${hex}: LP shares before migration`);
      const owed = vaultOf(runtime.model, curve.state);
      if (curve.vault < owed) violations.push(`curve ${hex}: vault ${curve.vault} < reserve owed ${owed}`);
    }
    if (tokens !== t.supply) violations.push(`curve ${hex}: tokens ${tokens} ≠ supply ${t.supply}`);
  }
  for (const key of tokensHeld.keys()) {
    if (!view.curves.has(key)) violations.push(`holdings of unknown curve ${toHex(bytesOfKey(key))}`);
  }

  const { chain, config } = view;
  const issued = config.genesisLamports + chain.totalDeposited - chain.totalWithdrawn;
  if (held !== issued) violations.push(`lamports held ${held} ≠ issued ${issued}`);
  return { ok: violations.length === 0, violations, lamportsHeld: held, lamportsIssued: issued };
}
