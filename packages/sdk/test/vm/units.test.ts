/**
 * The VM's building blocks on their own: record codecs, pool math, vesting, the reserve-floor
 * check, compute costs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBuy, initialCurveState, quoteBuyExact } from '../../src/curve/index.ts';
import { U64_MAX } from '../../src/curvescript/template.ts';
import { decodeTemplate } from '../../src/curvescript/template-codec.ts';
import { addLiquidity as poolAdd, removeLiquidity as poolRemove, swapIn, swapOut } from '../../src/vm/amm.ts';
import { CurveRuntimes, reserveFloorHolds, vestedAllocation } from '../../src/vm/curves.ts';
import {
  BASE_TX_COST,
  type CurveRecord,
  computeUnits,
  decodeRecord,
  encodeRecord,
  OPERATION_COSTS,
  TEMPLATE_BYTE_COST,
} from '../../src/vm/index.ts';
import { encodeRecordReference } from '../../src/vm/records.ts';
import { address, compileExample, unsignedTx } from './helpers.ts';
import { TEST_TEMPLATES } from './templates.ts';

const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('record codecs', () => {
  it('the reused-buffer encoder grows correctly past its first buffer', () => {
    const template = Uint8Array.from({ length: 2_048 }, (_, i) => (i * 7 + 3) & 0xff);
    expect(encodeRecord('template', template)).toEqual(encodeRecordReference('template', template));
    const config = {
      chainId: 9,
      protocolAccount: new Uint8Array(32).fill(1),
      bridgeAuthorities: Array.from({ length: 256 }, (_, i) => new Uint8Array(32).fill(i)),
      computeLimitPerBlock: 10n ** 12n,
      genesisLamports: 5n,
    };
    expect(encodeRecord('config', config)).toEqual(encodeRecordReference('config', config));
    expect(decodeRecord('config', encodeRecord('config', config))).toEqual(config);
  });

  it('round-trip every record kind', () => {
    const curve: fc.Arbitrary<CurveRecord> = fc.record({
      id: bytes32,
      creator: bytes32,
      templateHash: bytes32,
      createdHeight: u64,
      createdAt: u64,
      phase: fc.constantFrom('sealed', 'trading', 'migration_pending', 'migrated'),
      state: fc.record({ sold: u64, quote: u64, tokens: u64 }),
      vault: u64,
      creatorFees: u64,
      protocolFees: u64,
      claimedAllocation: u64,
      escrowTotal: u64,
      pool: fc.option(fc.record({ x: u64, y: u64, shares: u64, burnedShares: u64 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.record({ lamports: u64, nonce: u64 }),
        fc.record({ amount: u64, bought: u64 }),
        curve,
        fc.record({ bound: u64, asked: fc.option(u64, { nil: null }) }),
        fc.record({ recipient: bytes32, lamports: u64, height: u64 }),
        fc.record({
          height: u64,
          timestamp: u64,
          withdrawalCount: u64,
          totalDeposited: u64,
          totalWithdrawn: u64,
        }),
        (account, holding, c, escrow, deposit, chain) => {
          expect(decodeRecord('account', encodeRecord('account', account))).toEqual(account);
          // The reused-buffer encoder writes exactly what codec.ts's writer writes.
          expect(encodeRecord('curve', c)).toEqual(encodeRecordReference('curve', c));
          expect(encodeRecord('escrow', escrow)).toEqual(encodeRecordReference('escrow', escrow));
          expect(encodeRecord('chain', chain)).toEqual(encodeRecordReference('chain', chain));
          expect(decodeRecord('holding', encodeRecord('holding', holding))).toEqual(holding);
          expect(decodeRecord('curve', encodeRecord('curve', c))).toEqual(c);
          expect(decodeRecord('escrow', encodeRecord('escrow', escrow))).toEqual(escrow);
          expect(decodeRecord('deposit', encodeRecord('deposit', deposit))).toEqual(deposit);
          expect(decodeRecord('chain', encodeRecord('chain', chain))).toEqual(chain);
          expect(decodeRecord('lp', encodeRecord('lp', { shares: account.lamports }))).toEqual({
            shares: account.lamports,
          });
        },
      ),
    );
  });
});

describe('pool math', () => {
  const reserve = fc.bigInt({ min: 1_000n, max: 1n << 50n });
  const feeBps = fc.bigInt({ min: 0n, max: 500n });

  it('swaps never decrease x·y; exact-out takes the smallest sufficient input', () => {
    fc.assert(
      fc.property(reserve, reserve, fc.bigInt({ min: 1n, max: 1n << 48n }), feeBps, (x, y, a, f) => {
        try {
          const q = swapIn(x, y, a, f);
          expect((x + a) * (y - q.amountOut)).toBeGreaterThanOrEqual(x * y);
          expect(q.amountOut).toBeLessThan(y);
        } catch (e) {
          expect(e).toMatchObject({ code: 'ZERO_AMOUNT' });
        }
        const o = a % y;
        if (o === 0n) return;
        const q = swapOut(x, y, o, f);
        const need = (x * o) / (y - o) + 1n;
        const effective = (v: bigint) => v - (v * f + 9_999n) / 10_000n;
        expect(effective(q.amountIn)).toBeGreaterThanOrEqual(need);
        expect(effective(q.amountIn - 1n)).toBeLessThan(need);
        expect((x + q.amountIn) * (y - o)).toBeGreaterThan(x * y);
      }),
    );
  });

  it('liquidity: takes at most the offer, never dilutes x·y per share², pays out at most the share', () => {
    fc.assert(
      fc.property(reserve, reserve, u64, u64, (x, y, dx, dy) => {
        const shares = sqrt(x * y);
        try {
          const d = poolAdd(x, y, shares, dx % (x * 4n), dy % (y * 4n));
          expect(d.lamports).toBeLessThanOrEqual(dx % (x * 4n));
          expect(d.tokens).toBeLessThanOrEqual(dy % (y * 4n));
          const [x2, y2, s2] = [x + d.lamports, y + d.tokens, shares + d.shares];
          expect(x2 * y2 * shares * shares).toBeGreaterThanOrEqual(x * y * s2 * s2);
          const r = poolRemove(x2, y2, s2, d.shares);
          expect(r.lamports).toBeLessThanOrEqual(d.lamports);
          expect(r.tokens).toBeLessThanOrEqual(d.tokens);
        } catch (e) {
          expect(e).toMatchObject({ code: 'ZERO_AMOUNT' });
        }
      }),
    );
  });
});

function sqrt(n: bigint): bigint {
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

describe('vesting', () => {
  const template = { ...decodeTemplate(compileExample('rocket').bytes) };
  const day = 86_400_000n;
  const alloc = template.creatorAllocation;
  it('nothing before the cliff, linear from the cliff to the end, everything after', () => {
    expect(vestedAllocation(template, 0n, 7n * day - 1n)).toBe(0n);
    expect(vestedAllocation(template, 0n, 7n * day)).toBe(0n);
    expect(vestedAllocation(template, 0n, 7n * day + 1n)).toBe((alloc * 1n) / (23n * day));
    expect(vestedAllocation(template, 1_000n, 1_000n + 18n * day + day / 2n)).toBe(alloc / 2n);
    expect(vestedAllocation(template, 0n, 30n * day)).toBe(alloc);
    expect(vestedAllocation(template, 0n, 300n * day)).toBe(alloc);
    expect(vestedAllocation({ ...template, vestSeconds: 0, cliffSeconds: 0 }, 5n, 5n)).toBe(alloc);
    const cliffOnly = { ...template, vestSeconds: 86_400, cliffSeconds: 86_400 };
    expect(vestedAllocation(cliffOnly, 0n, day - 1n)).toBe(0n);
    expect(vestedAllocation(cliffOnly, 0n, day)).toBe(alloc);
  });
});

describe('reserve floor', () => {
  it('vault·10⁴ ≥ k·spot·s exactly, at the boundary', () => {
    const runtime = new CurveRuntimes().validate(TEST_TEMPLATES[0]!); // tinyCp, floor 20%
    const model = runtime.model;
    const state = applyBuy(
      model,
      initialCurveState(model),
      quoteBuyExact(model, initialCurveState(model), 10n ** 11n),
    );
    // Least vault the floor allows: ceil(k·X·s / (10⁴·Y)).
    const k = 2_000n;
    const least = (k * state.quote * state.sold + 10_000n * state.tokens - 1n) / (10_000n * state.tokens);
    expect(reserveFloorHolds(runtime, state, least)).toBe(true);
    expect(reserveFloorHolds(runtime, state, least - 1n)).toBe(false);
    // Equality holds the floor: X = Y, s = 10⁴, k = 20% ⇒ vault ≥ 2000 exactly.
    const even = { sold: 10_000n, quote: 5n * 10n ** 9n, tokens: 5n * 10n ** 9n };
    expect(reserveFloorHolds(runtime, even, 2_000n)).toBe(true);
    expect(reserveFloorHolds(runtime, even, 1_999n)).toBe(false);
    const line = new CurveRuntimes().validate(TEST_TEMPLATES[1]!); // tinyLine, floor 40%
    const s = { sold: 400_000_000_000n, quote: 0n, tokens: 0n };
    // p(s) = 1000 + 99_000·(400k/800k) = 50_500 lamports per token; s = 400k tokens.
    const value = 50_500n * 400_000n;
    expect(reserveFloorHolds(line, s, (value * 4n) / 10n)).toBe(true);
    expect(reserveFloorHolds(line, s, (value * 4n) / 10n - 1n)).toBe(false);
  });
});

describe('compute costs', () => {
  it('are a function of the operation and the template size', () => {
    const pay = unsignedTx(address(0), 0n, {
      op: 'transfer',
      to: address(1),
      asset: { kind: 'lamports' },
      amount: 1n,
    });
    expect(computeUnits(pay)).toBe(BASE_TX_COST + OPERATION_COSTS.transfer);
    const bytes = TEST_TEMPLATES[0]!;
    const create = unsignedTx(address(0), 0n, { op: 'create_curve', template: bytes });
    expect(computeUnits(create)).toBe(
      BASE_TX_COST + OPERATION_COSTS.create_curve + TEMPLATE_BYTE_COST * bytes.length,
    );
  });
});
