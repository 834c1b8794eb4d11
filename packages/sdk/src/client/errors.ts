/**
 * JSON-RPC error codes of the node API, shared by the server (which documents when each is
 * used, packages/node/src/api/errors.ts) and the client. Application errors (-32000..-32099)
 * carry a stable error name in `data.code`: a name of the error registry (errors/codes.ts,
 * e.g. TX_BAD_SIGNATURE, UNKNOWN_CURVE) or one of RPC_ERROR_NAMES below, which only the API
 * layer produces (limits, not-found of things that are not state).
 */
export const RPC_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Any other stable error from the node (data.code names it). */
  APPLICATION_ERROR: -32000,
  /** sendTransaction / requestAirdrop refused by the decoder, the signature check or the mempool. */
  TRANSACTION_REJECTED: -32002,
  /** No such block or curve. */
  NOT_FOUND: -32003,
  /** The curve cannot quote this trade now (curve math, phase). */
  QUOTE_FAILED: -32004,
  /** Per-IP rate limit; data.retryAfterMs. HTTP 429. */
  RATE_LIMITED: -32005,
  /** Body, batch or subscription limit; data.limit. HTTP 413 for an oversized body. */
  LIMIT_EXCEEDED: -32006,
  /** The node did not answer within its request timeout. */
  TIMEOUT: -32007,
} as const;

/** Stable names produced by the API layer itself (not by CurveVM or the mempool). */
export const RPC_ERROR_NAMES = [
  'BLOCK_NOT_FOUND',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'BATCH_TOO_LARGE',
  'TOO_MANY_SUBSCRIPTIONS',
  'REQUEST_TIMEOUT',
] as const;
export type RpcErrorName = (typeof RPC_ERROR_NAMES)[number];

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * A JSON-RPC error from the node: `rpcCode` is the JSON-RPC code, `code` the stable error name
 * from `data.code` when there is one (as AssetL2Error.code), `data` the rest.
 */
export class RpcError extends Error {
  readonly rpcCode: number;
  readonly code: string | undefined;
  readonly data: unknown;
  /** HTTP status of the response that carried it (HTTP transport only). */
  readonly httpStatus: number | undefined;
  constructor(error: RpcErrorObject, httpStatus?: number) {
    super(error.message);
    this.name = 'RpcError';
    this.rpcCode = error.code;
    this.data = error.data;
    const name = (error.data as { code?: unknown } | null | undefined)?.code;
    this.code = typeof name === 'string' ? name : undefined;
    this.httpStatus = httpStatus;
  }
}

export function isRpcError(e: unknown): e is RpcError {
  return e instanceof RpcError;
}

/** Something went wrong between the client and the node (network, non-JSON answer, closed socket). */
export class RpcTransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RpcTransportError';
  }
}
