import { BPS, type CurveTemplate, curveSell, LIMITS, SECONDS_PER_DAY, U64_MAX } from './template.ts';

/**
 * A structural problem of a template. `field` is a path into CurveTemplate (e.g.
 * `curve.sell`, `curve.segments.2.until`): the checker maps it back to the script's line,
 * CurveVM reports it as is.
 */
export interface TemplateIssue {
  readonly field: string;
  readonly message: string;
}

const SYMBOL = /^[A-Z0-9]+$/;

/**
 * Every check of a template that needs no proof: ranges, required relations between fields,
 * canonical form. Proof obligations (overflow on the domain, monotone price, floor,
 * migration) are separate (obligations/). Used by the compiler and by every decoder.
 */
export function validateTemplate(t: CurveTemplate): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const fail = (field: string, message: string) => issues.push({ field, message });
  const u64 = (field: string, value: bigint, what: string) => {
    if (value < 0n || value > U64_MAX) fail(field, `${what} ${value} does not fit in u64`);
    return value >= 0n && value <= U64_MAX;
  };

  // The decoder only yields non-negative integers; templates built in code get the same guarantee.
  const counts: [string, number, number][] = [
    ['decimals', t.decimals, 0xff],
    ['vestSeconds', t.vestSeconds, 0xffff_ffff],
    ['cliffSeconds', t.cliffSeconds, 0xffff_ffff],
    ['feeBps', t.feeBps, 0xffff],
    ['feeSplitCreatorBps', t.feeSplitCreatorBps, 0xffff],
    ['reserveFloorBps', t.reserveFloorBps, 0xffff],
    ['sealedBlocks', t.sealedBlocks, 0xff],
  ];
  if (t.curve.kind === 'exponential') counts.push(['curve.growthBps', t.curve.growthBps, 0xffff]);
  if (t.migration) counts.push(['migration.ammFeeBps', t.migration.ammFeeBps, 0xffff]);
  for (const [field, value, max] of counts) {
    if (!Number.isInteger(value) || value < 0 || value > max)
      fail(field, `${value} is not an integer in 0..${max}`);
  }
  if (issues.length > 0) return issues;

  if (t.name.length < 1 || t.name.length > LIMITS.nameMaxLength) {
    fail('name', `name must be 1 to ${LIMITS.nameMaxLength} characters`);
  }
  if (
    t.symbol.length < LIMITS.symbolMinLength ||
    t.symbol.length > LIMITS.symbolMaxLength ||
    !SYMBOL.test(t.symbol)
  ) {
    fail(
      'symbol',
      `symbol must be ${LIMITS.symbolMinLength} to ${LIMITS.symbolMaxLength} characters of A-Z0-9`,
    );
  }
  if (t.decimals < LIMITS.decimalsMin || t.decimals > LIMITS.decimalsMax) {
    fail('decimals', `decimals must be ${LIMITS.decimalsMin} to ${LIMITS.decimalsMax}, got ${t.decimals}`);
  }
  if (u64('supply', t.supply, 'supply in base units') && t.supply === 0n)
    fail('supply', 'supply must be positive');

  if (t.creatorAllocation * BPS > BigInt(LIMITS.maxAllocationBps) * t.supply) {
    fail(
      'creatorAllocation',
      `creator allocation must be at most ${LIMITS.maxAllocationBps / 100}% of supply`,
    );
  }
  if (t.vestSeconds > LIMITS.maxVestDays * SECONDS_PER_DAY) {
    fail('vestSeconds', `vesting must be at most ${LIMITS.maxVestDays} days`);
  }
  if (t.cliffSeconds > t.vestSeconds) fail('cliffSeconds', 'the cliff is longer than the vesting');
  if (t.creatorAllocation === 0n && (t.vestSeconds !== 0 || t.cliffSeconds !== 0)) {
    fail('vestSeconds', 'vesting without a creator allocation');
  }

  validateCurve(t, fail, u64);

  if (t.feeBps > LIMITS.maxFeeBps) fail('feeBps', `fee must be at most ${LIMITS.maxFeeBps / 100}%`);
  if (t.feeSplitCreatorBps > 10_000) fail('feeSplitCreatorBps', 'the fee split must be at most 100%');
  if (t.reserveFloorBps > 10_000) fail('reserveFloorBps', 'the reserve floor must be at most 100%');
  if (t.sealedBlocks !== 0 && (t.sealedBlocks < LIMITS.sealedMin || t.sealedBlocks > LIMITS.sealedMax)) {
    fail('sealedBlocks', `the sealed window must be ${LIMITS.sealedMin} to ${LIMITS.sealedMax} blocks`);
  }
  if (t.maxBuy !== null && u64('maxBuy', t.maxBuy, 'max_buy in base units') && t.maxBuy === 0n) {
    fail('maxBuy', 'max_buy must be positive');
  }
  const m = t.migration;
  if (m) {
    if (u64('migration.threshold', m.threshold, 'migration threshold') && m.threshold === 0n) {
      fail('migration.threshold', 'the migration threshold must be positive');
    }
    if (m.ammFeeBps > LIMITS.maxAmmFeeBps) {
      fail('migration.ammFeeBps', `the AMM fee must be at most ${LIMITS.maxAmmFeeBps / 100}%`);
    }
    u64('migration.migrationFee', m.migrationFee, 'migration_fee');
  }
  return issues;
}

