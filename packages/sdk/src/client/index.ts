/**
 * Typed client of the node API (isomorphic: global fetch and WebSocket). RpcClient for the
 * JSON-RPC methods, SubscriptionClient for blocks, curves and signatures, sendAndConfirm to
 * submit and wait. The value types (types.ts) are the wire contract the server builds too.
 */
export {
  ConfirmationTimeoutError,
  type ConfirmOptions,
  sendAndConfirm,
  TransactionFailedError,
} from './confirm.ts';
export {
  isRpcError,
  RPC_CODES,
  RPC_ERROR_NAMES,
  RpcError,
  type RpcErrorName,
  type RpcErrorObject,
  RpcTransportError,
} from './errors.ts';
export {
  parseAccount,
  parseAmount,
  parseCurve,
  parseCurveUpdate,
  parseEvent,
  parseQuote,
  parseReceipt,
  parseTransactionStatus,
} from './parse.ts';
export { type AddressLike, type RpcCall, RpcClient, type RpcClientOptions } from './rpc-client.ts';
export {
  type SignatureWaitOptions,
  type Subscription,
  SubscriptionClient,
  type SubscriptionClientOptions,
} from './subscription-client.ts';
export * from './types.ts';
