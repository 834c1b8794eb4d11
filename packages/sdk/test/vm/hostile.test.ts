/**
 * Hostile inputs: each fails with its named error and leaves the state as it was (a failed
 * transaction: everything but the sender's nonce; an invalid block: everything, roots too).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { U64_MAX } from '../../src/curvescript/template.ts';
import { encodeTemplate } from '../../src/curvescript/template-codec.ts';
import type { ErrorCode } from '../../src/errors/index.ts';
import { generateKeypair, signTransaction } from '../../src/tx/index.ts';
import type { Bytes32, Operation, Transaction } from '../../src/tx/types.ts';
import { BlockInvalidError, CurveVM, checkConservation, computeUnits } from '../../src/vm/index.ts';
import { keyOf } from '../../src/vm/keys.ts';
import {
  address,
  BRIDGE,
  CHAIN_ID,
  compileExample,
  compileSource,
  curveIdOf,
  genesisOf,
  hex,
  PROTOCOL,
  SOL,
  TestChain,
  thrown,
  unsignedTx,
} from './helpers.ts';
import { TEST_SCRIPTS } from './templates.ts';

const [creator, alice, bob, mallory] = [address(0), address(1), address(2), address(3)];
const RICH = U64_MAX / 4n;

/** Everything observable: every record reference, the roots, the clock. */
function fingerprint(vm: CurveVM): unknown {
  const view = vm.audit();
  return {
    // Maps compare by entries, whatever their insertion order.
    maps: [view.accounts, view.holdings, view.curves, view.lp, view.escrows, view.deposits].map(
      (m: ReadonlyMap<string, unknown>) => new Map(m),
    ),
    chain: view.chain,
    stateRoot: hex(vm.stateRoot()),
    withdrawalsRoot: hex(vm.withdrawalsRoot()),
  };
}

/** Runs one operation; expects it to fail with `code` and to change nothing but the nonce. */
function expectFailure(chain: TestChain, sender: Bytes32, op: Operation, code: ErrorCode): void {
  const vm = chain.vm;
  const before = vm.audit();
  const tablesOf = (v: typeof before): ReadonlyMap<string, unknown>[] => [
    v.holdings,
    v.curves,
    v.lp,
    v.escrows,
    v.deposits,
  ];
  const maps = tablesOf(before).map((m) => new Map(m));
  const accounts = new Map(before.accounts);
  const receipt = chain.run(sender, op);
  expect({ status: receipt.status, error: receipt.error }).toEqual({ status: 'failed', error: code });
  expect(receipt.events).toEqual([]);
  const after = vm.audit();
  tablesOf(after).forEach((m, i) => {
    expect(new Map(m)).toEqual(maps[i]);
    for (const [k, v] of maps[i]!) expect(m.get(k)).toBe(v);
  });
  for (const [k, v] of accounts) {
    if (k === keyOf(sender)) expect(after.accounts.get(k)).toEqual({ ...v, nonce: v.nonce + 1n });
    else expect(after.accounts.get(k)).toBe(v);
  }
  expect(checkConservation(vm).violations).toEqual([]);
}

function expectInvalid(
  vm: CurveVM,
  block: Parameters<CurveVM['applyBlock']>[0],
  reason: ErrorCode,
  index: number | null,
  verifySignatures = false,
): void {
  const before = fingerprint(vm);
  const e = thrown(() => vm.applyBlock(block, { verifySignatures }));
  expect(e).toBeInstanceOf(BlockInvalidError);
  expect(e).toMatchObject({ code: 'BLOCK_INVALID', reason, txIndex: index });
  expect(fingerprint(vm)).toEqual(before);
}

