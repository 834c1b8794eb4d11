/**
 * WebSocket subscriptions end to end: block, curve and signature notifications (raw frames and
 * through SubscriptionClient), unsubscribing, signature subscriptions that fire once and end,
 * and ones made after the transaction was already final.
 */
import {
  addressOf,
  generateKeypair,
  type RpcBlock,
  type RpcCurveUpdate,
  sendAndConfirm,
  transactionId,
} from '@assetl2/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, LINE_SCRIPT, RawSocket, SEALED_SCRIPT, startHarness, templateOf } from './harness.ts';

type Notification = {
  jsonrpc: string;
  method: string;
  params: { subscription: number; result: Record<string, unknown> };
};

const isNotification = (method: string, subscription: number) => (m: unknown) =>
  (m as Notification).method === method && (m as Notification).params?.subscription === subscription;

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('WebSocket subscriptions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const transferTx = (keyIndex: number) =>
    h.tx(h.backend.keypairs[keyIndex]!, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 10n,
    });

  it('blockSubscribe: a blockNotification per block, in the JSON-RPC notification shape; unsubscribe stops them', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    try {
      const subscribed = await ws.request(1, 'blockSubscribe', []);
      const id = subscribed.result as number;
      expect(id).toBeTypeOf('number');
      const txId = await h.rpc.sendTransaction(transferTx(0));
      const height = Number(h.backend.vm.height);
      const notification = (await ws.next(isNotification('blockNotification', id))) as Notification;
      expect(notification.jsonrpc).toBe('2.0');
      expect(Object.keys(notification).sort()).toEqual(['jsonrpc', 'method', 'params']);
      expect(notification.params.result).toMatchObject({ height, transactions: [txId], transactionCount: 1 });
      expect(notification.params.result.hash).toMatch(/^[0-9a-f]{64}$/);

      expect((await ws.request(2, 'blockUnsubscribe', [id])).result).toBe(true);
      expect((await ws.request(3, 'blockUnsubscribe', [id])).result).toBe(false);
      const before = ws.messages.length;
      await h.rpc.sendTransaction(transferTx(0));
      await ws.request(4, 'getHealth');
      expect(ws.messages.slice(before).filter((m) => (m as Notification).method)).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('SubscriptionClient.onBlock and onCurve (one curve, and all curves)', async () => {
    const blocks: RpcBlock[] = [];
    const all: RpcCurveUpdate[] = [];
    const blockSub = await h.subscriptions.onBlock((b) => blocks.push(b));
    const allSub = await h.subscriptions.onCurve(null, (u) => all.push(u));

    const creator = h.backend.keypairs[1]!;
    const created = await sendAndConfirm(
      h.tx(creator, { op: 'create_curve', template: templateOf(LINE_SCRIPT) }),
      {
        rpc: h.rpc,
        subscriptions: h.subscriptions,
      },
    );
    const event = created.events[0]!;
    if (event.type !== 'curve_created') throw new Error('no curve');
    const curveId = event.curve;
    const other = await sendAndConfirm(
      h.tx(creator, { op: 'create_curve', template: templateOf(SEALED_SCRIPT) }),
      { rpc: h.rpc, subscriptions: h.subscriptions },
    );
    const otherId = (other.events[0] as { curve: string }).curve;

    const mine: RpcCurveUpdate[] = [];
    const mineSub = await h.subscriptions.onCurve(curveId, (u) => mine.push(u));
    const buyer = h.backend.keypairs[2]!;
    const curveBytes = [...h.backend.vm.audit().curves.values()].find((c) => addressOf(c.id) === curveId)!.id;
    const otherBytes = [...h.backend.vm.audit().curves.values()].find((c) => addressOf(c.id) === otherId)!.id;
    await h.rpc.sendTransaction(
      h.tx(buyer, {
        op: 'buy',
        curve: curveBytes,
        order: { kind: 'budget', lamports: 1_000_000n, minTokens: 0n },
      }),
    );
    await h.rpc.sendTransaction(
      h.tx(buyer, {
        op: 'buy',
        curve: otherBytes,
        order: { kind: 'budget', lamports: 1_000_000n, minTokens: 0n },
      }),
    );
    await until(() => mine.length >= 1 && all.filter((u) => u.curve.id === otherId).length >= 2);

    expect(mine).toHaveLength(1);
    expect(mine[0]!.curve.id).toBe(curveId);
    expect(mine[0]!.curve.sold > 0n).toBe(true);
    expect(mine[0]!.events).toEqual([
      expect.objectContaining({
        type: 'bought',
        curve: curveId,
        buyer: addressOf(buyer),
        tokens: mine[0]!.curve.sold,
      }),
    ]);
    expect(all.map((u) => [u.curve.id, u.events.map((e) => e.type)])).toEqual([
      [curveId, ['curve_created']],
      [otherId, ['curve_created']],
      [curveId, ['bought']],
      [otherId, ['escrowed']],
    ]);
    expect(typeof mine[0]!.curve.vault).toBe('bigint');
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.map((b) => b.height)).toEqual([...blocks.keys()].map((i) => blocks[0]!.height + i));

    expect(await blockSub.unsubscribe()).toBe(true);
    expect(await allSub.unsubscribe()).toBe(true);
    expect(await mineSub.unsubscribe()).toBe(true);
  });

  it('signatureSubscribe before the commit: one notification, then the subscription is gone', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    try {
      const tx = transferTx(3);
      const txId = transactionId(tx);
      const id = (await ws.request(1, 'signatureSubscribe', [txId])).result as number;
      await h.rpc.sendTransaction(tx);
      const notification = (await ws.next(isNotification('signatureNotification', id))) as Notification;
      expect(notification.params.result).toMatchObject({
        txId,
        status: 'committed',
        receipt: { status: 'ok' },
      });
      // Auto-unsubscribed: nothing left to remove.
      expect((await ws.request(2, 'signatureUnsubscribe', [id])).result).toBe(false);
      expect(ws.messages.filter(isNotification('signatureNotification', id))).toHaveLength(1);
    } finally {
      ws.close();
    }
  });

  it('signatureSubscribe after the commit is answered at once, after the subscribe response', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    try {
      const txId = await h.rpc.sendTransaction(transferTx(4));
      ws.send({ jsonrpc: '2.0', id: 1, method: 'signatureSubscribe', params: [txId] });
      const notification = (await ws.next(
        (m) => (m as Notification).method === 'signatureNotification',
      )) as Notification;
      const responseIndex = ws.messages.findIndex((m) => (m as { id?: number }).id === 1);
      expect(responseIndex).toBeGreaterThanOrEqual(0);
      expect(ws.messages.indexOf(notification)).toBeGreaterThan(responseIndex);
      expect(notification.params.subscription).toBe(
        (ws.messages[responseIndex] as { result: number }).result,
      );
      expect(notification.params.result).toMatchObject({ txId, status: 'committed' });
    } finally {
      ws.close();
    }
  });

  it('SubscriptionClient.onSignature resolves with the final status (committed or failed)', async () => {
    const tx = transferTx(5);
    const waiting = h.subscriptions.onSignature(transactionId(tx), { timeoutMs: 5_000 });
    await h.rpc.sendTransaction(tx);
    expect(await waiting).toMatchObject({ status: 'committed', receipt: { status: 'ok' } });

    const key = h.backend.keypairs[5]!;
    const failing = h.tx(key, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 10n ** 18n,
    });
    const failed = h.subscriptions.onSignature(transactionId(failing), { timeoutMs: 5_000 });
    await h.rpc.sendTransaction(failing);
    expect(await failed).toMatchObject({
      status: 'failed',
      receipt: { status: 'failed', error: 'INSUFFICIENT_LAMPORTS' },
    });

    await expect(
      h.subscriptions.onSignature(transactionId(transferTx(6)), { timeoutMs: 50 }),
    ).rejects.toThrow(/no notification/);
  });

  it('closing a socket drops its subscriptions on the server', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    await ws.request(1, 'blockSubscribe');
    await ws.request(2, 'curveSubscribe');
    const gauge = async () => (await h.metrics.wsSubscriptions.get()).values.reduce((a, v) => a + v.value, 0);
    const before = await gauge();
    ws.close();
    await ws.closed;
    for (let i = 0; i < 100 && (await gauge()) !== before - 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await gauge()).toBe(before - 2);
  });
});
