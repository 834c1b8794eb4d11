/**
 * Every API method's success path through the SDK client (RpcClient, SubscriptionClient,
 * sendAndConfirm), against a real ApiServer over HTTP and WebSocket on 127.0.0.1.
 */
import {
  addressOf,
  ConfirmationTimeoutError,
  decodeTransaction,
  encodeAddress,
  generateKeypair,
  RpcClient,
  RpcError,
  type RpcReceipt,
  SubscriptionClient,
  sendAndConfirm,
  signTransaction,
  TransactionFailedError,
  transactionId,
} from '@assetl2/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  LINE_SCRIPT,
  SEALED_SCRIPT,
  startHarness,
  startServer,
  templateOf,
} from './harness.ts';
import { SOL, VmTestBackend } from './vm-test-backend.ts';

function createdCurve(receipt: RpcReceipt): string {
  const event = receipt.events.find((e) => e.type === 'curve_created');
  if (event?.type !== 'curve_created') throw new Error('no curve_created event');
  return event.curve;
}

describe('SDK client against the ApiServer (VM test backend)', () => {
  let h: Harness;
  let curveId: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('getHealth, getLatestBlock (genesis), getBlock(0), getValidators', async () => {
    expect(await h.rpc.getHealth()).toEqual({ status: 'ok', chainId: 7, height: 0, devnet: true });
    const latest = await h.rpc.getLatestBlock();
    expect(latest).toMatchObject({ height: 0, proposer: null, transactionCount: 0, transactions: [] });
    expect(latest.stateRoot).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.rpc.getBlock(0)).toEqual(latest);
    const validators = await h.rpc.getValidators();
    expect(validators).toHaveLength(4);
    expect(validators[0]).toEqual({
      address: addressOf(h.backend.validatorKeys[0]!),
      index: 0,
      name: 'validator-0',
    });
  });

  it('getAccount: lamports as a bigint, nonce as a number, no tokens', async () => {
    const alice = h.backend.keypairs[0]!;
    expect(await h.rpc.getAccount(addressOf(alice))).toEqual({
      address: addressOf(alice),
      lamports: 1_000n * SOL,
      nonce: 0,
      tokens: {},
      lpShares: {},
    });
    // Bytes work as well as base58.
    expect((await h.rpc.getAccount(alice.publicKey)).lamports).toBe(1_000n * SOL);
  });

  it('sendAndConfirm (signature notification): CREATE_CURVE, then getCurve', async () => {
    const alice = h.backend.keypairs[0]!;
    const tx = h.tx(alice, { op: 'create_curve', template: templateOf(LINE_SCRIPT) });
    const receipt = await sendAndConfirm(tx, {
      rpc: h.rpc,
      subscriptions: h.subscriptions,
      timeoutMs: 5_000,
    });
    expect(receipt.status).toBe('ok');
    curveId = createdCurve(receipt);
    const curve = await h.rpc.getCurve(curveId);
    expect(curve).toMatchObject({
      id: curveId,
      creator: addressOf(alice),
      name: 'Test Line',
      symbol: 'TLIN',
      decimals: 6,
      shape: 'linear',
      phase: 'trading',
      createdHeight: 1,
      sealedUntil: null,
      supply: 1_000_000_000_000n,
      forSale: 800_000_000_000n,
      sold: 0n,
      vault: 0n,
      feeBps: 100,
      maxBuy: null,
      pool: null,
    });
    expect(curve.migration).toEqual({
      trigger: 'sold',
      threshold: 10_000_000_000n,
      ammFeeBps: 30,
      migrationFee: 0n,
      lp: 'burn',
    });
    expect(curve.templateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(curve.spotPrice.den > 0n).toBe(true);
  });

  it('quote (buyLamports, buyTokens), then a buy at the quoted price; getAccount shows the tokens', async () => {
    const bob = h.backend.keypairs[1]!;
    const byBudget = await h.rpc.quote(curveId, { buyLamports: SOL / 100n });
    expect(byBudget).toMatchObject({ curveId, side: 'buy', venue: 'curve' });
    expect(byBudget.tokens > 0n).toBe(true);
    expect(byBudget.lamports <= SOL / 100n).toBe(true);
    const exact = await h.rpc.quote(curveId, { buyTokens: byBudget.tokens });
    expect(exact.tokens).toBe(byBudget.tokens);
    expect(exact.lamports).toBe(byBudget.lamports);

    const tx = h.tx(bob, {
      op: 'buy',
      curve: h.backend.vm.audit().curves.values().next().value!.id,
      order: { kind: 'exact_tokens', tokens: exact.tokens, maxTotal: exact.lamports },
    });
    const receipt = await sendAndConfirm(tx, { rpc: h.rpc, subscriptions: h.subscriptions });
    expect(receipt.events).toEqual([
      {
        type: 'bought',
        curve: curveId,
        buyer: addressOf(bob),
        tokens: exact.tokens,
        net: exact.lamports - exact.fee,
        fee: exact.fee,
        total: exact.lamports,
      },
    ]);
    const account = await h.rpc.getAccount(addressOf(bob));
    expect(account.tokens).toEqual({ [curveId]: exact.tokens });
    expect(account.nonce).toBe(1);
    expect(account.lamports).toBe(1_000n * SOL - exact.lamports);

    const sell = await h.rpc.quote(curveId, { sellTokens: exact.tokens / 2n });
    expect(sell).toMatchObject({ side: 'sell', venue: 'curve', tokens: exact.tokens / 2n });
    expect(sell.lamports > 0n && sell.fee > 0n).toBe(true);
  });

  it('getTransactionStatus and getBlock show a committed transaction', async () => {
    const carol = h.backend.keypairs[2]!;
    const to = generateKeypair().publicKey;
    const tx = h.tx(carol, { op: 'transfer', to, asset: { kind: 'lamports' }, amount: 12_345n });
    const txId = await h.rpc.sendTransaction(tx);
    expect(txId).toBe(transactionId(tx));
    const status = await h.rpc.getTransactionStatus(txId);
    expect(status).toMatchObject({ txId, status: 'committed' });
    expect(status.receipt?.events).toEqual([
      { type: 'transferred', from: addressOf(carol), to: encodeAddress(to), curve: null, amount: 12_345n },
    ]);
    const block = await h.rpc.getBlock(status.height!);
    expect(block.transactions).toEqual([txId]);
    expect(block.transactionCount).toBe(1);
    expect(block.proposer).not.toBeNull();
    expect((await h.rpc.getLatestBlock()).height).toBe(status.height);
    expect((await h.rpc.getBlock(status.height! - 1)).hash).toBe(block.parentHash);
    expect(await h.rpc.getTransactionStatus(transactionId({ ...tx, signature: new Uint8Array(64) }))).toEqual(
      {
        txId: transactionId({ ...tx, signature: new Uint8Array(64) }),
        status: 'unknown',
      },
    );
  });

  it('requestAirdrop credits a fresh address (devnet)', async () => {
    const fresh = generateKeypair();
    const txId = await h.rpc.requestAirdrop(fresh.publicKey, 5n * SOL);
    expect((await h.rpc.getTransactionStatus(txId)).status).toBe('committed');
    expect(await h.rpc.getAccount(fresh.publicKey)).toMatchObject({ lamports: 5n * SOL, nonce: 0 });
  });

  it('sendAndConfirm by polling alone (no socket)', async () => {
    const dave = h.backend.keypairs[3]!;
    const tx = h.tx(dave, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 1n,
    });
    const receipt = await sendAndConfirm(tx, { rpc: h.rpc, pollIntervalMs: 20, timeoutMs: 5_000 });
    expect(receipt.status).toBe('ok');
  });

  it('sendAndConfirm rejects with TransactionFailedError (stable code) when execution fails', async () => {
    const erin = h.backend.keypairs[4]!;
    const curve = h.backend.vm.audit().curves.values().next().value!.id;
    const tx = h.tx(erin, { op: 'sell', curve, tokens: 1_000n, minOut: 0n });
    const failure = await sendAndConfirm(tx, { rpc: h.rpc, subscriptions: h.subscriptions }).catch((e) => e);
    expect(failure).toBeInstanceOf(TransactionFailedError);
    expect(failure).toMatchObject({ code: 'INSUFFICIENT_TOKENS', txId: transactionId(tx) });
    expect(failure.receipt.status).toBe('failed');
    expect((await h.rpc.getTransactionStatus(transactionId(tx))).status).toBe('failed');
  });

  it('sendAndConfirm rejects with RpcError when the node refuses the transaction', async () => {
    const erin = h.backend.keypairs[4]!;
    const tx = h.tx(
      erin,
      { op: 'transfer', to: generateKeypair().publicKey, asset: { kind: 'lamports' }, amount: 1n },
      5n,
    );
    const failure = await sendAndConfirm(tx, { rpc: h.rpc, subscriptions: h.subscriptions }).catch((e) => e);
    expect(failure).toBeInstanceOf(RpcError);
    expect(failure).toMatchObject({ rpcCode: -32002, code: 'TX_BAD_NONCE' });
  });

  it('RpcError carries the JSON-RPC code and the stable name', async () => {
    const missing = await h.rpc.getCurve(generateKeypair().publicKey).catch((e) => e);
    expect(missing).toBeInstanceOf(RpcError);
    expect(missing).toMatchObject({ rpcCode: -32003, code: 'UNKNOWN_CURVE', httpStatus: 200 });
    expect(await h.rpc.getBlock(10_000).catch((e) => e)).toMatchObject({
      rpcCode: -32003,
      code: 'BLOCK_NOT_FOUND',
    });
    expect(await h.rpc.quote(curveId, { sellTokens: 10n ** 15n }).catch((e) => e)).toMatchObject({
      rpcCode: -32004,
      code: 'EXCEEDS_SOLD',
    });
  });

  it('batch: one outcome per call, in order', async () => {
    const [health, bad, block] = await h.rpc.batch([
      { method: 'getHealth' },
      { method: 'getAccount', params: ['not-an-address'] },
      { method: 'getBlock', params: [0] },
    ]);
    expect(health).toMatchObject({ status: 'fulfilled', value: { status: 'ok' } });
    expect(bad?.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ rpcCode: -32602 });
    expect(block).toMatchObject({ status: 'fulfilled', value: { height: 0 } });
  });

  it('quotes follow the phase: sealed window, migration pending, then the pool', async () => {
    const [creator, buyer] = [h.backend.keypairs[5]!, h.backend.keypairs[6]!];
    const sealedReceipt = await sendAndConfirm(
      h.tx(creator, { op: 'create_curve', template: templateOf(SEALED_SCRIPT) }),
      { rpc: h.rpc, subscriptions: h.subscriptions },
    );
    const sealedId = createdCurve(sealedReceipt);
    expect((await h.rpc.quote(sealedId, { buyLamports: SOL })).venue).toBe('sealed');
    expect(await h.rpc.quote(sealedId, { sellTokens: 1n }).catch((e) => e)).toMatchObject({
      rpcCode: -32004,
      code: 'SEALED_WINDOW',
    });

    // The line curve migrates at 10,000 tokens sold: buy up to the threshold.
    const curve = h.backend.vm.audit().curves.values().next().value!.id;
    await sendAndConfirm(
      h.tx(buyer, { op: 'buy', curve, order: { kind: 'budget', lamports: 100n * SOL, minTokens: 0n } }),
      { rpc: h.rpc, subscriptions: h.subscriptions },
    );
    expect((await h.rpc.getCurve(curveId)).phase).toBe('migration_pending');
    expect(await h.rpc.quote(curveId, { buyTokens: 1n }).catch((e) => e)).toMatchObject({
      code: 'MIGRATION_PENDING',
    });
    await sendAndConfirm(h.tx(buyer, { op: 'migrate_to_amm', curve }), { rpc: h.rpc, pollIntervalMs: 10 });
    const migrated = await h.rpc.getCurve(curveId);
    expect(migrated.phase).toBe('migrated');
    expect(migrated.pool).not.toBeNull();
    expect(migrated.spotPrice.num * migrated.pool!.tokens).toBe(
      migrated.spotPrice.den * migrated.pool!.lamports,
    );
    const poolBuy = await h.rpc.quote(curveId, { buyLamports: SOL });
    expect(poolBuy).toMatchObject({ venue: 'pool', lamports: SOL });
    const poolSell = await h.rpc.quote(curveId, { sellTokens: 1_000_000n });
    expect(poolSell).toMatchObject({ venue: 'pool', side: 'sell', tokens: 1_000_000n });
  });

  it('requestAirdrop is an unknown method off devnets', async () => {
    const { server, address } = await startServer(new VmTestBackend({ devnet: false }));
    try {
      const rpc = new RpcClient(address.url);
      const e = await rpc.requestAirdrop(generateKeypair().publicKey, SOL).catch((x) => x);
      expect(e).toMatchObject({ rpcCode: -32601 });
      expect((await rpc.getHealth()).devnet).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('sendAndConfirm falls back to polling when the socket cannot be used', async () => {
    const broken = new SubscriptionClient('ws://127.0.0.1:1/ws');
    const key = h.backend.keypairs[7]!;
    const tx = h.tx(key, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 1n,
    });
    const receipt = await sendAndConfirm(tx, {
      rpc: h.rpc,
      subscriptions: broken,
      pollIntervalMs: 20,
      timeoutMs: 5_000,
    });
    expect(receipt.status).toBe('ok');
    broken.close();
  });

  it('sendAndConfirm times out with ConfirmationTimeoutError when the transaction stays pending', async () => {
    // Admits without ever committing.
    const backend = new VmTestBackend();
    backend.submit = async (bytes) => ({ txId: transactionId(decodeTransaction(bytes)) });
    backend.transactionStatus = () => ({ status: 'pending' });
    const { server, address } = await startServer(backend);
    const subscriptions = new SubscriptionClient(address.wsUrl);
    try {
      const key = backend.keypairs[0]!;
      const tx = signTransaction(
        {
          version: 1,
          chainId: backend.chainId,
          sender: key.publicKey,
          nonce: 0n,
          kind: 'fast',
          operation: {
            op: 'transfer',
            to: generateKeypair().publicKey,
            asset: { kind: 'lamports' },
            amount: 1n,
          },
        },
        key,
      );
      const started = performance.now();
      const e = await sendAndConfirm(tx, {
        rpc: new RpcClient(address.url),
        subscriptions,
        timeoutMs: 300,
        pollIntervalMs: 50,
      }).catch((x) => x);
      expect(e).toBeInstanceOf(ConfirmationTimeoutError);
      expect(e.txId).toBe(transactionId(tx));
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      subscriptions.close();
      await server.stop();
    }
  });
});
