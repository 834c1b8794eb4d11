/**
 * The node API: JSON-RPC over HTTP and WebSocket, /metrics, /health (server.ts), a thin layer
 * over the NodeBackend interface (backend.ts) that the node implements.
 */
export type {
  AccountInfo,
  Awaitable,
  BackendEvent,
  BackendListener,
  BlockInfo,
  CurveInfo,
  HealthInfo,
  NodeBackend,
  QuoteInfo,
  QuoteRequest,
  TransactionStatusInfo,
  ValidatorInfo,
} from './backend.ts';
export { type ErrorContext, RpcFailure } from './errors.ts';
export { type CommittedBlock, type MempoolKind, Metrics, type MetricsOptions } from './metrics.ts';
export { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
export {
  type ApiAddress,
  type ApiLimits,
  ApiServer,
  type ApiServerOptions,
  DEFAULT_API_LIMITS,
  type ListenOptions,
} from './server.ts';
export { accountFromVm, curveFromVm, quoteFromVm } from './vm-reads.ts';
