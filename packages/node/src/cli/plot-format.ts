/** Human numbers, axis ticks and XML escaping for `assetl2 curve plot`. */

const LAMPORTS_PER_SOL = 1e9;

/** Text safe in XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** A coordinate for the SVG: two decimals, no "-0", deterministic. */
export function px(value: number): string {
  const s = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** 1234567.5 → "1,234,567.5" (fixed separators, whatever the locale). */
function group(s: string): string {
  const [int = '', frac] = s.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.length > 4 ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : digits;
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** Up to four significant digits (all of a large integer part), no exponent, trailing zeros dropped. */
function significant(n: number): string {
  if (n === 0) return '0';
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(n))));
  return group(trimZeros(n.toFixed(Math.min(digits, 12))));
}

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** 793100000 → "793.1M", 1e9 → "1B", 20000 → "20k", 27.96 → "27.96". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  for (const [scale, suffix] of SUFFIXES) {
    // 999_950 rounds to "1000k": promote it to the next suffix instead.
    if (abs >= scale * 0.99995) return `${significant(n / scale)}${suffix}`;
  }
  return significant(n);
}

/** Basis points as a percentage: 100 → "1%", 25 → "0.25%". */
export function percentBps(bps: number): string {
  return `${trimZeros((bps / 100).toFixed(2))}%`;
}

/** A fraction as a percentage with three significant digits: 0.7931 → "79.3%". */
export function percent(fraction: number): string {
  const n = fraction * 100;
  if (n === 0) return '0%';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  return `${trimZeros(n.toFixed(Math.min(digits, 12)))}%`;
}

export function sol(lamports: bigint | number): string {
  return `${significant(Number(lamports) / LAMPORTS_PER_SOL)} SOL`;
}

/** Prices of at least 0.01 SOL per token are shown in SOL, smaller ones in lamports. */
export function priceUnit(maxLamports: number): 'SOL' | 'lamports' {
  return maxLamports >= 1e7 ? 'SOL' : 'lamports';
}

/** A price in lamports per whole token, written out: "410.9 lamports", "99,030 lamports", "0.05 SOL". */
export function price(lamports: number, unit: 'SOL' | 'lamports'): string {
  if (unit === 'SOL') return sol(lamports);
  return `${lamports < 1e6 ? significant(lamports) : compact(lamports)} lamports`;
}

/** Round numbers spaced 1, 2, 2.5 or 5 × 10^k covering [0, max], about `target` intervals. */
export function niceTicks(max: number, target: number): { ticks: number[]; step: number; top: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { ticks: [0, 1], step: 1, top: 1 };
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const count = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = 0; i <= count; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { ticks, step, top: count * step };
}

/** Decimals a tick step needs, e.g. 0.25 → 2, 5 → 0. */
export function decimalsFor(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** A tick label; `0` is always plain "0". */
export function tickLabel(
  value: number,
  step: number,
  unit: 'tokens' | 'lamports' | 'SOL' | 'ratio',
): string {
  if (value === 0) return unit === 'ratio' ? '0%' : '0';
  switch (unit) {
    case 'ratio':
      return `${trimZeros((value * 100).toFixed(decimalsFor(step * 100)))}%`;
    case 'SOL': {
      const v = value / LAMPORTS_PER_SOL;
      return trimZeros(v.toFixed(decimalsFor(step / LAMPORTS_PER_SOL)));
    }
    default: {
      const abs = Math.abs(value);
      for (const [scale, suffix] of SUFFIXES) {
        if (abs >= scale) return `${trimZeros((value / scale).toFixed(decimalsFor(step / scale)))}${suffix}`;
      }
      return trimZeros(value.toFixed(decimalsFor(step)));
    }
  }
}