describe('failing transactions', () => {
  let chain: TestChain;
  let curve: Bytes32;
  beforeEach(() => {
    chain = new TestChain(
      genesisOf([
        [creator, 10n * SOL],
        [alice, 1_000n * SOL],
        [bob, 10n * SOL],
        [mallory, RICH],
      ]),
    );
    curve = curveIdOf(
      chain.block([[creator, { op: 'create_curve', template: compileExample('pump').bytes }]]),
    );
    chain.run(alice, { op: 'buy', curve, order: { kind: 'budget', lamports: 5n * SOL, minTokens: 0n } });
  });

  it('u64 edges: amounts at 2^64−1 fail by name, sums never wrap', () => {
    expectFailure(
      chain,
      bob,
      { op: 'transfer', to: alice, asset: { kind: 'lamports' }, amount: U64_MAX },
      'INSUFFICIENT_LAMPORTS',
    );
    expectFailure(chain, bob, { op: 'sell', curve, tokens: U64_MAX, minOut: 0n }, 'INSUFFICIENT_TOKENS');
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: U64_MAX, maxTotal: U64_MAX } },
      'EXCEEDS_FOR_SALE',
    );
    // Budget of 2^64−1: the largest buy within it is everything left, which costs more than Bob has.
    expectFailure(
      chain,
      bob,
      { op: 'buy', curve, order: { kind: 'budget', lamports: U64_MAX, minTokens: 0n } },
      'INSUFFICIENT_LAMPORTS',
    );
    // A deposit that would put more than 2^64−1 lamports on L2 (Mallory holds ~2^62).
    expectFailure(
      chain,
      BRIDGE,
      { op: 'deposit', depositSeq: 0n, recipient: mallory, lamports: U64_MAX - RICH },
      'U64_OVERFLOW',
    );
    expectFailure(
      chain,
      bob,
      { op: 'withdraw', l1Recipient: bob, lamports: U64_MAX },
      'INSUFFICIENT_LAMPORTS',
    );
    expectFailure(
      chain,
      bob,
      { op: 'add_liquidity', curve, lamports: U64_MAX, tokens: 0n, minShares: 0n },
      'INSUFFICIENT_LAMPORTS',
    );
  });

  it('selling more than held, buying past the end, zero amounts, unknown curves', () => {
    const held = chain.vm.holding(alice, curve).amount;
    expectFailure(chain, alice, { op: 'sell', curve, tokens: held + 1n, minOut: 0n }, 'INSUFFICIENT_TOKENS');
    expectFailure(chain, alice, { op: 'sell', curve, tokens: 0n, minOut: 0n }, 'ZERO_AMOUNT');
    const left = 793_100_000_000_000n - chain.vm.curve(curve)!.state.sold;
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: left + 1n, maxTotal: U64_MAX } },
      'EXCEEDS_FOR_SALE',
    );
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve, order: { kind: 'budget', lamports: 0n, minTokens: 0n } },
      'ZERO_AMOUNT',
    );
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve, order: { kind: 'budget', lamports: 1n, minTokens: 0n } },
      'ZERO_AMOUNT',
    );
    const ghost = new Uint8Array(32).fill(9);
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve: ghost, order: { kind: 'budget', lamports: SOL, minTokens: 0n } },
      'UNKNOWN_CURVE',
    );
    expectFailure(
      chain,
      alice,
      { op: 'transfer', to: bob, asset: { kind: 'token', curve: ghost }, amount: 1n },
      'UNKNOWN_CURVE',
    );
    expectFailure(
      chain,
      alice,
      { op: 'transfer', to: alice, asset: { kind: 'lamports' }, amount: 1n },
      'SELF_TRANSFER',
    );
    expectFailure(chain, alice, { op: 'withdraw', l1Recipient: alice, lamports: 0n }, 'ZERO_AMOUNT');
  });

  it('slippage guards on buys and sells', () => {
    expectFailure(
      chain,
      bob,
      { op: 'buy', curve, order: { kind: 'exact_tokens', tokens: 1_000_000_000_000n, maxTotal: 1n } },
      'SLIPPAGE_EXCEEDED',
    );
    expectFailure(
      chain,
      bob,
      { op: 'buy', curve, order: { kind: 'budget', lamports: SOL, minTokens: 10n ** 15n } },
      'SLIPPAGE_EXCEEDED',
    );
    expectFailure(chain, alice, { op: 'sell', curve, tokens: 1_000_000n, minOut: SOL }, 'SLIPPAGE_EXCEEDED');
  });

  it('trading between the threshold and MIGRATE_TO_AMM fails MIGRATION_PENDING', () => {
    expectFailure(chain, bob, { op: 'migrate_to_amm', curve }, 'MIGRATION_NOT_REACHED');
    expectFailure(
      chain,
      bob,
      { op: 'remove_liquidity', curve, shares: 1n, minLamports: 0n, minTokens: 0n },
      'NOT_MIGRATED',
    );
    // Buy everything that is left: the buy that reaches `sold N` completes, exactly at N.
    const r = chain.run(alice, {
      op: 'buy',
      curve,
      order: { kind: 'budget', lamports: 500n * SOL, minTokens: 0n },
    });
    expect(r.events.map((e) => e.type)).toEqual(['bought', 'migration_reached']);
    expect(chain.vm.curve(curve)!.state.sold).toBe(793_100_000_000_000n);
    expectFailure(
      chain,
      bob,
      { op: 'buy', curve, order: { kind: 'budget', lamports: SOL, minTokens: 0n } },
      'MIGRATION_PENDING',
    );
    expectFailure(chain, alice, { op: 'sell', curve, tokens: 1n, minOut: 0n }, 'MIGRATION_PENDING');
    expect(chain.run(bob, { op: 'migrate_to_amm', curve }).status).toBe('ok');
    expectFailure(chain, bob, { op: 'migrate_to_amm', curve }, 'ALREADY_MIGRATED');
  });

  it('deposits: only bridge authorities, each sequence number once', () => {
    expectFailure(
      chain,
      mallory,
      { op: 'deposit', depositSeq: 1n, recipient: mallory, lamports: SOL },
      'UNAUTHORIZED',
    );
    expect(chain.run(BRIDGE, { op: 'deposit', depositSeq: 1n, recipient: bob, lamports: SOL }).status).toBe(
      'ok',
    );
    expect(chain.vm.account(bob).lamports).toBe(11n * SOL);
    expectFailure(
      chain,
      BRIDGE,
      { op: 'deposit', depositSeq: 1n, recipient: bob, lamports: SOL },
      'DEPOSIT_REPLAYED',
    );
    expect(chain.vm.depositApplied(1n)).toBe(true);
  });

  it('claims: creator (or protocol) only, nothing twice', () => {
    expectFailure(chain, mallory, { op: 'claim', curve }, 'NOT_CREATOR');
    // pump.curve has no fee_split and no allocation: every fee is the protocol's.
    expectFailure(chain, creator, { op: 'claim', curve }, 'NOTHING_TO_CLAIM');
    const fees = chain.vm.curve(curve)!.protocolFees;
    expect(fees).toBeGreaterThan(0n);
    const claimed = chain.run(PROTOCOL, { op: 'claim', curve });
    expect(claimed.events[0]).toMatchObject({ type: 'claimed', fees, tokens: 0n });
    expect(chain.vm.account(PROTOCOL).lamports).toBe(fees);
    expectFailure(chain, PROTOCOL, { op: 'claim', curve }, 'NOTHING_TO_CLAIM');
  });

  it('templates: bad bytes, invalid structure and failed proof obligations are rejected by code', () => {
    const { template } = compileSource(TEST_SCRIPTS.tinyCp!);
    expectFailure(
      chain,
      bob,
      { op: 'create_curve', template: new Uint8Array([1, 2, 3]) },
      'TEMPLATE_BAD_MAGIC',
    );
    const bytes = encodeTemplate(template);
    expectFailure(
      chain,
      bob,
      { op: 'create_curve', template: bytes.subarray(0, bytes.length - 3) },
      'TEMPLATE_MALFORMED',
    );
    expectFailure(
      chain,
      bob,
      { op: 'create_curve', template: new Uint8Array([...bytes, 0]) },
      'TEMPLATE_TRAILING_BYTES',
    );
    expectFailure(
      chain,
      bob,
      { op: 'create_curve', template: encodeTemplate({ ...template, feeBps: 5_000 }) },
      'TEMPLATE_INVALID',
    );
    // Structurally fine, but a 90% reserve floor cannot hold on a constant-product curve.
    expectFailure(
      chain,
      bob,
      { op: 'create_curve', template: encodeTemplate({ ...template, reserveFloorBps: 9_000 }) },
      'PROOF_FAILED',
    );
    // Migration that leaves no tokens for the pool: supply − sell − allocation = 0.
    expectFailure(
      chain,
      bob,
      {
        op: 'create_curve',
        template: encodeTemplate({
          ...template,
          supply: 800_000_000_000n + 50_000_000_000n,
          creatorAllocation: 50_000_000_000n,
        }),
      },
      'PROOF_FAILED',
    );
  });

  it('max_buy: an exact buy past the cap fails, a budget buy is clipped to it', () => {
    const { bytes } = compileSource(TEST_SCRIPTS.tinyCp!);
    const capped = curveIdOf(chain.block([[creator, { op: 'create_curve', template: bytes }]]));
    chain.advanceTo(chain.vm.height + 3n);
    const cap = 300_000_000_000n;
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve: capped, order: { kind: 'exact_tokens', tokens: cap + 1n, maxTotal: U64_MAX } },
      'MAX_BUY_EXCEEDED',
    );
    const r = chain.run(alice, {
      op: 'buy',
      curve: capped,
      order: { kind: 'budget', lamports: 900n * SOL, minTokens: 0n },
    });
    expect(r.events[0]).toMatchObject({ type: 'bought', tokens: cap });
    expectFailure(
      chain,
      alice,
      { op: 'buy', curve: capped, order: { kind: 'budget', lamports: SOL, minTokens: 0n } },
      'MAX_BUY_EXCEEDED',
    );
  });
});

