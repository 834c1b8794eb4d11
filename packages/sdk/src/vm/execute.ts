/**
 * Execution of valid transactions and of sealed-window clearings (curve-math.md). A handler
 * either completes or throws an AssetL2Error naming why the transaction failed; the caller
 * then rolls the journal back to the transaction's mark, so handlers may write before a later
 * check fails. Every stored amount is checked to fit u64 (an overflow is U64_OVERFLOW, never a
 * wrap).
 */

import { toHex } from '../codec/index.ts';
import {
  applyBuy,
  applySell,
  type BuyQuote,
  initialCurveState,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
} from '../curve/index.ts';
import { BPS, U64_MAX } from '../curvescript/template.ts';
import { AssetL2Error, isAssetL2Error } from '../errors/index.ts';
import { WITHDRAWALS_TREE_DEPTH, type WithdrawalLeaf, withdrawalLeafHash } from '../state/index.ts';
import type { Bytes32, Operation, Transaction } from '../tx/types.ts';
import {
  addLiquidity,
  initialShares,
  LOCKED_LP_SHARES,
  removeLiquidity,
  type SwapQuote,
  swapIn,
  swapOut,
} from './amm.ts';
import {
  type CurveRuntime,
  type CurveRuntimes,
  migrationReached,
  reserveFloorHolds,
  saleCap,
  vestedAllocation,
} from './curves.ts';
import { bytesOfKey, escrowKey, keyOf, SINGLETON_KEY } from './keys.ts';
import type { AccountRecord, ChainRecord, CurveRecord, HoldingRecord, PoolRecord } from './records.ts';
import { clearSealed, type SealedBid, type SealedClearing } from './sealed.ts';
import type { VmState } from './state.ts';
import type { ClearingFill, VmEvent } from './types.ts';

/** 2^24 leaves: the withdrawals tree's capacity (ARCHITECTURE.md §5). */
export const WITHDRAWALS_CAPACITY = 1n << BigInt(WITHDRAWALS_TREE_DEPTH);

const NO_ACCOUNT: AccountRecord = Object.freeze({ lamports: 0n, nonce: 0n });
const NO_HOLDING: HoldingRecord = Object.freeze({ amount: 0n, bought: 0n });

function fail(code: ConstructorParameters<typeof AssetL2Error>[0], message: string): never {
  throw new AssetL2Error(code, message);
}

/**
 * Where a BUY or SELL on a curve in this phase trades: the curve itself, the sealed-window
 * escrow (buys only) or the AMM pool. Phases that take no such trade fail here.
 */
function tradeVenue(record: CurveRecord, side: 'buy' | 'sell'): 'curve' | 'escrow' | 'pool' {
  switch (record.phase) {
    case 'trading':
      return 'curve';
    case 'migrated':
      return 'pool';
    case 'migration_pending':
      return fail('MIGRATION_PENDING', 'the migration threshold is reached: send MIGRATE_TO_AMM first');
    case 'sealed':
      return side === 'buy'
        ? 'escrow'
        : fail('SEALED_WINDOW', 'selling is closed during the sealed launch window');
  }
}

function u64(value: bigint, what: string): bigint {
  if (value > U64_MAX) fail('U64_OVERFLOW', `${what} ${value} would not fit in u64`);
  return value;
}

interface CurveRef {
  readonly key: string;
  readonly id: Bytes32;
  readonly record: CurveRecord;
  readonly runtime: CurveRuntime;
}

/** What execution needs besides the state: the block's clock and the chain's fixed rules. */
export interface ExecutionContext {
  readonly height: bigint;
  readonly timestamp: bigint;
}

export class Executor {
  private readonly protocolKey: string;
  private readonly authorities: ReadonlySet<string>;
  /** Leaves of this block's withdrawals, appended to the tree when the block commits. */
  readonly pendingLeaves: WithdrawalLeaf[] = [];

  constructor(
    private readonly s: VmState,
    private readonly runtimes: CurveRuntimes,
  ) {
    const config = s.configRecord;
    this.protocolKey = keyOf(config.protocolAccount);
    this.authorities = new Set(config.bridgeAuthorities.map(keyOf));
  }

