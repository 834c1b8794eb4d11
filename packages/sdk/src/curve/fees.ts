import { BPS } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import { ceilDiv, checkAmount } from './math.ts';

/** A fee rate above 100% would make a sell pay out a negative amount. */
export function checkFeeBps(bps: number | bigint): bigint {
  if (typeof bps === 'number' && !Number.isSafeInteger(bps)) {
    throw new AssetL2Error('INVALID_AMOUNT', `the fee rate must be a whole number of bps (got ${bps})`);
  }
  const b = BigInt(bps);
  if (b < 0n || b > BPS) {
    throw new AssetL2Error('INVALID_AMOUNT', `the fee rate must be 0 to 10000 bps (got ${b})`);
  }
  return b;
}

/** fee(a) = ceil(a·bps / 10_000): rounded up, in the pool's favour. */
export function fee(amount: bigint, bps: number | bigint): bigint {
  checkAmount(amount, 'the amount');
  return feeOf(amount, checkFeeBps(bps));
}

/** fee() without the checks, for quotes whose inputs are already validated. */
export function feeOf(amount: bigint, bps: bigint): bigint {
  return ceilDiv(amount * bps, BPS);
}

/**
 * The largest net n with n + fee(n) ≤ budget. Since n + ceil(n·f/10^4) = ceil(n·(10^4+f)/10^4)
 * and ceil(x) ≤ B ⟺ x ≤ B for an integer B, it is exactly floor(B·10^4 / (10^4 + f)).
 */
export function maxNetForBudget(budget: bigint, bps: bigint): bigint {
  return (budget * BPS) / (BPS + bps);
}
