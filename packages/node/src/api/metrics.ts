/**
 * The node's Prometheus metrics, on a prom-client Registry that is injected (or created): the
 * node's parts update them through this object, the API serves them at GET /metrics. Label
 * values come from closed sets (method names the API knows, pool kinds, stable error names),
 * so a hostile client cannot grow the series.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  readonly registry?: Registry;
  /** Process metrics (CPU, memory, event loop lag, GC); default false. */
  readonly defaultMetrics?: boolean;
}

export interface CommittedBlock {
  readonly height: bigint | number;
  /** Receipts with status ok / failed. */
  readonly ok: number;
  readonly failed: number;
  /** Seconds since the previous block (omit for the first). */
  readonly blockTimeSeconds?: number;
}

export type MempoolKind = 'fast' | 'big';

export class Metrics {
  readonly registry: Registry;
  readonly blocks: Counter;
  readonly height: Gauge;
  readonly transactions: Counter<'status'>;
  readonly mempoolSize: Gauge<'pool'>;
  readonly admissionRejects: Counter<'reason'>;
  readonly blockTime: Histogram;
  readonly rpcDuration: Histogram<'method'>;
  readonly rpcErrors: Counter<'method' | 'code'>;
  readonly wsConnections: Gauge;
  readonly wsSubscriptions: Gauge<'kind'>;
  readonly rateLimited: Counter<'transport'>;

  constructor(options: MetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'assetl2_' });
    this.blocks = new Counter({ name: 'assetl2_blocks_total', help: 'Blocks committed', registers });
    this.height = new Gauge({ name: 'assetl2_block_height', help: 'Height of the latest block', registers });
    this.transactions = new Counter({
      name: 'assetl2_transactions_total',
      help: 'Transactions committed, by receipt status',
      labelNames: ['status'],
      registers,
    });
    this.mempoolSize = new Gauge({
      name: 'assetl2_mempool_transactions',
      help: 'Transactions waiting in the mempool, by pool',
      labelNames: ['pool'],
      registers,
    });
    this.admissionRejects = new Counter({
      name: 'assetl2_admission_rejects_total',
      help: 'Transactions refused at admission, by stable error name',
      labelNames: ['reason'],
      registers,
    });
    this.blockTime = new Histogram({
      name: 'assetl2_block_time_seconds',
      help: 'Time between consecutive committed blocks',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.rpcDuration = new Histogram({
      name: 'assetl2_rpc_request_duration_seconds',
      help: 'JSON-RPC call latency, by method',
      labelNames: ['method'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 10],
      registers,
    });
    this.rpcErrors = new Counter({
      name: 'assetl2_rpc_errors_total',
      help: 'JSON-RPC calls answered with an error, by method and JSON-RPC code',
      labelNames: ['method', 'code'],
      registers,
    });
    this.wsConnections = new Gauge({
      name: 'assetl2_ws_connections',
      help: 'Open WebSocket connections',
      registers,
    });
    this.wsSubscriptions = new Gauge({
      name: 'assetl2_ws_subscriptions',
      help: 'Active WebSocket subscriptions, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'assetl2_rpc_rate_limited_total',
      help: 'Requests refused by the per-IP rate limit',
      labelNames: ['transport'],
      registers,
    });
  }

  blockCommitted(block: CommittedBlock): void {
    this.blocks.inc();
    this.height.set(Number(block.height));
    if (block.ok > 0) this.transactions.inc({ status: 'ok' }, block.ok);
    if (block.failed > 0) this.transactions.inc({ status: 'failed' }, block.failed);
    if (block.blockTimeSeconds !== undefined) this.blockTime.observe(block.blockTimeSeconds);
  }

  setMempoolSize(pool: MempoolKind, size: number): void {
    this.mempoolSize.set({ pool }, size);
  }

  /** `reason`: the stable error name (TX_BAD_SIGNATURE, MEMPOOL_FULL...). */
  admissionRejected(reason: string): void {
    this.admissionRejects.inc({ reason });
  }

  /** `method` must come from a closed set (the API passes 'other' for unknown names). */
  rpcObserved(method: string, seconds: number, errorCode?: number): void {
    this.rpcDuration.observe({ method }, seconds);
    if (errorCode !== undefined) this.rpcErrors.inc({ method, code: String(errorCode) });
  }

  /** Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