  // ---------------------------------------------------------------- records

  account(key: string): AccountRecord {
    return this.s.accounts.map.get(key) ?? NO_ACCOUNT;
  }

  private credit(key: string, lamports: bigint): void {
    if (lamports === 0n) return;
    const a = this.account(key);
    this.s.put(this.s.accounts, key, {
      lamports: u64(a.lamports + lamports, 'the balance'),
      nonce: a.nonce,
    });
  }

  private debit(key: string, lamports: bigint): void {
    const a = this.account(key);
    if (a.lamports < lamports) {
      fail('INSUFFICIENT_LAMPORTS', `needs ${lamports} lamports, the account holds ${a.lamports}`);
    }
    this.s.put(this.s.accounts, key, { lamports: a.lamports - lamports, nonce: a.nonce });
  }

  private holding(key: string): HoldingRecord {
    return this.s.holdings.map.get(key) ?? NO_HOLDING;
  }

  /** Adds tokens; `bought` also counts them towards max_buy (curve buys only). */
  private creditTokens(key: string, tokens: bigint, bought: bigint): void {
    if (tokens === 0n && bought === 0n) return;
    const h = this.holding(key);
    this.s.put(this.s.holdings, key, {
      amount: u64(h.amount + tokens, 'the token balance'),
      bought: u64(h.bought + bought, 'the tokens bought'),
    });
  }

  private debitTokens(key: string, tokens: bigint): void {
    const h = this.holding(key);
    if (h.amount < tokens)
      fail('INSUFFICIENT_TOKENS', `needs ${tokens} tokens, the account holds ${h.amount}`);
    const amount = h.amount - tokens;
    // A record with nothing in it is no record: the state stays a function of the balances.
    if (amount === 0n && h.bought === 0n) this.s.remove(this.s.holdings, key);
    else this.s.put(this.s.holdings, key, { amount, bought: h.bought });
  }

  private chain(): ChainRecord {
    return this.s.chainRecord;
  }

  private putChain(next: ChainRecord): void {
    this.s.put(this.s.chain, SINGLETON_KEY, next);
  }

  private curve(id: Bytes32): CurveRef {
    const key = keyOf(id);
    const record = this.s.curves.map.get(key);
    if (!record) fail('UNKNOWN_CURVE', `no curve ${toHex(id)}`);
    const runtime = this.runtimes.forCurve(key, () => this.s.templates.map.get(key)!);
    return { key, id, record, runtime };
  }

  /** Splits a curve fee: floor(fee·k/10⁴) to the creator, the rest to the protocol. */
  private withFee(record: CurveRecord, runtime: CurveRuntime, fee: bigint): CurveRecord {
    if (fee === 0n) return record;
    const creator = (fee * runtime.feeSplitCreatorBps) / BPS;
    return {
      ...record,
      creatorFees: u64(record.creatorFees + creator, 'the creator fees'),
      protocolFees: u64(record.protocolFees + (fee - creator), 'the protocol fees'),
    };
  }

  /** After a buy (or a vault deposit): enters migration_pending when the trigger is reached. */
  private settlePhase(c: CurveRef, next: CurveRecord, events: VmEvent[]): CurveRecord {
    if (next.phase === 'trading' && migrationReached(c.runtime, next.state, next.vault)) {
      events.push({ type: 'migration_reached', curve: c.id });
      return { ...next, phase: 'migration_pending' };
    }
    return next;
  }

  // ---------------------------------------------------------------- dispatch

