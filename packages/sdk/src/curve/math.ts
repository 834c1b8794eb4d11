/**
 * Integer helpers shared by every curve shape. All of them are exact on bigints; no result
 * depends on a float (isqrt lets a double pick Newton's starting point, nothing more).
 */
import { U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error } from '../errors/codes.ts';
import type { Rational } from './types.ts';

/** ceil(a / b) for a ≥ 0, b > 0 (bigint `/` truncates, which is floor only for non-negatives). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/** Below this a double holds n to 53 bits, enough to seed Newton two steps from the answer. */
const FLOAT_SEED_LIMIT = 1n << 1000n;

/**
 * floor(√n), exact for any size. Newton's step x → floor((x + floor(n/x))/2) from any x ≥ 1
 * lands on or above floor(√n) (AM ≥ GM), and from there decreases monotonically onto it, so
 * the result is decided by integer arithmetic alone: the double only chooses where Newton
 * starts (two full-width divisions instead of seven; isqrt dominated budget buys), and the
 * last two lines re-check the definition r² ≤ n < (r+1)² anyway.
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) {
    throw new AssetL2Error('INVALID_AMOUNT', `cannot take the square root of a negative number (${n})`);
  }
  if (n < 2n) return n;
  if (n >= FLOAT_SEED_LIMIT) return isqrtIntegers(n);
  const start = BigInt(Math.floor(Math.sqrt(Number(n))));
  let x = start > 0n ? start : 1n;
  x = (x + n / x) >> 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * The integer-only scheme of CPython's math.isqrt, for numbers beyond a double's range: each
 * pass doubles the correct top bits of a, so it takes log2(bits) steps.
 */
function isqrtIntegers(n: bigint): bigint {
  const c = (bitLength(n) - 1) >> 1;
  let a = 1n;
  let d = 0;
  // Invariant: (a − 1)² < (n >> 2(c − d)) < (a + 1)²
  for (let s = 31 - Math.clz32(c); s >= 0; s--) {
    const e = d;
    d = c >> s;
    a = (a << BigInt(d - e - 1)) + (n >> BigInt(2 * c - e - d + 1)) / a;
  }
  return a * a > n ? a - 1n : a;
}

/** Bits of n > 0, from its hex digits (no per-bit loop, no float). */
export function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(Number.parseInt(hex[0]!, 16));
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Lowest terms, so equal prices compare equal field by field. */
export function rational(num: bigint, den: bigint): Rational {
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** A user-supplied amount must be a u64: anything else cannot appear in a transaction. */
export function checkAmount(value: bigint, what: string): void {
  if (value < 0n) throw new AssetL2Error('INVALID_AMOUNT', `${what} must not be negative (got ${value})`);
  if (value > U64_MAX) throw new AssetL2Error('INVALID_AMOUNT', `${what} ${value} does not fit in u64`);
}

/** Stored values and quote results must fit u64; wrapping would silently mint or burn money. */
export function checkU64(value: bigint, what: string): bigint {
  if (value > U64_MAX) throw new AssetL2Error('U64_OVERFLOW', `${what} ${value} does not fit in u64`);
  return value;
}

/** Math.min for bigints (Math.min itself throws on them). */
export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Last index i with sorted[i] ≤ value (0 when value is below sorted[0]). */
export function lastAtMost(sorted: readonly bigint[], value: bigint): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}
