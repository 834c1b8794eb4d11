/**
 * Sealed-window clearing: everyone pays the same price per token (to one lamport), the order
 * of bids (and how they spread over the window's blocks) changes nobody's result, and each
 * buyer's allocation is exactly the one the spec's "lower t_i by one" loop would reach.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCurveModel, fee, initialCurveState, quoteBuyExact } from '../../src/curve/index.ts';
import { decodeTemplate } from '../../src/curvescript/template-codec.ts';
import type { Operation } from '../../src/tx/types.ts';
import { checkConservation, clearSealed, type SealedBid } from '../../src/vm/index.ts';
import { address, curveIdOf, genesisOf, hex, SOL, TestChain } from './helpers.ts';
import { TEST_TEMPLATES } from './templates.ts';

const MODELS = TEST_TEMPLATES.map((bytes) => {
  const template = decodeTemplate(bytes);
  return { template, model: createCurveModel(template) };
});

const bid: fc.Arbitrary<SealedBid> = fc.record({
  bound: fc.bigInt({ min: 1n, max: 40n * SOL }),
  asked: fc.option(fc.bigInt({ min: 1n, max: 400_000_000_000n }), { nil: null }),
  room: fc.option(fc.bigInt({ min: 0n, max: 400_000_000_000n }), { nil: null }),
});

describe('clearSealed', () => {
  it('uniform price, order-free, and t_i as the spec loop defines it', () => {
    fc.assert(
      fc.property(
        fc.nat(MODELS.length - 1),
        fc.array(bid, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
        (which, bids, draws) => {
          const { model, template } = MODELS[which]!;
          const state = initialCurveState(model);
          const cap = model.sell;
          const result = clearSealed(model, state, bids, cap);
          // A permutation of the bids gives every bid the same fill.
          const order = bids.map((_, i) => i);
          order.sort((a, b) => draws[a]! - draws[b]! || a - b);
          const permuted = clearSealed(
            model,
            state,
            order.map((i) => bids[i]!),
            cap,
          );
          order.forEach((from, to) => {
            expect(permuted.fills[to]).toEqual(result.fills[from]);
          });
          expect(permuted.buy).toEqual(result.buy);

          const L = bids.reduce((a, b) => a + b.bound, 0n);
          const { deltaStar, netStar } = result;
          let total = 0n;
          let paid = 0n;
          result.fills.forEach((f, i) => {
            const b = bids[i]!;
            expect(f.cost + f.fee + f.refund).toBe(b.bound);
            expect(f.fee).toBe(fee(f.cost, template.feeBps));
            if (result.buy === null) {
              expect(f).toEqual({ tokens: 0n, cost: 0n, fee: 0n, refund: b.bound });
              return;
            }
            // Same price for all: c_i = ceil(t_i·net*/Δ*), i.e. within one lamport of t_i·price.
            const excess = f.cost * deltaStar - f.tokens * netStar;
            expect(excess >= 0n && excess < deltaStar).toBe(true);
            // t_i is where "while c_i + fee(c_i) > b_i: t_i −= 1" stops, from the capped share.
            let start = (deltaStar * b.bound) / L;
            if (b.room !== null && b.room < start) start = b.room;
            if (b.asked !== null && b.asked < start) start = b.asked;
            expect(f.tokens <= start).toBe(true);
            const costOf = (t: bigint) => {
              const c = (t * netStar + deltaStar - 1n) / deltaStar;
              return c + fee(c, template.feeBps);
            };
            expect(costOf(f.tokens) <= b.bound).toBe(true);
            if (f.tokens < start) expect(costOf(f.tokens + 1n) > b.bound).toBe(true);
            total += f.tokens;
            paid += f.cost;
          });
          if (result.buy) {
            expect(result.buy.tokens).toBe(total);
            expect(result.vaultIn).toBe(paid);
            expect(total <= deltaStar).toBe(true);
            // The vault never receives less than the curve's own price for Σ t_i.
            expect(paid >= quoteBuyExact(model, state, total).net).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refunds everyone when nothing can be bought', () => {
    const { model } = MODELS[0]!;
    const state = initialCurveState(model);
    // One lamport buys nothing after the 1% fee: Δ* = 0.
    const dust = clearSealed(model, state, [{ bound: 1n, asked: null, room: null }], model.sell);
    expect(dust.buy).toBeNull();
    expect(dust.fills).toEqual([{ tokens: 0n, cost: 0n, fee: 0n, refund: 1n }]);
    // Nothing may be sold (cap 0), or every buyer is capped at 0 tokens.
    const bids: SealedBid[] = [
      { bound: SOL, asked: null, room: 0n },
      { bound: 5n * SOL, asked: null, room: null },
    ];
    expect(clearSealed(model, state, bids, 0n).fills.map((f) => f.refund)).toEqual([SOL, 5n * SOL]);
    const capped = clearSealed(model, state, [bids[0]!], model.sell);
    expect(capped.buy).toBeNull();
    expect(capped.fills[0]!.refund).toBe(SOL);
  });
});

