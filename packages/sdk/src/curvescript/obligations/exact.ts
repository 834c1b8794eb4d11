/**
 * Exact integer helpers for evaluate(). They mirror SMT-LIB's integer semantics (`div` is the
 * floor for a positive divisor, whatever the sign of the dividend), so a malformed template
 * evaluates to the same facts the solver sees.
 */
import { BPS } from '../template.ts';

/** floor(a / b) for b > 0. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** ceil(a / b) for b > 0 (`ceildiv` of the scripts). */
export function ceilDivAny(a: bigint, b: bigint): bigint {
  return floorDiv(a + b - 1n, b);
}

/** fee(a) = ceil(a·bps / 10_000). */
export function feeOf(amount: bigint, bps: bigint): bigint {
  return ceilDivAny(amount * bps, BPS);
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** `num/den` in lowest terms (den > 0), as text for counterexamples. */
export function ratio(num: bigint, den: bigint): string {
  let a = num < 0n ? -num : num;
  let b = den;
  while (b !== 0n) [a, b] = [b, a % b];
  const g = a === 0n ? 1n : a;
  const n = num / g;
  const d = den / g;
  return d === 1n ? n.toString() : `${n}/${d}`;
}

export const str = (v: bigint | number): string => v.toString();
