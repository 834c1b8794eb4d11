/**
 * WebSocket subscriptions to the node API (`/ws`), on the global WebSocket (Node 24,
 * browsers). One socket, opened on first use; requests are JSON-RPC, notifications arrive as
 * `<kind>Notification` with `{ subscription, result }`.
 *
 * The socket does not reconnect by itself: when it closes, pending requests and signature
 * waits reject with RpcTransportError, `onClose` listeners run, and the next call opens a new
 * socket (subscriptions must then be made again).
 */

import { encodeBase58 } from '../codec/base58.ts';
import { RpcError, type RpcErrorObject, RpcTransportError } from './errors.ts';
import { parseCurveUpdate, parseTransactionStatus } from './parse.ts';
import type { AddressLike } from './rpc-client.ts';
import type { RpcBlock, RpcCurveUpdate, RpcTransactionStatus } from './types.ts';

export interface SubscriptionClientOptions {
  /** Defaults to the global WebSocket. */
  readonly WebSocket?: typeof WebSocket;
  /** For subscribe/unsubscribe answers; default 10 s. */
  readonly requestTimeoutMs?: number;
  /** A notification handler threw (handlers run on the socket's event loop turn). */
  readonly onHandlerError?: (error: unknown) => void;
}

export interface Subscription {
  readonly id: number;
  /** Resolves to whether the node still had it. */
  unsubscribe(): Promise<boolean>;
}

export interface SignatureWaitOptions {
  /** Reject after this long without a notification (default: wait as long as the socket lives). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Handler = (result: unknown, subscription: number) => void;

/** Final statuses: a signature subscription fires once with one of these. */
const FINAL = new Set(['committed', 'failed']);

export class SubscriptionClient {
  readonly url: string;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly requestTimeoutMs: number;
  private readonly onHandlerError: (error: unknown) => void;
  private socket: WebSocket | undefined;
  private opening: Promise<WebSocket> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<number, Handler>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  /** Rejecters of everything that waits on the current socket (signature waits). */
  private readonly waiters = new Set<(error: Error) => void>();

  constructor(url: string, options: SubscriptionClientOptions = {}) {
    this.url = url;
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.onHandlerError = options.onHandlerError ?? (() => {});
  }

  /** Every block the node commits. */
  onBlock(handler: (block: RpcBlock) => void): Promise<Subscription> {
    return this.subscribe('block', [], (result) => handler(result as RpcBlock));
  }

  /** Updates of one curve (or, with null, of every curve) after each block that touched it. */
  onCurve(curveId: AddressLike | null, handler: (update: RpcCurveUpdate) => void): Promise<Subscription> {
    const params = curveId === null ? [] : [typeof curveId === 'string' ? curveId : encodeBase58(curveId)];
    return this.subscribe('curve', params, (result) =>
      handler(parseCurveUpdate(result as RpcCurveUpdate<string>)),
    );
  }

