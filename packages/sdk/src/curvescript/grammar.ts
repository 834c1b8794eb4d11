import type { CurveKind } from './template.ts';

/**
 * The statement forms of CurveScript v1 (notes/curvescript.md), as data: each keyword maps
 * to a pattern the parser matches its arguments against. Captured names become the
 * statement's fields.
 */
export type Unit = 'sol' | 'lamports' | 'tokens' | '%' | 'bps' | 'blocks' | 'days';

export type PatternElement =
  | { readonly type: 'literal'; readonly word: string }
  | { readonly type: 'string'; readonly name: string; readonly what: string }
  | { readonly type: 'symbol'; readonly name: string }
  | { readonly type: 'integer'; readonly name: string; readonly what: string }
  | {
      readonly type: 'quantity';
      readonly name: string;
      readonly units: readonly Unit[];
      readonly what: string;
    }
  | { readonly type: 'choice'; readonly name: string; readonly options: Readonly<Record<string, Pattern>> }
  | { readonly type: 'optional'; readonly pattern: Pattern };

export type Pattern = readonly PatternElement[];

const literal = (word: string): PatternElement => ({ type: 'literal', word });
const quantity = (name: string, units: readonly Unit[], what: string): PatternElement => ({
  type: 'quantity',
  name,
  units,
  what,
});
const choice = (name: string, options: Record<string, Pattern>): PatternElement => ({
  type: 'choice',
  name,
  options,
});
const optional = (...pattern: PatternElement[]): PatternElement => ({ type: 'optional', pattern });

const QUOTE: readonly Unit[] = ['sol', 'lamports'];
const TOKENS: readonly Unit[] = ['tokens'];
const RATE: readonly Unit[] = ['%', 'bps'];

export const TOP_LEVEL: Readonly<Record<string, Pattern>> = {
  launch: [
    { type: 'string', name: 'name', what: 'a quoted name' },
    literal('symbol'),
    { type: 'symbol', name: 'symbol' },
  ],
  decimals: [{ type: 'integer', name: 'decimals', what: 'the number of decimals' }],
  supply: [quantity('supply', TOKENS, 'the total supply')],
  creator_allocation: [
    quantity('allocation', [...RATE, 'tokens'], 'the allocation'),
    optional(literal('vest'), quantity('vest', ['days'], 'the vesting length')),
    optional(literal('cliff'), quantity('cliff', ['days'], 'the cliff')),
  ],
  curve: [
    choice('shape', {
      constant_product: [],
      linear: [],
      exponential: [],
      sigmoid: [],
      piecewise: [],
    }),
  ],
  fee: [quantity('fee', RATE, 'the fee')],
  fee_split: [literal('creator'), quantity('creatorShare', RATE, "the creator's share")],
  reserve_floor: [quantity('floor', RATE, 'the reserve floor')],
  sealed: [quantity('blocks', ['blocks'], 'the window length')],
  max_buy: [quantity('maxBuy', TOKENS, 'the per-wallet cap')],
  migrate: [
    literal('when'),
    choice('trigger', {
      sold: [quantity('threshold', TOKENS, 'the tokens sold')],
      raised: [quantity('threshold', QUOTE, 'the amount raised')],
    }),
    literal('to'),
    literal('amm'),
    literal('fee'),
    quantity('ammFee', RATE, 'the AMM fee'),
    optional(literal('migration_fee'), quantity('migrationFee', QUOTE, 'the migration fee')),
    literal('lp'),
    choice('lp', { burn: [], creator: [] }),
  ],
};

export const CURVE_PARAMETERS: Readonly<Record<string, Pattern>> = {
  virtual_quote: [quantity('value', QUOTE, 'the virtual quote reserve')],
  virtual_tokens: [quantity('value', TOKENS, 'the virtual token reserve')],
  sell: [quantity('value', TOKENS, 'the tokens for sale')],
  start_price: [quantity('value', QUOTE, 'a price per whole token')],
  end_price: [quantity('value', QUOTE, 'a price per whole token')],
  min_price: [quantity('value', QUOTE, 'a price per whole token')],
  max_price: [quantity('value', QUOTE, 'a price per whole token')],
  midpoint: [quantity('value', TOKENS, 'the midpoint')],
  width: [quantity('value', TOKENS, 'the width')],
  growth: [
    quantity('value', RATE, 'the growth per step'),
    literal('every'),
    quantity('every', TOKENS, 'the step'),
  ],
  segment: [
    literal('linear'),
    literal('from'),
    quantity('from', QUOTE, 'the start price'),
    literal('to'),
    quantity('to', QUOTE, 'the end price'),
    literal('until'),
    literal('sold'),
    quantity('until', TOKENS, 'the tokens for sale at the end of the segment'),
  ],
};

/** Which parameters each shape takes; all are required (piecewise: one or more `segment`). */
export const SHAPE_PARAMETERS: Readonly<Record<CurveKind, readonly string[]>> = {
  constant_product: ['virtual_quote', 'virtual_tokens', 'sell'],
  linear: ['start_price', 'end_price', 'sell'],
  exponential: ['start_price', 'growth', 'sell'],
  sigmoid: ['min_price', 'max_price', 'midpoint', 'width', 'sell'],
  piecewise: ['segment'],
};

export const KEYWORDS: readonly string[] = [...Object.keys(TOP_LEVEL), ...Object.keys(CURVE_PARAMETERS)];

/** Table lookup by a word from the source: own keys only (`__proto__` is not a keyword). */
export function lookup<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}
