/**
 * The whole life of examples/rocket.curve on CurveVM, with every number the test can derive
 * on its own (inline formulas from curve-math.md, not the curve module): sealed bids,
 * uniform-price clearing, curve trading up to the `sold` threshold, MIGRATION_PENDING,
 * migration, pool trades, liquidity, vesting claims, a withdrawal with its proof.
 */
import { describe, expect, it } from 'vitest';
import { verifyStateProof, verifyWithdrawalProof, withdrawalLeafHash } from '../../src/state/index.ts';
import { type BlockResult, checkConservation, encodeRecord, type VmEvent } from '../../src/vm/index.ts';
import { address, compileExample, curveIdOf, genesisOf, PROTOCOL, SOL, TestChain } from './helpers.ts';

const TOKEN = 1_000_000n; // decimals 6
const X0 = 30n * SOL;
const Y0 = 1_073_000_000n * TOKEN;
const N = 793_100_000n * TOKEN;
const SUPPLY = 1_000_000_000n * TOKEN;
const ALLOCATION = 50_000_000n * TOKEN; // 5%
const MAX_BUY = 20_000_000n * TOKEN;
const FEE_BPS = 100n;
const CREATOR_SPLIT = 3_000n;
const AMM_FEE = 25n;
const DAY_MS = 86_400_000n;

// Independent formulas (curve-math.md), deliberately not the curve module.
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const fee = (a: bigint) => ceilDiv(a * FEE_BPS, 10_000n);
const cpNet = (x: bigint, y: bigint, d: bigint) => (d * x) / (y - d) + 1n;
const cpGross = (x: bigint, y: bigint, d: bigint) => (d * x) / (y + d);
/** Largest Δ ≤ max with cpNet + fee ≤ budget, by bisection on the definition. */
function budgetTokens(x: bigint, y: bigint, budget: bigint, max: bigint): bigint {
  let lo = 0n;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    const net = cpNet(x, y, mid);
    if (net + fee(net) <= budget) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}
function sqrtFloor(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}
const creatorShare = (f: bigint) => (f * CREATOR_SPLIT) / 10_000n;

function eventsOf<T extends VmEvent['type']>(result: BlockResult, type: T): Extract<VmEvent, { type: T }>[] {
  return result.receipts.flatMap((r) => r.events).filter((e) => e.type === type) as Extract<
    VmEvent,
    { type: T }
  >[];
}