  /**
   * Resolves once with the transaction's final status (committed or failed), also when it was
   * already final when subscribing (the node answers at once then).
   */
  onSignature(txId: string, options: SignatureWaitOptions = {}): Promise<RpcTransactionStatus> {
    return new Promise<RpcTransactionStatus>((resolve, reject) => {
      let subscription: Subscription | undefined;
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: Error | undefined, status?: RpcTransactionStatus) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(fail);
        if (error) {
          if (subscription) subscription.unsubscribe().catch(() => {});
          reject(error);
        } else resolve(status!);
      };
      const fail = (error: Error) => finish(error);
      const onAbort = () => finish(new RpcTransportError(`stopped waiting for ${txId}: aborted`));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => finish(new RpcTransportError(`no notification for ${txId} within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }
      this.waiters.add(fail);
      this.subscribe('signature', [txId], (result, id) => {
        const status = parseTransactionStatus(result as RpcTransactionStatus<string>);
        if (!FINAL.has(status.status)) return;
        // The node unsubscribes after the one notification; forget the handler here too.
        this.handlers.delete(id);
        finish(undefined, status);
      }).then(
        (s) => {
          subscription = s;
          if (settled) s.unsubscribe().catch(() => {});
        },
        (e: Error) => finish(e),
      );
    });
  }

  /** Runs when the socket closes (with the close reason), for callers that resubscribe. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Any JSON-RPC method over the socket (the node serves its HTTP methods here too). */
  async request(method: string, params: readonly unknown[] = []): Promise<unknown> {
    const socket = await this.open();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcTransportError(`${method}: no answer within ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new RpcTransportError(`${method}: the socket refused the message`, { cause: e }));
      }
    });
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.opening = undefined;
    if (socket) {
      socket.close(1000, 'client closed');
      this.dropAll('the client closed the socket');
    }
  }

  // ---------------------------------------------------------------- internals

  private async subscribe(kind: string, params: readonly unknown[], handler: Handler): Promise<Subscription> {
    const socket = await this.open();
    const id = (await this.requestRegistering(socket, `${kind}Subscribe`, params, handler)) as number;
    return {
      id,
      unsubscribe: async () => {
        this.handlers.delete(id);
        if (this.socket !== socket) return false;
        return (await this.request(`${kind}Unsubscribe`, [id])) as boolean;
      },
    };
  }

  /**
   * A subscribe request whose handler is registered in the same turn as the answer is read,
   * so that a notification right behind the answer (a signature already final) is not lost.
   */
  private requestRegistering(
    socket: WebSocket,
    method: string,
    params: readonly unknown[],
    handler: Handler,
  ): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcTransportError(`${method}: no answer within ${this.requestTimeoutMs} ms`));
      }, this.requestTimeoutMs);
      this.pending.set(id, {
        resolve: (result) => {
          if (typeof result === 'number') this.handlers.set(result, handler);
          resolve(result);
        },
        reject,
        timer,
      });
      try {
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new RpcTransportError(`${method}: the socket refused the message`, { cause: e }));
      }
    });
  }

  private open(): Promise<WebSocket> {
    if (this.socket && this.socket.readyState === 1) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    const opening = new Promise<WebSocket>((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new this.WebSocketImpl(this.url);
      } catch (e) {
        reject(new RpcTransportError(`cannot open ${this.url}`, { cause: e }));
        return;
      }
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        this.socket = socket;
        resolve(socket);
      });
      socket.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
      socket.addEventListener('error', () => {
        if (!opened) reject(new RpcTransportError(`cannot connect to ${this.url}`));
      });
      socket.addEventListener('close', (event: CloseEvent) => {
        if (!opened) reject(new RpcTransportError(`cannot connect to ${this.url} (close ${event.code})`));
        if (this.socket === socket) {
          this.socket = undefined;
          this.opening = undefined;
          this.dropAll(`the socket closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`);
        }
      });
    });
    this.opening = opening;
    opening.catch(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    return opening;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: {
      id?: unknown;
      result?: unknown;
      error?: RpcErrorObject;
      method?: unknown;
      params?: { subscription?: unknown; result?: unknown };
    };
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message === null || typeof message !== 'object') return;
    if (typeof message.method === 'string' && message.params) {
      const id = message.params.subscription as number;
      const handler = this.handlers.get(id);
      if (!handler) return;
      try {
        handler(message.params.result, id);
      } catch (e) {
        this.onHandlerError(e);
      }
      return;
    }
    const pending = this.pending.get(message.id as number);
    if (!pending) return;
    this.pending.delete(message.id as number);
    clearTimeout(pending.timer);
    if (message.error) pending.reject(new RpcError(message.error));
    else pending.resolve(message.result);
  }

  private dropAll(reason: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new RpcTransportError(reason));
    }
    this.pending.clear();
    this.handlers.clear();
    for (const fail of [...this.waiters]) fail(new RpcTransportError(reason));
    for (const listener of this.closeListeners) {
      try {
        listener(reason);
      } catch (e) {
        this.onHandlerError(e);
      }
    }
  }
}