  /** `txId` is required for CREATE_CURVE (it becomes the curve id), unused otherwise. */
  execute(
    tx: Transaction,
    senderKey: string,
    txId: Bytes32 | undefined,
    ctx: ExecutionContext,
    events: VmEvent[],
  ): void {
    const op = tx.operation;
    switch (op.op) {
      case 'create_curve':
        this.createCurve(tx, op, txId!, ctx, events);
        return;
      case 'buy':
        this.buy(tx, op, senderKey, events);
        return;
      case 'sell':
        this.sell(tx, op, senderKey, events);
        return;
      case 'add_liquidity':
        this.addLiquidity(tx, op, senderKey, events);
        return;
      case 'migrate_to_amm':
        this.migrate(op, events);
        return;
      case 'remove_liquidity':
        this.removeLiquidity(tx, op, senderKey, events);
        return;
      case 'transfer':
        this.transfer(tx, op, senderKey, events);
        return;
      case 'claim':
        this.claim(tx, op, senderKey, ctx, events);
        return;
      case 'withdraw':
        this.withdraw(tx, op, senderKey, events);
        return;
      case 'deposit':
        this.deposit(op, senderKey, ctx, events);
        return;
    }
  }

  // ---------------------------------------------------------------- curves

  private createCurve(
    tx: Transaction,
    op: Extract<Operation, { op: 'create_curve' }>,
    txId: Bytes32,
    ctx: ExecutionContext,
    events: VmEvent[],
  ): void {
    const runtime = this.runtimes.validate(op.template);
    const key = keyOf(txId);
    if (this.s.curves.map.has(key)) fail('CURVE_EXISTS', `curve ${toHex(txId)} already exists`);
    const sealed = runtime.template.sealedBlocks;
    const record: CurveRecord = {
      id: txId,
      creator: tx.sender,
      templateHash: runtime.templateHash,
      createdHeight: ctx.height,
      createdAt: ctx.timestamp,
      phase: sealed > 0 ? 'sealed' : 'trading',
      state: initialCurveState(runtime.model),
      vault: 0n,
      creatorFees: 0n,
      protocolFees: 0n,
      claimedAllocation: 0n,
      escrowTotal: 0n,
      pool: null,
    };
    this.s.put(this.s.curves, key, record);
    this.s.put(this.s.templates, key, op.template);
    const sealedUntil = sealed > 0 ? ctx.height + BigInt(sealed) : null;
    if (sealedUntil !== null) this.s.put(this.s.sealedUntil, key, sealedUntil);
    events.push({
      type: 'curve_created',
      curve: txId,
      creator: tx.sender,
      templateHash: runtime.templateHash,
      sealedUntil,
    });
  }

