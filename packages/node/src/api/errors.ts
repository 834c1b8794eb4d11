/**
 * JSON-RPC errors of the node API. Codes are shared with the client (RPC_CODES in
 * sdk/src/client/errors.ts); application errors carry the stable error name in `data.code`.
 *
 * | code   | HTTP | when                                                      | data.code                         |
 * |--------|------|-----------------------------------------------------------|-----------------------------------|
 * | -32700 | 200  | the body is not JSON                                      | —                                 |
 * | -32600 | 200  | not a JSON-RPC 2.0 request (or an empty batch)            | —                                 |
 * | -32601 | 200  | unknown method; requestAirdrop off devnets; a subscription method over HTTP | —               |
 * | -32602 | 200  | params of the wrong shape, type or encoding (message names the param: base58, base64, u64 strings) | — |
 * | -32603 | 200  | a bug or an unexpected failure (logged with its stack, never shown) | —                       |
 * | -32000 | 200  | any other stable error of the node                         | its registry name                 |
 * | -32002 | 200  | sendTransaction / requestAirdrop refused: decoder, signature, chain, nonce, mempool admission | TX_MALFORMED, TX_BAD_SIGNATURE, TX_WRONG_CHAIN, TX_BAD_NONCE, MEMPOOL_*, ... |
 * | -32003 | 200  | no such block / curve                                     | BLOCK_NOT_FOUND, UNKNOWN_CURVE    |
 * | -32004 | 200  | the curve cannot quote this trade now                     | ZERO_AMOUNT, EXCEEDS_FOR_SALE, EXCEEDS_SOLD, U64_OVERFLOW, SEALED_WINDOW, MIGRATION_PENDING, ... |
 * | -32005 | 429  | per-IP rate limit                                         | RATE_LIMITED (+ retryAfterMs)     |
 * | -32006 | 413 / 200 | body over bodyLimit (413); batch over maxBatchSize; subscriptions over the per-socket limit | PAYLOAD_TOO_LARGE, BATCH_TOO_LARGE, TOO_MANY_SUBSCRIPTIONS (+ limit) |
 * | -32007 | 200  | the backend did not answer within requestTimeoutMs        | REQUEST_TIMEOUT                   |
 *
 * Which application code an AssetL2Error gets depends on the method that raised it (its
 * `errorContext`): everything sendTransaction's backend throws is a rejection (-32002),
 * whatever the stable name; UNKNOWN_CURVE from a read is -32003; quote's failures are -32004.
 * Transactions that cannot be decoded are -32002 with the decoder's name (TX_MALFORMED,
 * TX_BAD_VERSION, TX_UNKNOWN_OP, TX_TRAILING_BYTES, TX_NON_CANONICAL, TX_TOO_LARGE); text that
 * is not base64 at all never reaches the decoder and is -32602.
 */
import { isAssetL2Error, RPC_CODES, type RpcErrorName, type RpcErrorObject } from '@assetl2/sdk';

/** A JSON-RPC error on its way out; anything else thrown by a handler is -32603. */
export class RpcFailure extends Error {
  readonly rpcCode: number;
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly httpStatus: number;
  constructor(rpcCode: number, message: string, data?: Readonly<Record<string, unknown>>, httpStatus = 200) {
    super(message);
    this.name = 'RpcFailure';
    this.rpcCode = rpcCode;
    this.data = data;
    this.httpStatus = httpStatus;
  }

  toObject(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.rpcCode, message: this.message }
      : { code: this.rpcCode, message: this.message, data: this.data };
  }
}

/** How a method's AssetL2Errors are classified. */
export type ErrorContext = 'read' | 'transaction' | 'quote';

export const failures = {
  parse: (detail: string) => new RpcFailure(RPC_CODES.PARSE_ERROR, `parse error: ${detail}`),
  invalidRequest: (detail: string) => new RpcFailure(RPC_CODES.INVALID_REQUEST, `invalid request: ${detail}`),
  methodNotFound: (method: string, detail = '') =>
    new RpcFailure(RPC_CODES.METHOD_NOT_FOUND, `method not found: ${printable(method)}${detail}`),
  invalidParams: (detail: string) => new RpcFailure(RPC_CODES.INVALID_PARAMS, `invalid params: ${detail}`),
  internal: () => new RpcFailure(RPC_CODES.INTERNAL_ERROR, 'internal error'),
  api: (
    rpcCode: number,
    name: RpcErrorName,
    message: string,
    extra: Record<string, unknown> = {},
    http = 200,
  ) => new RpcFailure(rpcCode, message, { code: name, ...extra }, http),
};

export function blockNotFound(height: bigint): RpcFailure {
  return failures.api(RPC_CODES.NOT_FOUND, 'BLOCK_NOT_FOUND', `no block at height ${height}`);
}

/**
 * Any error from a handler as a JSON-RPC error. `internal` receives what must be logged
 * (the error with its stack) and is called only for -32603.
 */
export function toRpcFailure(
  error: unknown,
  context: ErrorContext,
  internal: (e: unknown) => void,
): RpcFailure {
  if (error instanceof RpcFailure) return error;
  if (isAssetL2Error(error)) {
    const data = { code: error.code };
    if (context === 'transaction') return new RpcFailure(RPC_CODES.TRANSACTION_REJECTED, error.message, data);
    if (error.code === 'UNKNOWN_CURVE') return new RpcFailure(RPC_CODES.NOT_FOUND, error.message, data);
    if (context === 'quote') return new RpcFailure(RPC_CODES.QUOTE_FAILED, error.message, data);
    return new RpcFailure(RPC_CODES.APPLICATION_ERROR, error.message, data);
  }
  internal(error);
  return failures.internal();
}

/** Bounded, single-line echo of caller-supplied text in messages. */
export function printable(text: string): string {
  const clipped = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return JSON.stringify(clipped);
}
