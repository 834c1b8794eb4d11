import { type Diagnostic, FILE_START, type Position } from './diagnostics.ts';
import { SHAPE_PARAMETERS } from './grammar.ts';
import type { Script, Statement, Value } from './parser.ts';
import {
  type Curve,
  type CurveKind,
  type CurveTemplate,
  LIMITS,
  type Migration,
  NANO,
  SECONDS_PER_DAY,
} from './template.ts';

/**
 * Where each template field came from, so that problems found on the template (structural
 * validation, proof obligations) are reported at the script's line and column.
 */
export type FieldPositions = ReadonlyMap<string, Position>;

export interface CheckResult {
  readonly template?: CurveTemplate;
  readonly positions: FieldPositions;
  readonly diagnostics: Diagnostic[];
}

const DEFAULT_DECIMALS = 6;

/**
 * Turns a parsed script into a template: statement rules (order, duplicates, required
 * statements and parameters) and unit resolution. Returns no template if anything failed.
 */
export function checkScript(script: Script): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const positions = new Map<string, Position>();
  const error = (at: Position, message: string) =>
    diagnostics.push({ line: at.line, col: at.col, severity: 'error', message });

  const byKeyword = collectStatements(script.statements, error);
  const launch = byKeyword.get('launch');
  if (!launch)
    error(FILE_START, 'missing `launch` statement: a script starts with `launch "Name" symbol SYM`');
  else if (script.statements[0] !== launch) error(launch.pos, '`launch` must be the first statement');
  if (!byKeyword.get('supply')) error(FILE_START, 'missing `supply` statement');
  const curveStatement = byKeyword.get('curve');
  if (!curveStatement) error(FILE_START, 'missing `curve` block');
  const parameters = curveStatement?.complete ? checkCurveParameters(curveStatement, error) : undefined;
  // Resolution goes on past earlier errors so that one run reports as many as it can;
  // a template is returned only if nothing at all went wrong.

  const resolver = new Resolver(error);
  let decimals = DEFAULT_DECIMALS;
  const decimalsValue = byKeyword.get('decimals')?.fields.decimals;
  if (decimalsValue?.kind === 'integer') {
    const value = decimalsValue.value;
    if (value < BigInt(LIMITS.decimalsMin) || value > BigInt(LIMITS.decimalsMax)) {
      error(
        decimalsValue.pos,
        `decimals must be ${LIMITS.decimalsMin} to ${LIMITS.decimalsMax}, got ${value}`,
      );
    } else decimals = Number(value);
  }
  resolver.decimals = decimals;

  const field = (key: string, statement: Statement | undefined, name: string): Value | undefined => {
    const value = statement?.fields[name];
    if (value) positions.set(key, value.pos);
    return value;
  };

  const name = field('name', launch, 'name');
  const symbol = field('symbol', launch, 'symbol');
  const supply = resolver.amount(field('supply', byKeyword.get('supply'), 'supply'));

  const allocationStatement = byKeyword.get('creator_allocation');
  let creatorAllocation = 0n;
  const allocation = field('creatorAllocation', allocationStatement, 'allocation');
  if (allocation?.kind === 'quantity' && allocation.unit !== 'tokens') {
    const bps = resolver.rate(allocation);
    if (bps !== undefined && supply !== undefined) {
      creatorAllocation = (supply * BigInt(bps)) / 10_000n;
      if ((supply * BigInt(bps)) % 10_000n !== 0n) {
        error(allocation.pos, `${allocation.text} of the supply is not a whole number of base units`);
      }
    }
  } else if (allocation) creatorAllocation = resolver.amount(allocation) ?? 0n;
  const vestDays = resolver.count(field('vestSeconds', allocationStatement, 'vest'), 'days') ?? 0;
  const cliffDays = resolver.count(field('cliffSeconds', allocationStatement, 'cliff'), 'days') ?? 0;

  if (curveStatement) positions.set('curve', curveStatement.pos);
  const curve =
    curveStatement && parameters?.complete
      ? buildCurve(curveStatement, parameters.byName, resolver, positions)
      : undefined;

  const feeBps = resolver.rate(field('feeBps', byKeyword.get('fee'), 'fee')) ?? 0;
  const feeSplitCreatorBps =
    resolver.rate(field('feeSplitCreatorBps', byKeyword.get('fee_split'), 'creatorShare')) ?? 0;
  const reserveFloorBps =
    resolver.rate(field('reserveFloorBps', byKeyword.get('reserve_floor'), 'floor')) ?? 0;
  const sealedBlocks =
    resolver.count(field('sealedBlocks', byKeyword.get('sealed'), 'blocks'), 'blocks') ?? 0;
  const maxBuyValue = field('maxBuy', byKeyword.get('max_buy'), 'maxBuy');
  const maxBuy = maxBuyValue ? (resolver.amount(maxBuyValue) ?? 0n) : null;

  const migrate = byKeyword.get('migrate');
  let migration: Migration | null = null;
  if (migrate) {
    positions.set('migrate', migrate.pos);
    const trigger =
      migrate.fields.trigger?.kind === 'word' && migrate.fields.trigger.value === 'raised'
        ? 'raised'
        : 'sold';
    const lp =
      migrate.fields.lp?.kind === 'word' && migrate.fields.lp.value === 'creator' ? 'creator' : 'burn';
    migration = {
      trigger,
      threshold: resolver.amount(field('migration.threshold', migrate, 'threshold')) ?? 0n,
      ammFeeBps: resolver.rate(field('migration.ammFeeBps', migrate, 'ammFee')) ?? 0,
      migrationFee: resolver.amount(field('migration.migrationFee', migrate, 'migrationFee')) ?? 0n,
      lp,
    };
  }

  if (diagnostics.length > 0 || !launch || supply === undefined || !curve) return { positions, diagnostics };
  const template: CurveTemplate = {
    name: name?.kind === 'string' ? name.value : '',
    symbol: symbol?.kind === 'symbol' ? symbol.value : '',
    decimals,
    supply,
    creatorAllocation,
    // Canonical form: no allocation means nothing to vest.
    vestSeconds: creatorAllocation === 0n ? 0 : vestDays * SECONDS_PER_DAY,
    cliffSeconds: creatorAllocation === 0n ? 0 : cliffDays * SECONDS_PER_DAY,
    curve,
    feeBps,
    feeSplitCreatorBps,
    reserveFloorBps,
    sealedBlocks,
    maxBuy,
    migration,
  };
  return { template, positions, diagnostics };
}

