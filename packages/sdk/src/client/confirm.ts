/**
 * Submit and wait: the signature notification when a SubscriptionClient is given (subscribed
 * before the transaction is sent, so the commit cannot slip past), polled
 * getTransactionStatus as the fallback (and the only way without a socket), both bounded by
 * one timeout.
 */
import { AssetL2Error, type ErrorCode } from '../errors/index.ts';
import { transactionId } from '../tx/codec.ts';
import type { Transaction } from '../tx/types.ts';
import { RpcTransportError } from './errors.ts';
import type { RpcClient } from './rpc-client.ts';
import type { SubscriptionClient } from './subscription-client.ts';
import type { RpcReceipt, RpcTransactionStatus } from './types.ts';

export interface ConfirmOptions {
  readonly rpc: RpcClient;
  readonly subscriptions?: SubscriptionClient;
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /** Polling period of getTransactionStatus; default 1 s (500 ms without subscriptions). */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

/** The transaction was included but failed (receipt.error), or dropped before inclusion. */
export class TransactionFailedError extends AssetL2Error {
  readonly txId: string;
  readonly height: number | undefined;
  readonly receipt: RpcReceipt | undefined;
  constructor(status: RpcTransactionStatus) {
    const code = status.receipt?.error ?? status.error?.code ?? 'BLOCK_INVALID';
    const message = status.receipt?.message ?? status.error?.message ?? 'the transaction failed';
    // A name this SDK does not know yet (a newer node) still travels as is.
    super(code as ErrorCode, message);
    this.name = 'TransactionFailedError';
    this.txId = status.txId;
    this.height = status.height;
    this.receipt = status.receipt;
  }
}

export class ConfirmationTimeoutError extends RpcTransportError {
  readonly txId: string;
  constructor(txId: string, timeoutMs: number) {
    super(`transaction ${txId} was not confirmed within ${timeoutMs} ms`);
    this.name = 'ConfirmationTimeoutError';
    this.txId = txId;
  }
}

/**
 * Sends `tx` and resolves to its receipt once committed; rejects with RpcError when the node
 * refuses it, TransactionFailedError when it failed, ConfirmationTimeoutError on timeout.
 */
export async function sendAndConfirm(tx: Transaction, options: ConfirmOptions): Promise<RpcReceipt> {
  const { rpc, subscriptions } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? (subscriptions ? 1_000 : 500);
  const txId = transactionId(tx);
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    // Subscribe first; a socket that fails leaves the polling to do the work.
    const notified = subscriptions
      ? subscriptions.onSignature(txId, { signal: stop.signal }).catch(() => new Promise<never>(() => {}))
      : new Promise<never>(() => {});
    // No need to wait for the subscription: the node answers a signature that is already
    // final at once, so a commit that lands first is still reported.
    await rpc.sendTransaction(tx);
    const status = await Promise.race([
      notified,
      poll(rpc, txId, pollIntervalMs, stop.signal),
      sleep(timeoutMs, stop.signal).then(() => {
        throw new ConfirmationTimeoutError(txId, timeoutMs);
      }),
    ]);
    if (status.status !== 'committed' || !status.receipt) throw new TransactionFailedError(status);
    return status.receipt;
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function poll(
  rpc: RpcClient,
  txId: string,
  intervalMs: number,
  signal: AbortSignal,
): Promise<RpcTransactionStatus> {
  for (;;) {
    await sleep(intervalMs, signal);
    if (signal.aborted) return new Promise<never>(() => {});
    try {
      const status = await rpc.getTransactionStatus(txId);
      if (status.status === 'committed' || status.status === 'failed') return status;
    } catch {
      // A failed poll is retried at the next tick; the timeout bounds the whole wait.
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return;
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
      },
      { once: true },
    );
  });
}