describe('rocket.curve lifecycle', () => {
  it('runs from sealed bids to a withdrawal with the numbers of the spec', () => {
    const creator = address(0);
    const [alice, bob, carol, dave] = [address(1), address(2), address(3), address(4)];
    const traders = Array.from({ length: 45 }, (_, i) => address(100 + i));
    const lp = address(5);
    const chain = new TestChain(
      genesisOf([
        [creator, 10n * SOL],
        [alice, 10n * SOL],
        [bob, 10n * SOL],
        [carol, 10n * SOL],
        [dave, 10n * SOL],
        [lp, 100n * SOL],
        ...traders.map((t) => [t, 30n * SOL] as const),
      ]),
    );
    const vm = chain.vm;
    const conserved = () => expect(checkConservation(vm).violations).toEqual([]);

    // Block 1: creation. The window is this block and the 3 after it.
    const { bytes } = compileExample('rocket');
    const created = chain.block([[creator, { op: 'create_curve', template: bytes }]]);
    const curve = curveIdOf(created);
    expect(created.receipts[0]!.txId).toEqual(curve);
    expect(eventsOf(created, 'curve_created')[0]!.sealedUntil).toBe(4n);
    expect(vm.curve(curve)!.phase).toBe('sealed');

    // Blocks 2–4: bids. Alice bids twice (aggregated), Bob asks for exactly 5M tokens.
    const aliceBids = [2n * SOL, 1n * SOL];
    const bobBound = 1n * SOL;
    const bobAsk = 5_000_000n * TOKEN;
    const carolBound = SOL / 2n;
    const bids = chain.block([
      [alice, { op: 'buy', curve, order: { kind: 'budget', lamports: aliceBids[0]!, minTokens: 0n } }],
      [bob, { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: bobAsk, maxTotal: bobBound } }],
      [carol, { op: 'buy', curve, order: { kind: 'budget', lamports: carolBound, minTokens: 0n } }],
      [dave, { op: 'sell', curve, tokens: 1n, minOut: 0n }],
      [dave, { op: 'add_liquidity', curve, lamports: SOL, tokens: 0n, minShares: 0n }],
    ]);
    expect(bids.receipts.map((r) => r.error ?? r.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'SEALED_WINDOW',
      'SEALED_WINDOW',
    ]);
    chain.block([
      [alice, { op: 'buy', curve, order: { kind: 'budget', lamports: aliceBids[1]!, minTokens: 0n } }],
    ]);
    chain.block();
    expect(vm.account(alice).lamports).toBe(7n * SOL);
    expect(vm.escrow(curve, alice)).toEqual({ bound: 3n * SOL, asked: null });
    expect(vm.curve(curve)!.phase).toBe('sealed');
    conserved();

    // Block 5: cleared before anything else, from the initial state, per the three steps.
    const cleared = chain.block([
      [dave, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL / 10n, minTokens: 0n } }],
    ]);
    const bounds = [3n * SOL, bobBound, carolBound];
    const asked = [null, bobAsk, null];
    const L = bounds.reduce((a, b) => a + b);
    const deltaStar = budgetTokens(X0, Y0, L, N);
    const netStar = cpNet(X0, Y0, deltaStar);
    const expected = bounds.map((b, i) => {
      let t = (deltaStar * b) / L;
      if (t > MAX_BUY) t = MAX_BUY;
      if (asked[i] !== null && asked[i]! < t) t = asked[i]!;
      let c = ceilDiv(t * netStar, deltaStar);
      while (c + fee(c) > b) {
        t -= 1n;
        c = ceilDiv(t * netStar, deltaStar);
      }
      return { tokens: t, cost: c, fee: fee(c), refund: b - c - fee(c) };
    });
    const clearing = cleared.events[0];
    if (clearing?.type !== 'sealed_cleared') throw new Error('no clearing event');
    expect(clearing.price).toEqual({ num: netStar, den: deltaStar });
    // Buyers in address order: alice (1), bob (2), carol (3).
    expect(clearing.buyers.map(({ buyer: _, bound: __, ...f }) => f)).toEqual(expected);
    for (const f of expected) {
      // Uniform price: c_i is t_i·net*/Δ* rounded up, so within one lamport of it.
      expect(f.cost * deltaStar - f.tokens * netStar).toBeGreaterThanOrEqual(0n);
      expect(f.cost * deltaStar - f.tokens * netStar).toBeLessThan(deltaStar);
    }
    const T = expected.reduce((a, f) => a + f.tokens, 0n);
    const vaultIn = expected.reduce((a, f) => a + f.cost, 0n);
    expect(vaultIn).toBeGreaterThanOrEqual(cpNet(X0, Y0, T));
    let X = X0 + cpNet(X0, Y0, T);
    let Y = Y0 - T;
    let vault = vaultIn;
    let creatorFees = expected.reduce((a, f) => a + creatorShare(f.fee), 0n);
    let totalFees = expected.reduce((a, f) => a + f.fee, 0n);
    expect(vm.holding(alice, curve)).toEqual({ amount: expected[0]!.tokens, bought: expected[0]!.tokens });
    expect(vm.account(bob).lamports).toBe(9n * SOL + expected[1]!.refund);
    expect(vm.escrow(curve, alice)).toBeUndefined();
    // Dave's buy in the same block ran after the clearing, on the cleared state.
    const daveBuy = eventsOf(cleared, 'bought')[0]!;
    const daveTokens = budgetTokens(X, Y, SOL / 10n, N - T);
    expect(daveBuy.tokens).toBe(daveTokens);
    expect(daveBuy.net).toBe(cpNet(X, Y, daveTokens));
    X += daveBuy.net;
    Y -= daveTokens;
    vault += daveBuy.net;
    creatorFees += creatorShare(daveBuy.fee);
    totalFees += daveBuy.fee;
    expect(vm.curve(curve)!.state).toEqual({ sold: T + daveTokens, quote: X, tokens: Y });
    expect(vm.curve(curve)!.vault).toBe(vault);
    conserved();

    // A sell pays floor(Δ·X/(Y+Δ)) less its fee.
    const sellTokens = 1_000_000n * TOKEN;
    const sold = chain.block([[alice, { op: 'sell', curve, tokens: sellTokens, minOut: 0n }]]);
    const gross = cpGross(X, Y, sellTokens);
    expect(eventsOf(sold, 'sold')[0]).toMatchObject({ gross, fee: fee(gross), out: gross - fee(gross) });
    X -= gross;
    Y += sellTokens;
    vault -= gross;
    creatorFees += creatorShare(fee(gross));
    totalFees += fee(gross);
    // Slippage: min_out above the proceeds fails and changes nothing but the nonce.
    const before = vm.holding(alice, curve);
    const slipped = chain.run(alice, { op: 'sell', curve, tokens: sellTokens, minOut: 10n * SOL });
    expect(slipped.error).toBe('SLIPPAGE_EXCEEDED');
    expect(vm.holding(alice, curve)).toEqual(before);
    // max_buy: Alice bought 20M (sells do not give room back).
    expect(
      chain.run(alice, { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: 1n, maxTotal: SOL } })
        .error,
    ).toBe('MAX_BUY_EXCEEDED');

    // Traders buy up to the threshold; the last budget buy is clipped at N − s.
    for (const trader of traders) {
      const state = vm.curve(curve)!;
      if (state.phase !== 'trading') break;
      const s = state.state.sold;
      if (N - s < MAX_BUY && N - s > 0n) {
        // An exact buy past the threshold fails; a budget buy is clipped to it.
        const past = chain.run(trader, {
          op: 'buy',
          curve,
          order: { kind: 'exact_tokens', tokens: MAX_BUY, maxTotal: 30n * SOL },
        });
        expect(past.error).toBe('EXCEEDS_FOR_SALE');
      }
      const r = chain.run(trader, {
        op: 'buy',
        curve,
        order: { kind: 'budget', lamports: 25n * SOL, minTokens: 0n },
      });
      const bought = r.events.find((e) => e.type === 'bought');
      if (bought?.type !== 'bought') throw new Error(`trader buy failed: ${r.error}`);
      const cap = N - s < MAX_BUY ? N - s : MAX_BUY;
      expect(bought.tokens).toBe(budgetTokens(X, Y, 25n * SOL, cap));
      expect(bought.net).toBe(cpNet(X, Y, bought.tokens));
      X += bought.net;
      Y -= bought.tokens;
      vault += bought.net;
      creatorFees += creatorShare(bought.fee);
      totalFees += bought.fee;
    }
    const pending = vm.curve(curve)!;
    expect(pending.phase).toBe('migration_pending');
    expect(pending.state).toEqual({ sold: N, quote: X, tokens: Y });
    expect(pending.vault).toBe(vault);
    expect(pending.creatorFees).toBe(creatorFees);
    expect(pending.protocolFees).toBe(totalFees - creatorFees);
    conserved();

    // Between the threshold and MIGRATE_TO_AMM curve trades fail.
    const blocked = chain.block([
      [dave, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL, minTokens: 0n } }],
      [alice, { op: 'sell', curve, tokens: 1n, minOut: 0n }],
      [lp, { op: 'remove_liquidity', curve, shares: 1n, minLamports: 0n, minTokens: 0n }],
    ]);
    expect(blocked.receipts.map((r) => r.error)).toEqual([
      'MIGRATION_PENDING',
      'MIGRATION_PENDING',
      'NOT_MIGRATED',
    ]);

    // Anyone migrates: x = vault (no migration fee), y = supply − N − allocation, S = isqrt(x·y).
    const migrated = chain.block([[dave, { op: 'migrate_to_amm', curve }]]);
    let x = vault;
    let y = SUPPLY - N - ALLOCATION;
    let S = sqrtFloor(x * y);
    expect(eventsOf(migrated, 'migrated')[0]).toEqual({
      type: 'migrated',
      curve,
      x,
      y,
      lpSupply: S,
      migrationFee: 0n,
      creatorShares: 0n,
      burnedShares: S - 1000n,
    });
    expect(chain.run(dave, { op: 'migrate_to_amm', curve }).error).toBe('ALREADY_MIGRATED');
    conserved();

    // Pool trades: a budget buy swaps all of it in, an exact buy is an exact-out swap, a sell swaps in.
    const swapInOut = (a: bigint, xin: bigint, yout: bigint) => {
      const eff = a - ceilDiv(a * AMM_FEE, 10_000n);
      return (eff * yout) / (xin + eff);
    };
    const budgetSwap = chain.run(dave, {
      op: 'buy',
      curve,
      order: { kind: 'budget', lamports: SOL, minTokens: 0n },
    });
    const out1 = swapInOut(SOL, x, y);
    expect(budgetSwap.events[0]).toMatchObject({ input: 'lamports', amountIn: SOL, amountOut: out1 });
    let k = x * y;
    x += SOL;
    y -= out1;
    expect(x * y).toBeGreaterThanOrEqual(k);
    const want = 1_000_000n * TOKEN;
    const exactSwap = chain.run(dave, {
      op: 'buy',
      curve,
      order: { kind: 'exact_tokens', tokens: want, maxTotal: SOL },
    });
    const need = (x * want) / (y - want) + 1n;
    const a = ceilDiv(need * 10_000n, 10_000n - AMM_FEE);
    expect(a - ceilDiv(a * AMM_FEE, 10_000n)).toBeGreaterThanOrEqual(need);
    expect(a - 1n - ceilDiv((a - 1n) * AMM_FEE, 10_000n)).toBeLessThan(need);
    expect(exactSwap.events[0]).toMatchObject({ amountIn: a, amountOut: want });
    k = x * y;
    x += a;
    y -= want;
    expect(x * y).toBeGreaterThan(k);
    const sellSwap = chain.run(dave, { op: 'sell', curve, tokens: want, minOut: 0n });
    const lamportsOut = swapInOut(want, y, x);
    expect(sellSwap.events[0]).toMatchObject({ input: 'tokens', amountIn: want, amountOut: lamportsOut });
    x -= lamportsOut;
    y += want;
    expect(vm.curve(curve)!.pool).toMatchObject({ x, y, shares: S });

    // Liquidity: m = min(floor(dx·S/x), floor(dy·S/y)), ceil takes; removal floors.
    chain.run(alice, { op: 'transfer', to: lp, asset: { kind: 'token', curve }, amount: 5_000_000n * TOKEN });
    const dx = 2n * SOL;
    const dy = 5_000_000n * TOKEN;
    const added = chain.run(lp, { op: 'add_liquidity', curve, lamports: dx, tokens: dy, minShares: 0n });
    const m = [(dx * S) / x, (dy * S) / y].reduce((p, q) => (p < q ? p : q));
    expect(added.events[0]).toMatchObject({
      shares: m,
      lamports: ceilDiv(m * x, S),
      tokens: ceilDiv(m * y, S),
    });
    x += ceilDiv(m * x, S);
    y += ceilDiv(m * y, S);
    S += m;
    expect(vm.lpShares(lp, curve)).toBe(m);
    const half = m / 2n;
    const removed = chain.run(lp, {
      op: 'remove_liquidity',
      curve,
      shares: half,
      minLamports: 0n,
      minTokens: 0n,
    });
    expect(removed.events[0]).toMatchObject({
      shares: half,
      lamports: (half * x) / S,
      tokens: (half * y) / S,
    });
    x -= (half * x) / S;
    y -= (half * y) / S;
    S -= half;
    expect(vm.curve(curve)!.pool).toEqual({
      x,
      y,
      shares: S,
      burnedShares: sqrtFloor(vault * (SUPPLY - N - ALLOCATION)) - 1000n,
    });
    expect(
      chain.run(lp, { op: 'remove_liquidity', curve, shares: m, minLamports: 0n, minTokens: 0n }).error,
    ).toBe('INSUFFICIENT_SHARES');
    conserved();

    // Claims: fees at once; the allocation from the 7-day cliff, linearly to day 30.
    const createdAt = vm.curve(curve)!.createdAt;
    const early = chain.run(creator, { op: 'claim', curve });
    expect(early.events[0]).toMatchObject({ fees: creatorFees, tokens: 0n });
    expect(chain.run(creator, { op: 'claim', curve }).error).toBe('NOTHING_TO_CLAIM');
    expect(chain.run(dave, { op: 'claim', curve }).error).toBe('NOT_CREATOR');
    const protocolClaim = chain.run(PROTOCOL, { op: 'claim', curve });
    expect(protocolClaim.events[0]).toMatchObject({ fees: totalFees - creatorFees, tokens: 0n });
    chain.blockTime = 7n * DAY_MS; // just past the cliff after one block
    chain.block();
    chain.blockTime = 250n;
    const mid = chain.run(creator, { op: 'claim', curve });
    const elapsed = chain.timestamp - createdAt;
    const vestedMid = (ALLOCATION * (elapsed - 7n * DAY_MS)) / (23n * DAY_MS);
    expect(mid.events[0]).toMatchObject({ fees: 0n, tokens: vestedMid });
    chain.blockTime = 30n * DAY_MS;
    chain.block();
    const rest = chain.run(creator, { op: 'claim', curve });
    expect(rest.events[0]).toMatchObject({ tokens: ALLOCATION - vestedMid });
    expect(vm.holding(creator, curve).amount).toBe(ALLOCATION);
    conserved();

    // Withdraw: index 0, the tree's leaf, a proof against the block's withdrawals root.
    const recipient = new Uint8Array(32).fill(7);
    const withdrawal = chain.block([[dave, { op: 'withdraw', l1Recipient: recipient, lamports: SOL }]]);
    const leaf = { index: 0n, l1Recipient: recipient, lamports: SOL };
    expect(eventsOf(withdrawal, 'withdrawn')[0]).toMatchObject({ index: 0n, leaf: withdrawalLeafHash(leaf) });
    expect(verifyWithdrawalProof(withdrawal.withdrawalsRoot, leaf, vm.withdrawalProof(0n))).toBe(true);
    expect(vm.chain.totalWithdrawn).toBe(SOL);
    conserved();

    // Every record can be proven against the block's state root.
    for (const ref of [
      { kind: 'account', address: dave },
      { kind: 'holding', address: alice, curve },
      { kind: 'curve', curve },
      { kind: 'escrow', curve, buyer: alice },
    ] as const) {
      const p = vm.stateProof(ref);
      expect(p.root).toEqual(withdrawal.stateRoot);
      expect(verifyStateProof(p.root, p.key, p.value, p.proof)).toBe(true);
    }
    const account = vm.stateProof({ kind: 'account', address: dave });
    expect(account.value).toEqual(encodeRecord('account', vm.account(dave)));
    const tampered = encodeRecord('account', {
      ...vm.account(dave),
      lamports: vm.account(dave).lamports + 1n,
    });
    expect(verifyStateProof(account.root, account.key, tampered, account.proof)).toBe(false);
  });
});