type Report = (at: Position, message: string) => void;

/** Top-level statements by keyword; duplicates are reported at their second occurrence. */
function collectStatements(statements: readonly Statement[], error: Report): Map<string, Statement> {
  const byKeyword = new Map<string, Statement>();
  for (const s of statements) {
    const first = byKeyword.get(s.keyword);
    // A recovered (misspelled) statement only stands in for a missing one.
    if (first && (s.recovered || first.recovered)) {
      if (first.recovered && !s.recovered) byKeyword.set(s.keyword, s);
    } else if (first) {
      error(
        s.pos,
        `duplicate \`${s.keyword}\` statement (first on line ${first.pos.line})${s.keyword === 'curve' ? ': a script has exactly one curve block' : ''}`,
      );
    } else byKeyword.set(s.keyword, s);
  }
  return byKeyword;
}

function checkCurveParameters(
  curve: Statement,
  error: Report,
): { byName: Map<string, Statement[]>; complete: boolean } | undefined {
  const shape = curve.fields.shape;
  if (shape?.kind !== 'word') return undefined;
  const kind = shape.value as CurveKind;
  const allowed = SHAPE_PARAMETERS[kind];
  const byName = new Map<string, Statement[]>();
  let complete = true;
  for (const p of curve.parameters ?? []) {
    if (p.recovered && !allowed.includes(p.keyword)) {
      complete = false;
      continue;
    }
    if (!allowed.includes(p.keyword)) {
      const hint =
        p.keyword === 'sell' && kind === 'piecewise'
          ? ': the last segment’s `until` is the amount for sale'
          : `; it takes ${allowed.map((a) => `\`${a}\``).join(', ')}`;
      error(p.pos, `\`${p.keyword}\` is not a parameter of a ${kind} curve${hint}`);
      continue;
    }
    const list = byName.get(p.keyword) ?? [];
    if (p.recovered) {
      complete = false;
      if (list.length === 0) byName.set(p.keyword, [p]);
      continue;
    }
    if (list.length > 0 && list[0]!.recovered) list.length = 0;
    if (list.length > 0 && p.keyword !== 'segment') {
      error(p.pos, `duplicate \`${p.keyword}\` (first on line ${list[0]!.pos.line})`);
      continue;
    }
    list.push(p);
    byName.set(p.keyword, list);
    if (!p.complete) complete = false;
  }
  for (const required of allowed) {
    if (!byName.has(required)) {
      error(
        curve.pos,
        `the ${kind} curve is missing \`${required}\`${required === 'segment' ? ' (at least one)' : ''}`,
      );
    }
  }
  return { byName, complete };
}

