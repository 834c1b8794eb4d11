/**
 * The API's reads computed from a CurveVM, for backends that hold one (the node's executor
 * state, the test backend): accounts with their token balances, curves with their template
 * and price, and quotes that follow the curve's phase (curve math, sealed window, pool).
 *
 * Quotes apply the guards that do not depend on the buyer (what is left for sale, a `sold`
 * migration threshold, the phase); max_buy, balances and the reserve floor are checked when
 * the trade executes.
 */
import {
  AssetL2Error,
  type Bytes32,
  type CurveVM,
  curveSell,
  encodeAddress,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  type Rational,
  spotPrice,
  swapIn,
  swapOut,
} from '@assetl2/sdk';
import type { AccountInfo, CurveInfo, QuoteInfo, QuoteRequest } from './backend.ts';

/** Balances by curve scan every curve: fine for a test chain, the node indexes holdings. */
export function accountFromVm(vm: CurveVM, address: Bytes32): AccountInfo {
  const { lamports, nonce } = vm.account(address);
  const tokens: { curve: Bytes32; amount: bigint }[] = [];
  const lpShares: { curve: Bytes32; shares: bigint }[] = [];
  for (const curve of vm.audit().curves.values()) {
    const { amount } = vm.holding(address, curve.id);
    if (amount > 0n) tokens.push({ curve: curve.id, amount });
    const shares = vm.lpShares(address, curve.id);
    if (shares > 0n) lpShares.push({ curve: curve.id, shares });
  }
  return { address, lamports, nonce, tokens, lpShares };
}

export function curveFromVm(vm: CurveVM, id: Bytes32): CurveInfo | undefined {
  const record = vm.curve(id);
  const runtime = vm.curveRuntime(id);
  if (!record || !runtime) return undefined;
  const template = runtime.template;
  const sealedUntil = template.sealedBlocks > 0 ? record.createdHeight + BigInt(template.sealedBlocks) : null;
  const price =
    record.pool !== null && record.phase === 'migrated'
      ? reduced(record.pool.x, record.pool.y)
      : spotPrice(runtime.model, record.state);
  return { record, template, sealedUntil, spotPrice: price };
}

export function quoteFromVm(vm: CurveVM, id: Bytes32, request: QuoteRequest): QuoteInfo {
  const record = vm.curve(id);
  const runtime = vm.curveRuntime(id);
  if (!record || !runtime) throw new AssetL2Error('UNKNOWN_CURVE', `no curve ${encodeAddress(id)}`);
  const { side, amount } = request;
  switch (record.phase) {
    case 'migration_pending':
      throw new AssetL2Error(
        'MIGRATION_PENDING',
        'the migration threshold is reached: the curve no longer trades',
      );
    case 'migrated': {
      const pool = record.pool!;
      const fee = runtime.ammFeeBps;
      if (side === 'sell') {
        const q = swapIn(pool.y, pool.x, amount, fee);
        return { side, venue: 'pool', tokens: amount, lamports: q.amountOut, fee: q.fee };
      }
      const q =
        request.by === 'tokens' ? swapOut(pool.x, pool.y, amount, fee) : swapIn(pool.x, pool.y, amount, fee);
      return { side, venue: 'pool', tokens: q.amountOut, lamports: q.amountIn, fee: q.fee };
    }
    case 'sealed':
    case 'trading': {
      const venue = record.phase === 'sealed' ? 'sealed' : 'curve';
      const model = runtime.model;
      const state = record.state;
      if (side === 'sell') {
        if (venue === 'sealed') {
          throw new AssetL2Error('SEALED_WINDOW', 'selling is closed during the sealed launch window');
        }
        const q = quoteSell(model, state, amount);
        return { side, venue, tokens: q.tokens, lamports: q.out, fee: q.fee };
      }
      const left = curveSell(runtime.template.curve) - state.sold;
      const cap = saleCap(runtime.migration, state.sold, left);
      let q: ReturnType<typeof quoteBuyExact>;
      if (request.by === 'tokens') {
        if (amount > cap && amount <= left) {
          throw new AssetL2Error(
            'EXCEEDS_FOR_SALE',
            `only ${cap} tokens may be bought before the migration threshold`,
          );
        }
        q = quoteBuyExact(model, state, amount);
      } else {
        q = quoteBuyBudget(model, state, amount);
        if (q.tokens > cap) q = quoteBuyExact(model, state, cap);
      }
      return { side, venue, tokens: q.tokens, lamports: q.total, fee: q.fee };
    }
  }
}

/** N − s, and for `migrate when sold N'` at most N' − s (the VM's saleCap). */
function saleCap(
  migration: { trigger: 'sold' | 'raised'; threshold: bigint } | null,
  sold: bigint,
  left: bigint,
) {
  if (migration?.trigger !== 'sold') return left;
  const toThreshold = migration.threshold - sold;
  return toThreshold < left ? (toThreshold > 0n ? toThreshold : 0n) : left;
}

function reduced(num: bigint, den: bigint): Rational {
  let a = num;
  let b = den;
  while (b > 0n) [a, b] = [b, a % b];
  return a === 0n ? { num: 0n, den: 1n } : { num: num / a, den: den / a };
}
