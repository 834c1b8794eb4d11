import { describe, expect, it } from 'vitest';
import type { BackendListener, NodeBackend } from './backend.ts';
import { Metrics } from './metrics.ts';
import { type SocketLike, SubscriptionHub } from './subscriptions.ts';

function fakeBackend() {
  const listeners = new Set<BackendListener>();
  const backend = {
    subscribe: (l: BackendListener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    transactionStatus: () => ({ status: 'unknown' }),
  } as unknown as NodeBackend;
  return { backend, listeners };
}

const block = {
  height: 1n,
  hash: new Uint8Array(32),
  parentHash: new Uint8Array(32),
  timestamp: 1n,
  proposer: null,
  stateRoot: new Uint8Array(32),
  withdrawalsRoot: new Uint8Array(32),
  transactionIds: [],
};

describe('SubscriptionHub', () => {
  it('closes a socket that stopped reading (1008) and forgets its subscriptions', async () => {
    const { backend, listeners } = fakeBackend();
    const metrics = new Metrics();
    const hub = new SubscriptionHub({
      backend,
      metrics,
      maxSubscriptionsPerSocket: 8,
      maxBufferedBytes: 1000,
      onError: (e) => {
        throw e;
      },
    });
    hub.start();
    const sent: string[] = [];
    const closes: number[] = [];
    const socket: SocketLike & { bufferedAmount: number } = {
      readyState: 1,
      bufferedAmount: 0,
      send: (data) => sent.push(data),
      close: (code) => closes.push(code ?? 0),
    };
    const session = hub.addSession(socket, '127.0.0.1');
    const blockSubscribe = session.methods.get('blockSubscribe')!;
    const id = await blockSubscribe.run([], { backend, defer: () => {} });
    for (const l of listeners) l({ kind: 'block', block });
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!)).toMatchObject({
      jsonrpc: '2.0',
      method: 'blockNotification',
      params: { subscription: id, result: { height: 1 } },
    });
    socket.bufferedAmount = 5000;
    for (const l of listeners) l({ kind: 'block', block });
    expect(sent).toHaveLength(1);
    expect(closes).toEqual([1008]);
    expect(session.subs.size).toBe(0);
    expect(hub.sessionCount).toBe(0);
    hub.stop();
    expect(listeners.size).toBe(0);
  });
});