function buildCurve(
  curve: Statement,
  byName: ReadonlyMap<string, Statement[]>,
  resolver: Resolver,
  positions: Map<string, Position>,
): Curve | undefined {
  const kind = (curve.fields.shape as { value: CurveKind }).value;
  const amount = (key: string, parameter: string, fieldName = 'value'): bigint => {
    const value = byName.get(parameter)?.[0]?.fields[fieldName];
    if (value) positions.set(key, value.pos);
    return resolver.amount(value) ?? 0n;
  };
  switch (kind) {
    case 'constant_product':
      return {
        kind,
        virtualQuote: amount('curve.virtualQuote', 'virtual_quote'),
        virtualTokens: amount('curve.virtualTokens', 'virtual_tokens'),
        sell: amount('curve.sell', 'sell'),
      };
    case 'linear':
      return {
        kind,
        startPrice: amount('curve.startPrice', 'start_price'),
        endPrice: amount('curve.endPrice', 'end_price'),
        sell: amount('curve.sell', 'sell'),
      };
    case 'exponential': {
      const growth = byName.get('growth')?.[0];
      if (growth?.fields.value) positions.set('curve.growthBps', growth.fields.value.pos);
      return {
        kind,
        startPrice: amount('curve.startPrice', 'start_price'),
        growthBps: resolver.rate(growth?.fields.value) ?? 0,
        stepTokens: amount('curve.stepTokens', 'growth', 'every'),
        sell: amount('curve.sell', 'sell'),
      };
    }
    case 'sigmoid':
      return {
        kind,
        minPrice: amount('curve.minPrice', 'min_price'),
        maxPrice: amount('curve.maxPrice', 'max_price'),
        midpoint: amount('curve.midpoint', 'midpoint'),
        width: amount('curve.width', 'width'),
        sell: amount('curve.sell', 'sell'),
      };
    case 'piecewise': {
      const segments = (byName.get('segment') ?? []).map((s, i) => {
        const value = (name: string, key: string) => {
          const v = s.fields[name];
          if (v) positions.set(`curve.segments.${i}.${key}`, v.pos);
          return resolver.amount(v) ?? 0n;
        };
        positions.set(`curve.segments.${i}`, s.pos);
        return {
          fromPrice: value('from', 'fromPrice'),
          toPrice: value('to', 'toPrice'),
          until: value('until', 'until'),
        };
      });
      return { kind, segments };
    }
  }
}

/** Largest count (days, blocks, bps) converted to a JS number; beyond it is simply out of range. */
const MAX_SMALL_VALUE = 1_000_000n;

/**
 * Resolves quantities to the integers the template stores. A decimal must come out as a
 * whole number of the unit's base (`0.5 sol` = 500_000_000 lamports; `0.125%` is not a
 * whole basis point).
 */
class Resolver {
  decimals = DEFAULT_DECIMALS;
  constructor(private readonly error: Report) {}

  /** Lamports (sol, lamports) or base units (tokens). */
  amount(value: Value | undefined): bigint | undefined {
    if (value?.kind !== 'quantity') return undefined;
    const [factor, base] =
      value.unit === 'sol'
        ? [NANO, 'lamports']
        : value.unit === 'tokens'
          ? [10n ** BigInt(this.decimals), `base units (decimals ${this.decimals})`]
          : [1n, 'lamports'];
    return this.whole(value, factor, base);
  }

  /** Basis points from `%` or `bps`. */
  rate(value: Value | undefined): number | undefined {
    if (value?.kind !== 'quantity') return undefined;
    const bps = this.whole(value, value.unit === '%' ? 100n : 1n, 'basis points');
    return bps === undefined ? undefined : this.small(bps, value);
  }

  /** Whole days or blocks. */
  count(value: Value | undefined, unit: 'days' | 'blocks'): number | undefined {
    if (value?.kind !== 'quantity') return undefined;
    const n = this.whole(value, 1n, unit);
    return n === undefined ? undefined : this.small(n, value);
  }

  private whole(value: Value & { kind: 'quantity' }, factor: bigint, base: string): bigint | undefined {
    const scaled = value.mantissa * factor;
    const divisor = 10n ** BigInt(value.scale);
    if (scaled % divisor !== 0n) {
      this.error(value.pos, `${value.text} is not a whole number of ${base}`);
      return undefined;
    }
    return scaled / divisor;
  }

  private small(n: bigint, value: Value): number | undefined {
    if (n > MAX_SMALL_VALUE) {
      this.error(value.pos, `${value.kind === 'quantity' ? value.text : ''} is out of range`);
      return undefined;
    }
    return Number(n);
  }
}