  private buy(
    tx: Transaction,
    op: Extract<Operation, { op: 'buy' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const c = this.curve(op.curve);
    const venue = tradeVenue(c.record, 'buy');
    if (venue === 'escrow') {
      this.escrow(tx, op, c, senderKey, events);
      return;
    }
    if (venue === 'pool') {
      this.poolBuy(tx, op, c, senderKey, events);
      return;
    }
    const { record, runtime } = c;
    const model = runtime.model;
    const key = senderKey + c.key;
    const holding = this.holding(key);
    const cap = saleCap(runtime, record.state);
    const order = op.order;
    let quote: BuyQuote;
    if (order.kind === 'exact_tokens') {
      if (runtime.maxBuy !== null && holding.bought + order.tokens > runtime.maxBuy) {
        fail('MAX_BUY_EXCEEDED', `max_buy is ${runtime.maxBuy}; this wallet bought ${holding.bought}`);
      }
      if (order.tokens > cap && order.tokens <= runtime.sell - record.state.sold) {
        fail('EXCEEDS_FOR_SALE', `only ${cap} tokens may be bought before the migration threshold`);
      }
      quote = quoteBuyExact(model, record.state, order.tokens);
      if (quote.total > order.maxTotal) {
        fail(
          'SLIPPAGE_EXCEEDED',
          `the buy costs ${quote.total} lamports, more than max_total ${order.maxTotal}`,
        );
      }
    } else {
      quote = quoteBuyBudget(model, record.state, order.lamports);
      let limit = cap;
      if (runtime.maxBuy !== null) {
        const room = runtime.maxBuy - holding.bought;
        if (room <= 0n) fail('MAX_BUY_EXCEEDED', `this wallet already bought max_buy (${runtime.maxBuy})`);
        if (room < limit) limit = room;
      }
      // total is monotone in Δ: the largest Δ ≤ limit within the budget is min(Δ_budget, limit).
      if (quote.tokens > limit) quote = quoteBuyExact(model, record.state, limit);
      if (quote.tokens < order.minTokens) {
        fail('SLIPPAGE_EXCEEDED', `the budget buys ${quote.tokens} tokens, fewer than ${order.minTokens}`);
      }
    }
    const state = applyBuy(model, record.state, quote);
    const vault = u64(record.vault + quote.net, 'the vault');
    if (!reserveFloorHolds(runtime, state, vault))
      fail('RESERVE_FLOOR', 'the trade would break the reserve floor');
    this.debit(senderKey, quote.total);
    this.creditTokens(key, quote.tokens, quote.tokens);
    const next = this.withFee({ ...record, state, vault }, runtime, quote.fee);
    events.push({
      type: 'bought',
      curve: c.id,
      buyer: tx.sender,
      tokens: quote.tokens,
      net: quote.net,
      fee: quote.fee,
      total: quote.total,
    });
    this.s.put(this.s.curves, c.key, this.settlePhase(c, next, events));
  }

  /** A BUY in the sealed window: its bound moves to escrow, aggregated per buyer. */
  private escrow(
    tx: Transaction,
    op: Extract<Operation, { op: 'buy' }>,
    c: CurveRef,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const order = op.order;
    const bound = order.kind === 'exact_tokens' ? order.maxTotal : order.lamports;
    if (bound === 0n) fail('ZERO_AMOUNT', 'a sealed bid needs a positive lamport bound');
    if (order.kind === 'exact_tokens' && order.tokens === 0n) {
      fail('ZERO_AMOUNT', 'a buy needs a positive token amount');
    }
    this.debit(senderKey, bound);
    const key = escrowKey(c.key, senderKey);
    const previous = this.s.escrows.map.get(key);
    const asked =
      order.kind === 'budget' || (previous !== undefined && previous.asked === null)
        ? null
        : u64((previous?.asked ?? 0n) + order.tokens, 'the tokens asked');
    this.s.put(this.s.escrows, key, { bound: u64((previous?.bound ?? 0n) + bound, 'the bid'), asked });
    this.s.put(this.s.curves, c.key, {
      ...c.record,
      escrowTotal: u64(c.record.escrowTotal + bound, 'the escrow'),
    });
    events.push({ type: 'escrowed', curve: c.id, buyer: tx.sender, bound });
  }

  private sell(
    tx: Transaction,
    op: Extract<Operation, { op: 'sell' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const c = this.curve(op.curve);
    if (tradeVenue(c.record, 'sell') === 'pool') {
      this.poolSell(tx, op, c, senderKey, events);
      return;
    }
    const { record, runtime } = c;
    const key = senderKey + c.key;
    this.debitTokens(key, op.tokens);
    const quote = quoteSell(runtime.model, record.state, op.tokens);
    if (quote.out < op.minOut) {
      fail('SLIPPAGE_EXCEEDED', `the sell pays ${quote.out} lamports, less than min_out ${op.minOut}`);
    }
    const state = applySell(runtime.model, record.state, quote);
    if (quote.gross > record.vault) throw new Error('vault below the curve reserve');
    const vault = record.vault - quote.gross;
    if (!reserveFloorHolds(runtime, state, vault))
      fail('RESERVE_FLOOR', 'the trade would break the reserve floor');
    this.credit(senderKey, quote.out);
    this.s.put(this.s.curves, c.key, this.withFee({ ...record, state, vault }, runtime, quote.fee));
    events.push({
      type: 'sold',
      curve: c.id,
      seller: tx.sender,
      tokens: quote.tokens,
      gross: quote.gross,
      fee: quote.fee,
      out: quote.out,
    });
  }

  // ---------------------------------------------------------------- pool

  private pool(c: CurveRef): PoolRecord {
    return c.record.pool!;
  }

  private putPool(c: CurveRef, pool: PoolRecord): void {
    this.s.put(this.s.curves, c.key, { ...c.record, pool });
  }

  /** Budget: swaps the whole budget in; exact tokens: the exact-out swap. max_buy is the curve's. */
  private poolBuy(
    tx: Transaction,
    op: Extract<Operation, { op: 'buy' }>,
    c: CurveRef,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const pool = this.pool(c);
    const order = op.order;
    let q: SwapQuote;
    if (order.kind === 'exact_tokens') {
      q = swapOut(pool.x, pool.y, order.tokens, c.runtime.ammFeeBps);
      if (q.amountIn > order.maxTotal) {
        fail(
          'SLIPPAGE_EXCEEDED',
          `the swap costs ${q.amountIn} lamports, more than max_total ${order.maxTotal}`,
        );
      }
    } else {
      q = swapIn(pool.x, pool.y, order.lamports, c.runtime.ammFeeBps);
      if (q.amountOut < order.minTokens) {
        fail('SLIPPAGE_EXCEEDED', `the swap pays ${q.amountOut} tokens, fewer than ${order.minTokens}`);
      }
    }
    this.debit(senderKey, q.amountIn);
    this.creditTokens(senderKey + c.key, q.amountOut, 0n);
    this.putPool(c, { ...pool, x: pool.x + q.amountIn, y: pool.y - q.amountOut });
    events.push({ type: 'swapped', curve: c.id, trader: tx.sender, input: 'lamports', ...q });
  }

  private poolSell(
    tx: Transaction,
    op: Extract<Operation, { op: 'sell' }>,
    c: CurveRef,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const pool = this.pool(c);
    this.debitTokens(senderKey + c.key, op.tokens);
    const q = swapIn(pool.y, pool.x, op.tokens, c.runtime.ammFeeBps);
    if (q.amountOut < op.minOut) {
      fail('SLIPPAGE_EXCEEDED', `the swap pays ${q.amountOut} lamports, less than min_out ${op.minOut}`);
    }
    this.credit(senderKey, q.amountOut);
    this.putPool(c, { ...pool, x: pool.x - q.amountOut, y: u64(pool.y + op.tokens, 'the pool tokens') });
    events.push({ type: 'swapped', curve: c.id, trader: tx.sender, input: 'tokens', ...q });
  }

  private addLiquidity(
    tx: Transaction,
    op: Extract<Operation, { op: 'add_liquidity' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const c = this.curve(op.curve);
    const { record } = c;
    if (record.phase === 'sealed') {
      fail('SEALED_WINDOW', 'the vault is closed during the sealed launch window (clearing starts from it)');
    }
    if (record.phase !== 'migrated') {
      if (op.tokens !== 0n)
        fail('INVALID_AMOUNT', 'before migration liquidity is lamports only (tokens must be 0)');
      if (op.lamports === 0n) fail('ZERO_AMOUNT', 'add at least one lamport');
      if (op.minShares > 0n) fail('SLIPPAGE_EXCEEDED', 'lamports added before migration mint no LP shares');
      this.debit(senderKey, op.lamports);
      const next = { ...record, vault: u64(record.vault + op.lamports, 'the vault') };
      events.push({
        type: 'liquidity_added',
        curve: c.id,
        provider: tx.sender,
        lamports: op.lamports,
        tokens: 0n,
        shares: 0n,
      });
      this.s.put(this.s.curves, c.key, this.settlePhase(c, next, events));
      return;
    }
    const pool = this.pool(c);
    const d = addLiquidity(pool.x, pool.y, pool.shares, op.lamports, op.tokens);
    if (d.shares < op.minShares) {
      fail('SLIPPAGE_EXCEEDED', `the offer mints ${d.shares} LP shares, fewer than ${op.minShares}`);
    }
    this.debit(senderKey, d.lamports);
    this.debitTokens(senderKey + c.key, d.tokens);
    this.addShares(senderKey + c.key, d.shares);
    this.putPool(c, {
      ...pool,
      x: u64(pool.x + d.lamports, 'the pool quote'),
      y: u64(pool.y + d.tokens, 'the pool tokens'),
      shares: u64(pool.shares + d.shares, 'the LP supply'),
    });
    events.push({ type: 'liquidity_added', curve: c.id, provider: tx.sender, ...d });
  }

  private addShares(key: string, shares: bigint): void {
    const current = this.s.lp.map.get(key)?.shares ?? 0n;
    this.s.put(this.s.lp, key, { shares: u64(current + shares, 'the LP shares') });
  }

  private removeLiquidity(
    tx: Transaction,
    op: Extract<Operation, { op: 'remove_liquidity' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const c = this.curve(op.curve);
    if (c.record.phase !== 'migrated') fail('NOT_MIGRATED', 'the curve has no pool yet');
    const pool = this.pool(c);
    const key = senderKey + c.key;
    const held = this.s.lp.map.get(key)?.shares ?? 0n;
    if (op.shares > held)
      fail('INSUFFICIENT_SHARES', `needs ${op.shares} LP shares, the account holds ${held}`);
    const d = removeLiquidity(pool.x, pool.y, pool.shares, op.shares);
    if (d.lamports < op.minLamports || d.tokens < op.minTokens) {
      fail(
        'SLIPPAGE_EXCEEDED',
        `the shares redeem ${d.lamports} lamports and ${d.tokens} tokens, below the minimums`,
      );
    }
    if (held === op.shares) this.s.remove(this.s.lp, key);
    else this.s.put(this.s.lp, key, { shares: held - op.shares });
    this.credit(senderKey, d.lamports);
    this.creditTokens(key, d.tokens, 0n);
    this.putPool(c, {
      ...pool,
      x: pool.x - d.lamports,
      y: pool.y - d.tokens,
      shares: pool.shares - d.shares,
    });
    events.push({ type: 'liquidity_removed', curve: c.id, provider: tx.sender, ...d });
  }

  /** Anyone: x = vault − migration_fee, y = supply − sold − allocation, S = isqrt(x·y). */
  private migrate(op: Extract<Operation, { op: 'migrate_to_amm' }>, events: VmEvent[]): void {
    const c = this.curve(op.curve);
    const { record, runtime } = c;
    if (record.phase === 'migrated') fail('ALREADY_MIGRATED', 'the curve already trades on its pool');
    const m = runtime.migration;
    if (record.phase !== 'migration_pending' || !m) {
      fail('MIGRATION_NOT_REACHED', 'the curve has not reached its migration threshold');
    }
    const t = runtime.template;
    const x = record.vault - m.migrationFee;
    const y = t.supply - record.state.sold - t.creatorAllocation;
    const shares = x > 0n && y > 0n ? initialShares(x, y) : 0n;
    // The compiler proves these at the migration point; they are re-checked, never assumed.
    if (shares <= LOCKED_LP_SHARES) fail('ZERO_AMOUNT', 'the pool would be empty or mint ≤ 1000 LP shares');
    const free = shares - LOCKED_LP_SHARES;
    const toCreator = m.lp === 'creator' ? free : 0n;
    if (toCreator > 0n) this.addShares(keyOf(record.creator) + c.key, toCreator);
    this.s.put(this.s.curves, c.key, {
      ...record,
      phase: 'migrated',
      vault: 0n,
      protocolFees: u64(record.protocolFees + m.migrationFee, 'the protocol fees'),
      pool: { x, y, shares, burnedShares: free - toCreator },
    });
    events.push({
      type: 'migrated',
      curve: c.id,
      x,
      y,
      lpSupply: shares,
      migrationFee: m.migrationFee,
      creatorShares: toCreator,
      burnedShares: free - toCreator,
    });
  }

  // ---------------------------------------------------------------- system

  private transfer(
    tx: Transaction,
    op: Extract<Operation, { op: 'transfer' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    const toKey = keyOf(op.to);
    if (toKey === senderKey) fail('SELF_TRANSFER', 'a transfer to oneself does nothing');
    if (op.amount === 0n) fail('ZERO_AMOUNT', 'transfer a positive amount');
    let curve: Bytes32 | null = null;
    if (op.asset.kind === 'lamports') {
      this.debit(senderKey, op.amount);
      this.credit(toKey, op.amount);
    } else {
      const c = this.curve(op.asset.curve);
      curve = c.id;
      this.debitTokens(senderKey + c.key, op.amount);
      this.creditTokens(toKey + c.key, op.amount, 0n);
    }
    events.push({ type: 'transferred', from: tx.sender, to: op.to, curve, amount: op.amount });
  }

  /** The creator takes its fees and vested allocation; the protocol account its fees. */
  private claim(
    tx: Transaction,
    op: Extract<Operation, { op: 'claim' }>,
    senderKey: string,
    ctx: ExecutionContext,
    events: VmEvent[],
  ): void {
    const c = this.curve(op.curve);
    const { record, runtime } = c;
    const isCreator = keyOf(record.creator) === senderKey;
    const isProtocol = this.protocolKey === senderKey;
    if (!isCreator && !isProtocol)
      fail('NOT_CREATOR', 'only the creator (or the protocol account) may claim');
    const fees = (isCreator ? record.creatorFees : 0n) + (isProtocol ? record.protocolFees : 0n);
    let tokens = 0n;
    if (isCreator) {
      const vested = vestedAllocation(runtime.template, record.createdAt, ctx.timestamp);
      tokens = vested > record.claimedAllocation ? vested - record.claimedAllocation : 0n;
    }
    if (fees === 0n && tokens === 0n) fail('NOTHING_TO_CLAIM', 'no fees accrued and nothing newly vested');
    if (fees > 0n) this.credit(senderKey, fees);
    if (tokens > 0n) this.creditTokens(senderKey + c.key, tokens, 0n);
    this.s.put(this.s.curves, c.key, {
      ...record,
      creatorFees: isCreator ? 0n : record.creatorFees,
      protocolFees: isProtocol ? 0n : record.protocolFees,
      claimedAllocation: record.claimedAllocation + tokens,
    });
    events.push({ type: 'claimed', curve: c.id, claimant: tx.sender, fees, tokens });
  }

  private withdraw(
    tx: Transaction,
    op: Extract<Operation, { op: 'withdraw' }>,
    senderKey: string,
    events: VmEvent[],
  ): void {
    if (op.lamports === 0n) fail('ZERO_AMOUNT', 'withdraw a positive amount');
    const chain = this.chain();
    const index = chain.withdrawalCount;
    if (index >= WITHDRAWALS_CAPACITY) fail('WITHDRAWALS_FULL', 'the withdrawals tree is full');
    this.debit(senderKey, op.lamports);
    const pending: WithdrawalLeaf = { index, l1Recipient: op.l1Recipient, lamports: op.lamports };
    const leaf = withdrawalLeafHash(pending);
    this.pendingLeaves.push(pending);
    this.putChain({
      ...chain,
      withdrawalCount: index + 1n,
      totalWithdrawn: u64(chain.totalWithdrawn + op.lamports, 'the total withdrawn'),
    });
    events.push({
      type: 'withdrawn',
      index,
      leaf,
      sender: tx.sender,
      l1Recipient: op.l1Recipient,
      lamports: op.lamports,
    });
  }

  private deposit(
    op: Extract<Operation, { op: 'deposit' }>,
    senderKey: string,
    ctx: ExecutionContext,
    events: VmEvent[],
  ): void {
    if (!this.authorities.has(senderKey)) fail('UNAUTHORIZED', 'only a bridge authority may credit deposits');
    const seqKey = op.depositSeq.toString();
    if (this.s.deposits.map.has(seqKey))
      fail('DEPOSIT_REPLAYED', `deposit ${op.depositSeq} was already credited`);
    if (op.lamports === 0n) fail('ZERO_AMOUNT', 'a deposit credits a positive amount');
    const chain = this.chain();
    // Every lamport on L2 fits one u64 together, so no balance, vault, pool or escrow can ever
    // overflow (and a clearing, which runs outside any transaction, cannot fail on a credit).
    const circulating = this.s.configRecord.genesisLamports + chain.totalDeposited - chain.totalWithdrawn;
    u64(circulating + op.lamports, 'the lamports in circulation');
    this.credit(keyOf(op.recipient), op.lamports);
    this.s.put(this.s.deposits, seqKey, {
      recipient: op.recipient,
      lamports: op.lamports,
      height: ctx.height,
    });
    this.putChain({
      ...chain,
      totalDeposited: u64(chain.totalDeposited + op.lamports, 'the total deposited'),
    });
    events.push({
      type: 'deposited',
      depositSeq: op.depositSeq,
      recipient: op.recipient,
      lamports: op.lamports,
    });
  }

  // ---------------------------------------------------------------- sealed clearing

  /**
   * Clears every curve whose window ended before `height`, in curve id order, before the
   * block's transactions. Returns the clearing events.
   */
  clearDueWindows(height: bigint): VmEvent[] {
    const due: string[] = [];
    for (const [key, until] of this.s.sealedUntil.map) if (until < height) due.push(key);
    if (due.length === 0) return [];
    due.sort();
    const events: VmEvent[] = [];
    for (const key of due) this.clearWindow(key, events);
    return events;
  }

  private clearWindow(curveKey: string, events: VmEvent[]): void {
    const c = this.curve(bytesOfKey(curveKey));
    const { record, runtime } = c;
    const prefix = curveKey;
    const keys: string[] = [];
    for (const key of this.s.escrows.map.keys()) if (key.startsWith(prefix)) keys.push(key);
    keys.sort();
    const bids: SealedBid[] = [];
    for (const key of keys) {
      const e = this.s.escrows.map.get(key)!;
      const bought = this.holding(key.slice(prefix.length) + curveKey).bought;
      const room = runtime.maxBuy === null ? null : runtime.maxBuy > bought ? runtime.maxBuy - bought : 0n;
      bids.push({ bound: e.bound, asked: e.asked, room });
    }
    // A clearing that cannot complete (a stored value past u64, or the reserve floor broken)
    // refunds everyone instead: it runs outside any transaction, so it must not fail the block.
    // Both are unreachable for a template that passed its proof obligations.
    const mark = this.s.mark();
    let clearing: SealedClearing | null = null;
    let next: CurveRecord | null = null;
    try {
      clearing = clearSealed(runtime.model, record.state, bids, saleCap(runtime, record.state));
      next = this.applyClearing(c, keys, clearing);
      if (!reserveFloorHolds(runtime, next.state, next.vault)) next = null;
    } catch (e) {
      if (!isAssetL2Error(e)) throw e;
    }
    if (next === null || clearing === null) {
      this.s.rollback(mark);
      clearing = clearSealed(runtime.model, record.state, bids, 0n);
      next = this.applyClearing(c, keys, clearing);
    }
    const fills: ClearingFill[] = clearing.fills.map((f, i) => ({
      buyer: bytesOfKey(keys[i]!.slice(prefix.length)),
      bound: bids[i]!.bound,
      ...f,
    }));
    const cleared = clearing.buy?.tokens ?? 0n;
    events.push({
      type: 'sealed_cleared',
      curve: c.id,
      price: cleared > 0n ? { num: clearing.netStar, den: clearing.deltaStar } : { num: 0n, den: 1n },
      tokens: cleared,
      buyers: fills,
    });
    this.s.remove(this.s.sealedUntil, curveKey);
    this.s.put(this.s.curves, curveKey, this.settlePhase(c, next, events));
  }

  private applyClearing(c: CurveRef, keys: readonly string[], clearing: SealedClearing): CurveRecord {
    const { record, runtime } = c;
    let next: CurveRecord = { ...record, phase: 'trading', escrowTotal: 0n };
    clearing.fills.forEach((fill, i) => {
      const key = keys[i]!;
      const buyerKey = key.slice(c.key.length);
      this.s.remove(this.s.escrows, key);
      if (fill.refund > 0n) this.credit(buyerKey, fill.refund);
      if (fill.tokens > 0n) this.creditTokens(buyerKey + c.key, fill.tokens, fill.tokens);
      next = this.withFee(next, runtime, fill.fee);
    });
    if (clearing.buy) {
      next = {
        ...next,
        state: applyBuy(runtime.model, record.state, clearing.buy),
        vault: u64(record.vault + clearing.vaultIn, 'the vault'),
      };
    }
    this.s.put(this.s.curves, c.key, next);
    return next;
  }
}