describe('sealed window on the VM', () => {
  // tinyExp: sealed 3 blocks, max_buy 150k tokens, migrate when sold 600k.
  const template = TEST_TEMPLATES[2]!;
  const buyers = Array.from({ length: 6 }, (_, i) => address(10 + i));
  const creator = address(0);
  // Rich enough for every bid: which bids fail must not depend on their order.
  const genesis = genesisOf([[creator, SOL], ...buyers.map((b) => [b, 600n * SOL] as const)]);

  /** Bids spread over the window's blocks in the given order; returns the clearing and the root. */
  function run(bids: readonly (readonly [number, Operation])[], split: readonly number[]) {
    const chain = new TestChain(genesis);
    const curve = curveIdOf(chain.block([[creator, { op: 'create_curve', template }]]));
    const ops = bids.map(([i, op]) => [buyers[i]!, { ...op, curve } as Operation] as const);
    // Three window blocks after the creation block; split[k] bids go to block k.
    let at = 0;
    for (const n of split) {
      chain.block(ops.slice(at, at + n));
      at += n;
    }
    const cleared = chain.block();
    const event = cleared.events[0];
    if (event?.type !== 'sealed_cleared') throw new Error('no clearing');
    expect(checkConservation(chain.vm).violations).toEqual([]);
    const byBuyer = new Map(event.buyers.map((f) => [hex(f.buyer), f]));
    return { event, byBuyer, root: hex(cleared.stateRoot), vm: chain.vm, curve };
  }

  const order = (i: number, seed: number): readonly [number, Operation] =>
    seed % 3 === 0
      ? [
          i,
          {
            op: 'buy',
            curve: new Uint8Array(32),
            order: {
              kind: 'exact_tokens',
              tokens: BigInt(20_000 + seed * 997) * 1_000_000n,
              maxTotal: BigInt(seed + 1) * SOL,
            },
          },
        ]
      : [
          i,
          {
            op: 'buy',
            curve: new Uint8Array(32),
            order: { kind: 'budget', lamports: BigInt(seed + 1) * (SOL / 3n), minTokens: 0n },
          },
        ];

  it('the same bids in any order and any spread over the window clear identically', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(buyers.length - 1), fc.nat(40)), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        fc.tuple(fc.nat(12), fc.nat(12)),
        (raw, draws, [a, b]) => {
          const bids = raw.map(([i, seed]) => order(i, seed));
          const reference = run(bids, [bids.length, 0, 0]);
          // Shuffle (a buyer's own bids are aggregated, so their relative order is irrelevant too).
          const shuffled = bids
            .map((x, i) => [x, draws[i]!] as const)
            .sort((p, q) => p[1] - q[1])
            .map(([x]) => x);
          const first = Math.min(a, shuffled.length);
          const second = Math.min(b, shuffled.length - first);
          const other = run(shuffled, [first, second, shuffled.length - first - second]);
          expect(other.root).toBe(reference.root);
          expect(other.event.buyers).toEqual(reference.event.buyers);
          // Every participant paid the same price per token, to one lamport.
          const { num, den } = reference.event.price;
          for (const f of reference.event.buyers) {
            if (f.tokens === 0n) continue;
            const excess = f.cost * den - f.tokens * num;
            expect(excess >= 0n && excess < den).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('clears at the start of the first block after the window, before that block’s trades', () => {
    const chain = new TestChain(genesis);
    const curve = curveIdOf(chain.block([[creator, { op: 'create_curve', template }]]));
    const budget = (lamports: bigint): Operation => ({
      op: 'buy',
      curve,
      order: { kind: 'budget', lamports, minTokens: 0n },
    });
    chain.block([[buyers[0]!, budget(2n * SOL)]]);
    chain.block();
    // Still the window (the 3rd block after creation): a buy escrows, a sell fails.
    const last = chain.block([
      [buyers[1]!, budget(SOL)],
      [buyers[1]!, { op: 'sell', curve, tokens: 1n, minOut: 0n }],
    ]);
    expect(last.receipts.map((r) => r.events[0]?.type ?? r.error)).toEqual(['escrowed', 'SEALED_WINDOW']);
    expect(last.events).toEqual([]);
    const after = chain.block([[buyers[2]!, budget(SOL)]]);
    expect(after.events.map((e) => e.type)).toEqual(['sealed_cleared']);
    const cleared = after.events[0]!;
    if (cleared.type !== 'sealed_cleared') throw new Error('unreachable');
    const sold = cleared.tokens;
    // Buyer 2's trade ran on the cleared curve, after it, at the curve's price from there.
    const bought = after.receipts[0]!.events[0]!;
    if (bought.type !== 'bought') throw new Error('no buy');
    const model = createCurveModel(decodeTemplate(template));
    const quote = quoteBuyExact(model, { sold, quote: 0n, tokens: 0n }, bought.tokens);
    expect(bought.net).toBe(quote.net);
    expect(chain.vm.curve(curve)!.state.sold).toBe(sold + bought.tokens);
    expect(chain.vm.curve(curve)!.phase).toBe('trading');
  });
});
