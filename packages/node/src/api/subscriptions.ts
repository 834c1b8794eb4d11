/**
 * WebSocket subscriptions: the hub listens to the backend once and fans its events out to the
 * sessions that asked. A notification's result is built and serialized once per event, not
 * per subscriber; only the subscription id differs. Signature subscriptions fire once, when
 * the transaction is final, and then end by themselves; one made after the transaction became
 * final is answered at once (after the subscribe response), which is what lets a client
 * subscribe after sending without a race.
 *
 * Slow consumers: a session whose socket buffers more than `maxBufferedBytes` is closed
 * (1008), so a reader that stopped reading cannot hold the node's memory.
 */
import { encodeAddress, RPC_CODES } from '@assetl2/sdk';
import { z } from 'zod';
import type { BackendEvent, NodeBackend, TransactionStatusInfo } from './backend.ts';
import { failures } from './errors.ts';
import { defineMethod, type MethodSpec } from './methods.ts';
import type { Metrics } from './metrics.ts';
import { address, txId } from './schemas.ts';
import { blockView, curveUpdateView, transactionStatusView } from './views.ts';

export type SubscriptionKind = 'block' | 'curve' | 'signature';

/** What a session needs of its socket (the `ws` WebSocket has it). */
export interface SocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

interface Sub {
  readonly id: number;
  readonly kind: SubscriptionKind;
  readonly session: Session;
  /** curve: the curve id (base58) or null for all; signature: the txId. */
  readonly key: string | null;
}

const OPEN = 1;

export class Session {
  readonly subs = new Map<number, Sub>();
  readonly methods: ReadonlyMap<string, MethodSpec>;
  closed = false;

  constructor(
    readonly socket: SocketLike,
    readonly ip: string,
    private readonly hub: SubscriptionHub,
  ) {
    this.methods = hub.sessionMethods(this);
  }

  send(text: string): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.hub.maxBufferedBytes) {
      this.socket.close(1008, 'subscriber too slow');
      this.hub.removeSession(this);
      return;
    }
    this.socket.send(text);
  }

  notify(kind: SubscriptionKind, id: number, resultJson: string): void {
    this.send(
      `{"jsonrpc":"2.0","method":"${kind}Notification","params":{"subscription":${id},"result":${resultJson}}}`,
    );
  }
}

export interface HubOptions {
  readonly backend: NodeBackend;
  readonly metrics: Metrics;
  readonly maxSubscriptionsPerSocket: number;
  readonly maxBufferedBytes: number;
  readonly onError: (error: unknown) => void;
}

export class SubscriptionHub {
  private nextId = 1;
  private readonly sessions = new Set<Session>();
  private readonly subs = new Map<number, Sub>();
  private readonly byKind = { block: new Set<Sub>(), curve: new Set<Sub>() };
  private readonly bySignature = new Map<string, Set<Sub>>();
  private unsubscribeBackend: (() => void) | undefined;
  readonly maxBufferedBytes: number;

  constructor(private readonly options: HubOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes;
  }

  start(): void {
    this.unsubscribeBackend ??= this.options.backend.subscribe((event) => {
      try {
        this.dispatch(event);
      } catch (e) {
        this.options.onError(e);
      }
    });
  }

  stop(): void {
    this.unsubscribeBackend?.();
    this.unsubscribeBackend = undefined;
    for (const session of [...this.sessions]) this.removeSession(session);
  }

  addSession(socket: SocketLike, ip: string): Session {
    const session = new Session(socket, ip, this);
    this.sessions.add(session);
    this.options.metrics.wsConnections.inc();
    return session;
  }

