/**
 * The verifier's thread protocol and the work a verifier thread does. A batch travels as one
 * transferred buffer (the encoded transactions back to back) plus their end offsets, so a
 * message costs the same whether it carries 1 or 256 transactions; the reply lists only the
 * failures (index, stable code, sentence), since nearly every transaction is valid.
 */
import type { MessagePort } from 'node:worker_threads';
import { decodeTransaction, type ErrorCode, isAssetL2Error, verifyTransaction } from '@assetl2/sdk';

export type VerifyOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** [index in the batch, code, sentence] */
export type VerifyFailure = readonly [index: number, code: ErrorCode, message: string];

export type ToVerifier = {
  readonly type: 'verify';
  readonly id: number;
  readonly data: Uint8Array;
  readonly ends: Uint32Array;
};

export type FromVerifier =
  | { readonly type: 'ready' }
  | { readonly type: 'verified'; readonly id: number; readonly failures: VerifyFailure[] };

export interface VerifierWorkerData {
  readonly chainId: number;
}

export function packBatch(items: readonly Uint8Array[]): {
  data: Uint8Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
} {
  let total = 0;
  for (const item of items) total += item.length;
  const data = new Uint8Array(total);
  const ends = new Uint32Array(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    data.set(item, at);
    at += item.length;
    ends[i] = at;
  }
  return { data, ends };
}

export function unpackBatch(data: Uint8Array, ends: Uint32Array): Uint8Array[] {
  const items: Uint8Array[] = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    items[i] = data.subarray(start, ends[i]);
    start = ends[i]!;
  }
  return items;
}

/**
 * Strict decode, chain id, ed25519 signature: exactly what the SDK checks, with its codes and
 * sentences (TX_* from the decoder, TX_WRONG_CHAIN, TX_BAD_SIGNATURE).
 */
export function verifyEncoded(bytes: Uint8Array, chainId: number): VerifyOutcome {
  try {
    verifyTransaction(decodeTransaction(bytes), chainId);
    return { ok: true };
  } catch (e) {
    if (isAssetL2Error(e)) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'TX_MALFORMED', message: 'malformed transaction' };
  }
}

export function verifyItems(items: readonly Uint8Array[], chainId: number): VerifyFailure[] {
  const failures: VerifyFailure[] = [];
  for (let i = 0; i < items.length; i++) {
    const outcome = verifyEncoded(items[i]!, chainId);
    if (!outcome.ok) failures.push([i, outcome.code, outcome.message]);
  }
  return failures;
}

export interface ServeOptions {
  readonly chainId: number;
  /** Test hook: sees each batch before it is verified (e.g. to crash the thread). */
  readonly beforeBatch?: (items: readonly Uint8Array[]) => void;
}

/** The body of a verifier thread: answers each batch on `port`, then says it is ready. */
export function serveVerifier(port: MessagePort, options: ServeOptions): void {
  port.on('message', (message: ToVerifier) => {
    if (message.type !== 'verify') return;
    const items = unpackBatch(message.data, message.ends);
    options.beforeBatch?.(items);
    const reply: FromVerifier = {
      type: 'verified',
      id: message.id,
      failures: verifyItems(items, options.chainId),
    };
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready' } satisfies FromVerifier);
}