describe('invalid blocks', () => {
  function setup(): { vm: CurveVM; chainTxs: (ops: [Bytes32, bigint, Operation][]) => Transaction[] } {
    const vm = new CurveVM(
      genesisOf(
        [
          [alice, 10n * SOL],
          [bob, 10n * SOL],
        ],
        50_000,
      ),
    );
    vm.applyBlock(
      {
        height: 1n,
        timestamp: 1_000n,
        transactions: [
          unsignedTx(alice, 0n, { op: 'transfer', to: bob, asset: { kind: 'lamports' }, amount: SOL }),
        ],
      },
      { verifySignatures: false },
    );
    return { vm, chainTxs: (ops) => ops.map(([s, n, op]) => unsignedTx(s, n, op)) };
  }
  const pay: Operation = { op: 'transfer', to: bob, asset: { kind: 'lamports' }, amount: 1n };

  it('a replayed or skipped nonce invalidates the block (TX_BAD_NONCE) and restores everything', () => {
    const { vm, chainTxs } = setup();
    expectInvalid(
      vm,
      { height: 2n, timestamp: 2_000n, transactions: chainTxs([[alice, 0n, pay]]) },
      'TX_BAD_NONCE',
      0,
    );
    expectInvalid(
      vm,
      {
        height: 2n,
        timestamp: 2_000n,
        transactions: chainTxs([
          [alice, 1n, pay],
          [bob, 0n, pay],
          [alice, 1n, pay],
        ]),
      },
      'TX_BAD_NONCE',
      2,
    );
    expectInvalid(
      vm,
      { height: 2n, timestamp: 2_000n, transactions: chainTxs([[alice, 5n, pay]]) },
      'TX_BAD_NONCE',
      0,
    );
    expect(
      vm.applyBlock(
        { height: 2n, timestamp: 2_000n, transactions: chainTxs([[alice, 1n, pay]]) },
        { verifySignatures: false },
      ).receipts[0]!.status,
    ).toBe('ok');
  });

  it('a wrong chain id invalidates the block (TX_WRONG_CHAIN)', () => {
    const { vm } = setup();
    const tx = { ...unsignedTx(alice, 1n, pay), chainId: CHAIN_ID + 1 };
    expectInvalid(
      vm,
      { height: 2n, timestamp: 2_000n, transactions: [unsignedTx(bob, 0n, pay), tx] },
      'TX_WRONG_CHAIN',
      1,
    );
  });

  it('a bad signature invalidates the block (TX_BAD_SIGNATURE); good ones pass', () => {
    const keys = generateKeypair();
    const other = generateKeypair();
    const vm = new CurveVM(genesisOf([[keys.publicKey, 10n * SOL]]));
    const signed = signTransaction(
      { version: 1, chainId: CHAIN_ID, sender: keys.publicKey, nonce: 0n, kind: 'fast', operation: pay },
      keys,
    );
    const forged = { ...signed, operation: { ...pay, amount: 2n } } as Transaction;
    expectInvalid(vm, { height: 1n, timestamp: 1n, transactions: [forged] }, 'TX_BAD_SIGNATURE', 0, true);
    const wrongKey = {
      ...signed,
      signature: signTransaction({ ...signed, sender: other.publicKey }, other).signature,
    };
    expectInvalid(vm, { height: 1n, timestamp: 1n, transactions: [wrongKey] }, 'TX_BAD_SIGNATURE', 0, true);
    const r = vm.applyBlock(
      { height: 1n, timestamp: 1n, transactions: [signed] },
      { verifySignatures: true },
    );
    expect(r.receipts[0]!.status).toBe('ok');
  });

  it('a block over the compute limit is invalid (COMPUTE_LIMIT) at the transaction that crosses it', () => {
    const { vm, chainTxs } = setup();
    const units = computeUnits(unsignedTx(alice, 1n, pay));
    const fits = Math.floor(50_000 / units);
    const ops = Array.from(
      { length: fits + 1 },
      (_, i) => [alice, BigInt(i + 1), pay] as [Bytes32, bigint, Operation],
    );
    expectInvalid(vm, { height: 2n, timestamp: 2_000n, transactions: chainTxs(ops) }, 'COMPUTE_LIMIT', fits);
    const ok = vm.applyBlock(
      { height: 2n, timestamp: 2_000n, transactions: chainTxs(ops.slice(0, fits)) },
      { verifySignatures: false },
    );
    expect(ok.computeUsed).toBe(units * fits);
  });

  it('malformed values, bad heights and timestamps are rejected before anything runs', () => {
    const { vm } = setup();
    const overflow = unsignedTx(alice, 1n, { ...pay, amount: U64_MAX + 1n } as Operation);
    expectInvalid(vm, { height: 2n, timestamp: 2_000n, transactions: [overflow] }, 'TX_MALFORMED', 0);
    expectInvalid(
      vm,
      { height: 2n, timestamp: 2_000n, transactions: [{ ...unsignedTx(alice, 1n, pay), version: 2 }] },
      'TX_BAD_VERSION',
      0,
    );
    expectInvalid(vm, { height: 3n, timestamp: 2_000n, transactions: [] }, 'BLOCK_INVALID', null);
    expectInvalid(vm, { height: 2n, timestamp: 999n, transactions: [] }, 'BLOCK_INVALID', null);
  });

  it('a block failing late undoes its earlier transactions, clearings and withdrawals', () => {
    const chain = new TestChain(
      genesisOf([
        [creator, 10n * SOL],
        [alice, 100n * SOL],
      ]),
    );
    const curve = curveIdOf(
      chain.block([[creator, { op: 'create_curve', template: compileSource(TEST_SCRIPTS.tinyCp!).bytes }]]),
    );
    chain.run(alice, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL, minTokens: 0n } });
    chain.block();
    // The next block clears the window first; then a withdrawal; then a bad nonce.
    const vm = chain.vm;
    const txs = [
      unsignedTx(alice, 1n, { op: 'withdraw', l1Recipient: alice, lamports: SOL }),
      unsignedTx(creator, 7n, pay),
    ];
    expectInvalid(
      vm,
      { height: vm.height + 1n, timestamp: chain.timestamp + 250n, transactions: txs },
      'TX_BAD_NONCE',
      1,
    );
    expect(vm.curve(curve)!.phase).toBe('sealed');
    expect(vm.escrow(curve, alice)).toEqual({ bound: SOL, asked: null });
    const r = vm.applyBlock(
      { height: vm.height + 1n, timestamp: chain.timestamp + 250n, transactions: txs.slice(0, 1) },
      { verifySignatures: false },
    );
    expect(r.events.map((e) => e.type)).toEqual(['sealed_cleared']);
    expect(vm.curve(curve)!.phase).toBe('trading');
    expect(checkConservation(vm).violations).toEqual([]);
  });
});
