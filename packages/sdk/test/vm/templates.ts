/**
 * Small launches for randomized VM tests: every shape, sealed windows, both migration
 * triggers, caps, floors and vesting, sized so that a few dozen random buys reach migration.
 */
import { compileSource } from './helpers.ts';

export const TEST_SCRIPTS: Readonly<Record<string, string>> = {
  tinyCp: `
launch "Tiny CP" symbol TCP
decimals 6
supply 1_000_000 tokens
creator_allocation 5% vest 1 days cliff 0 days
curve constant_product
  virtual_quote 10 sol
  virtual_tokens 1_100_000 tokens
  sell 800_000 tokens
fee 1%
fee_split creator 30%
reserve_floor 20%
sealed 2 blocks
max_buy 300_000 tokens
migrate when sold 800_000 tokens to amm fee 0.3% migration_fee 0.01 sol lp creator
`,
  tinyLine: `
launch "Tiny Line" symbol TLIN
decimals 6
supply 1_000_000 tokens
creator_allocation 10% vest 2 days cliff 1 days
curve linear
  start_price 1_000 lamports
  end_price 100_000 lamports
  sell 800_000 tokens
fee 2%
fee_split creator 50%
reserve_floor 40%
migrate when raised 20 sol to amm fee 1% lp burn
`,
  tinyExp: `
launch "Tiny Exp" symbol TEXP
decimals 6
supply 1_000_000 tokens
curve exponential
  start_price 10_000 lamports
  growth 100 bps every 10_000 tokens
  sell 700_000 tokens
fee 1%
sealed 3 blocks
max_buy 150_000 tokens
migrate when sold 600_000 tokens to amm fee 0.5% lp burn
`,
  tinySteps: `
launch "Tiny Steps" symbol TSTP
supply 1_000_000 tokens
curve piecewise
  segment linear from 0 lamports to 10_000 lamports until sold 300_000 tokens
  segment linear from 10_000 lamports to 50_000 lamports until sold 900_000 tokens
fee 0.5%
`,
  tinySigmoid: `
launch "Tiny S" symbol TSIG
decimals 9
supply 1_000_000 tokens
curve sigmoid
  min_price 1_000 lamports
  max_price 100_000 lamports
  midpoint 400_000 tokens
  width 100_000 tokens
  sell 800_000 tokens
fee 1%
reserve_floor 10%
sealed 1 blocks
migrate when raised 10 sol to amm fee 0.25% lp creator
`,
};

export const TEST_TEMPLATES: readonly Uint8Array[] = Object.values(TEST_SCRIPTS).map(
  (s) => compileSource(s).bytes,
);