type Fail = (field: string, message: string) => void;
type CheckU64 = (field: string, value: bigint, what: string) => boolean;

function validateCurve(t: CurveTemplate, fail: Fail, u64: CheckU64): void {
  const c = t.curve;
  const sellField = c.kind === 'piecewise' ? `curve.segments.${c.segments.length - 1}.until` : 'curve.sell';
  switch (c.kind) {
    case 'constant_product':
      if (u64('curve.virtualQuote', c.virtualQuote, 'virtual_quote') && c.virtualQuote === 0n) {
        fail('curve.virtualQuote', 'virtual_quote must be positive');
      }
      u64('curve.virtualTokens', c.virtualTokens, 'virtual_tokens in base units');
      if (c.sell >= c.virtualTokens && c.sell > 0n) {
        fail('curve.sell', 'sell must be less than virtual_tokens for a constant product curve');
      }
      break;
    case 'linear':
      u64('curve.startPrice', c.startPrice, 'start_price');
      u64('curve.endPrice', c.endPrice, 'end_price');
      break;
    case 'exponential':
      u64('curve.startPrice', c.startPrice, 'start_price');
      if (c.growthBps > 10_000) fail('curve.growthBps', 'growth must be at most 100% per step');
      if (u64('curve.stepTokens', c.stepTokens, 'the step size') && c.stepTokens === 0n) {
        fail('curve.stepTokens', 'the step size must be positive');
      } else if (c.stepTokens > 0n) {
        const steps = (c.sell + c.stepTokens - 1n) / c.stepTokens;
        if (steps > BigInt(LIMITS.maxExponentialSteps)) {
          fail(
            'curve.stepTokens',
            `${steps} exponential steps; at most ${LIMITS.maxExponentialSteps} allowed`,
          );
        }
      }
      break;
    case 'sigmoid':
      u64('curve.minPrice', c.minPrice, 'min_price');
      u64('curve.maxPrice', c.maxPrice, 'max_price');
      u64('curve.midpoint', c.midpoint, 'midpoint');
      if (u64('curve.width', c.width, 'width') && c.width === 0n)
        fail('curve.width', 'width must be positive');
      if (c.minPrice > c.maxPrice) fail('curve.maxPrice', 'min_price is greater than max_price');
      break;
    case 'piecewise': {
      if (c.segments.length === 0) fail('curve', 'a piecewise curve needs at least one segment');
      if (c.segments.length > LIMITS.maxSegments) {
        fail(`curve.segments.${LIMITS.maxSegments}`, `at most ${LIMITS.maxSegments} segments allowed`);
      }
      c.segments.forEach((s, i) => {
        u64(`curve.segments.${i}.fromPrice`, s.fromPrice, 'from price');
        u64(`curve.segments.${i}.toPrice`, s.toPrice, 'to price');
        u64(`curve.segments.${i}.until`, s.until, 'until');
        const previous = c.segments[i - 1];
        if (previous && s.fromPrice !== previous.toPrice) {
          fail(
            `curve.segments.${i}.fromPrice`,
            `from (${s.fromPrice}) is not the previous to (${previous.toPrice})`,
          );
        }
        if (previous ? s.until <= previous.until : s.until === 0n && c.segments.length > 1) {
          fail(`curve.segments.${i}.until`, 'until must strictly increase');
        }
      });
      break;
    }
  }
  const sell = curveSell(c);
  if (!u64(sellField, sell, 'sell in base units')) return;
  if (sell === 0n) fail(sellField, 'sell must be positive');
  else if (sell > t.supply - t.creatorAllocation && t.creatorAllocation <= t.supply) {
    fail(sellField, 'sell is more than supply minus the creator allocation');
  }
}