  removeSession(session: Session): void {
    if (session.closed) return;
    session.closed = true;
    for (const id of [...session.subs.keys()]) this.remove(id);
    this.sessions.delete(session);
    this.options.metrics.wsConnections.dec();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The subscribe/unsubscribe methods of one session. */
  sessionMethods(session: Session): ReadonlyMap<string, MethodSpec> {
    const subscribe = (kind: SubscriptionKind, key: string | null) => this.add(session, kind, key);
    const unsubscribe = (kind: SubscriptionKind) =>
      defineMethod({
        params: z.tuple([z.number({ error: 'expected a subscription id' }).int()]),
        names: ['subscription'],
        context: 'read',
        run: async ([id]) => {
          const sub = session.subs.get(id);
          if (!sub || sub.kind !== kind) return false;
          this.remove(id);
          return true;
        },
      });
    return new Map<string, MethodSpec>([
      [
        'blockSubscribe',
        defineMethod({
          params: z.tuple([]),
          names: [],
          context: 'read',
          run: async () => subscribe('block', null).id,
        }),
      ],
      [
        'curveSubscribe',
        defineMethod({
          params: z.tuple([address.optional()]),
          names: ['curveId'],
          context: 'read',
          run: async ([curve]) => subscribe('curve', curve === undefined ? null : encodeAddress(curve)).id,
        }),
      ],
      [
        'signatureSubscribe',
        defineMethod({
          params: z.tuple([txId]),
          names: ['txId'],
          context: 'read',
          run: async ([id], { backend, defer }) => {
            const sub = subscribe('signature', id);
            // Already final? Answer after the subscribe response (an event may beat us to it).
            defer(async () => {
              const status = await backend.transactionStatus(id);
              if (isFinal(status) && this.subs.has(sub.id)) this.fireSignature(sub, status);
            });
            return sub.id;
          },
        }),
      ],
      ['blockUnsubscribe', unsubscribe('block')],
      ['curveUnsubscribe', unsubscribe('curve')],
      ['signatureUnsubscribe', unsubscribe('signature')],
    ]);
  }

  private add(session: Session, kind: SubscriptionKind, key: string | null): Sub {
    const limit = this.options.maxSubscriptionsPerSocket;
    if (session.subs.size >= limit) {
      throw failures.api(
        RPC_CODES.LIMIT_EXCEEDED,
        'TOO_MANY_SUBSCRIPTIONS',
        `a connection holds at most ${limit} subscriptions`,
        { limit },
      );
    }
    const sub: Sub = { id: this.nextId++, kind, session, key };
    session.subs.set(sub.id, sub);
    this.subs.set(sub.id, sub);
    if (kind === 'signature') {
      let set = this.bySignature.get(key!);
      if (!set) {
        set = new Set();
        this.bySignature.set(key!, set);
      }
      set.add(sub);
    } else {
      this.byKind[kind].add(sub);
    }
    this.options.metrics.wsSubscriptions.inc({ kind });
    return sub;
  }

  private remove(id: number): void {
    const sub = this.subs.get(id);
    if (!sub) return;
    this.subs.delete(id);
    sub.session.subs.delete(id);
    if (sub.kind === 'signature') {
      const set = this.bySignature.get(sub.key!);
      set?.delete(sub);
      if (set?.size === 0) this.bySignature.delete(sub.key!);
    } else {
      this.byKind[sub.kind].delete(sub);
    }
    this.options.metrics.wsSubscriptions.dec({ kind: sub.kind });
  }

  private fireSignature(sub: Sub, status: TransactionStatusInfo): void {
    this.remove(sub.id);
    sub.session.notify('signature', sub.id, JSON.stringify(transactionStatusView(sub.key!, status)));
  }

  private dispatch(event: BackendEvent): void {
    switch (event.kind) {
      case 'block': {
        const subs = this.byKind.block;
        if (subs.size === 0) return;
        const json = JSON.stringify(blockView(event.block));
        for (const sub of [...subs]) sub.session.notify('block', sub.id, json);
        return;
      }
      case 'curve': {
        const subs = this.byKind.curve;
        if (subs.size === 0) return;
        const curveId = encodeAddress(event.curve.record.id);
        let json: string | undefined;
        for (const sub of [...subs]) {
          if (sub.key !== null && sub.key !== curveId) continue;
          json ??= JSON.stringify(curveUpdateView(event.height, event.curve, event.events));
          sub.session.notify('curve', sub.id, json);
        }
        return;
      }
      case 'signature': {
        const subs = this.bySignature.get(event.txId);
        if (!subs || !isFinal(event.status)) return;
        const json = JSON.stringify(transactionStatusView(event.txId, event.status));
        for (const sub of [...subs]) {
          this.remove(sub.id);
          sub.session.notify('signature', sub.id, json);
        }
        return;
      }
    }
  }
}

function isFinal(status: TransactionStatusInfo): boolean {
  return status.status === 'committed' || status.status === 'failed';
}
