/**
 * The node's API on fastify: JSON-RPC 2.0 over HTTP POST `/` (single calls and batches),
 * JSON-RPC with subscriptions over WebSocket `/ws`, Prometheus text at `GET /metrics`, and
 * `GET /health` (200 healthy, 503 not). A thin layer over NodeBackend: validation, views,
 * errors, limits. Hostile input gets a JSON-RPC error, never a crash or a stack trace.
 *
 * Limits (ApiLimits, all configurable): body size (413 + JSON-RPC error, then the connection
 * closes while the node keeps serving), batch size, subscriptions per socket, WebSocket
 * message size (the socket is closed with 1009, as the protocol says), sockets per address,
 * per-IP token bucket over calls (HTTP 429 / -32005), a timeout per call and Node's request
 * and keep-alive timeouts against slow clients.
 */
import { RPC_CODES } from '@assetl2/sdk';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { WebSocket } from 'ws';
import type { NodeBackend } from './backend.ts';
import { failures, type RpcFailure } from './errors.ts';
import { METHODS } from './methods.ts';
import { Metrics } from './metrics.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { RpcDispatcher, type RpcLogger, type RpcOutcome } from './rpc.ts';
import { type Session, SubscriptionHub } from './subscriptions.ts';
import { healthView } from './views.ts';

export interface ApiLimits {
  /** Largest HTTP body; default 64 KiB (a transaction is at most ~3 KiB of base64). */
  readonly bodyLimitBytes: number;
  /** Calls per JSON-RPC batch; default 100. */
  readonly maxBatchSize: number;
  /** Default 64. */
  readonly maxSubscriptionsPerSocket: number;
  /** Largest WebSocket message; default 16 KiB (closed with 1009 above). */
  readonly maxWsMessageBytes: number;
  /** Open sockets per client address; default 32. */
  readonly maxSocketsPerIp: number;
  /** Unsent bytes a socket may hold before it is closed as too slow; default 4 MiB. */
  readonly maxWsBufferedBytes: number;
  /** Per-IP token bucket over calls, or false to disable; default 600 burst, 300/s. */
  readonly rateLimit: RateLimitOptions | false;
  /** Per call, waiting on the backend; default 10 s. */
  readonly requestTimeoutMs: number;
  /** Whole HTTP request (headers and body) must arrive within this; default 30 s. */
  readonly httpRequestTimeoutMs: number;
  /** Idle keep-alive connections close after this; default 30 s. */
  readonly keepAliveTimeoutMs: number;
  /** WebSocket ping period; a socket that missed one pong is terminated. Default 30 s. */
  readonly wsPingIntervalMs: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  bodyLimitBytes: 64 * 1024,
  maxBatchSize: 100,
  maxSubscriptionsPerSocket: 64,
  maxWsMessageBytes: 16 * 1024,
  maxSocketsPerIp: 32,
  maxWsBufferedBytes: 4 * 1024 * 1024,
  rateLimit: { capacity: 600, refillPerSecond: 300 },
  requestTimeoutMs: 10_000,
  httpRequestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 30_000,
  wsPingIntervalMs: 30_000,
};

export interface ApiServerOptions {
  readonly backend: NodeBackend;
  /** The node's metrics (created when absent); served at /metrics. */
  readonly metrics?: Metrics;
  /** A pino logger (fastify's loggerInstance); silent when absent. */
  readonly logger?: FastifyBaseLogger;
  readonly limits?: Partial<ApiLimits>;
  /** Take the client address from X-Forwarded-For (behind a trusted proxy only). */
  readonly trustProxy?: boolean;
}

export interface ListenOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface ApiAddress {
  readonly host: string;
  readonly port: number;
  /** http://host:port/ */
  readonly url: string;
  /** ws://host:port/ws */
  readonly wsUrl: string;
}

export class ApiServer {
  readonly metrics: Metrics;
  readonly limits: ApiLimits;
  private readonly backend: NodeBackend;
  private readonly logger: FastifyBaseLogger | undefined;
  private readonly trustProxy: boolean;
  private app: FastifyInstance | undefined;
  private hub: SubscriptionHub | undefined;
  private rateLimiter: RateLimiter | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];
  private listening: ApiAddress | undefined;

  constructor(options: ApiServerOptions) {
    this.backend = options.backend;
    this.metrics = options.metrics ?? new Metrics();
    this.logger = options.logger;
    this.trustProxy = options.trustProxy ?? false;
    this.limits = { ...DEFAULT_API_LIMITS, ...options.limits };
  }

  get address(): ApiAddress | undefined {
    return this.listening;
  }

  async start(listen: ListenOptions): Promise<ApiAddress> {
    if (this.app) throw new Error('the API server is already started');
    const limits = this.limits;
    const app = Fastify({
      ...(this.logger ? { loggerInstance: this.logger } : { logger: false }),
      bodyLimit: limits.bodyLimitBytes,
      requestTimeout: limits.httpRequestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      forceCloseConnections: 'idle',
      trustProxy: this.trustProxy,
      // One log line per request would dominate the log at a few thousand calls per second.
      logController: new LogController({ disableRequestLogging: true }),
    });
    this.app = app;
    const log: RpcLogger = { error: (object, message) => app.log.error(object, message) };
    this.rateLimiter = limits.rateLimit ? new RateLimiter(limits.rateLimit) : undefined;
    const hub = new SubscriptionHub({
      backend: this.backend,
      metrics: this.metrics,
      maxSubscriptionsPerSocket: limits.maxSubscriptionsPerSocket,
      maxBufferedBytes: limits.maxWsBufferedBytes,
      onError: (e) => log.error({ err: e }, 'subscription fan-out failed'),
    });
    this.hub = hub;
    const dispatcher = new RpcDispatcher({
      backend: this.backend,
      methods: METHODS,
      metrics: this.metrics,
      log,
      rateLimiter: this.rateLimiter,
      maxBatchSize: limits.maxBatchSize,
      requestTimeoutMs: limits.requestTimeoutMs,
    });

    // Bodies are read as text whatever their content type: the JSON-RPC layer parses them, so
    // bad JSON is a -32700 answer and not a framework error page.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      let failure: RpcFailure;
      let status = error.statusCode ?? 500;
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
        status = 413;
        failure = failures.api(
          RPC_CODES.LIMIT_EXCEEDED,
          'PAYLOAD_TOO_LARGE',
          `the body exceeds ${limits.bodyLimitBytes} bytes`,
          { limit: limits.bodyLimitBytes },
          413,
        );
      } else if (status >= 400 && status < 500) {
        failure = failures.invalidRequest(
          error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'empty body' : 'bad HTTP request',
        );
      } else {
        status = 500;
        request.log.error({ err: error }, 'API request failed');
        failure = failures.internal();
      }
      // The unread rest of an oversized body is not worth reading: close after answering.
      if (status === 413) reply.header('connection', 'close');
      reply
        .code(status)
        .type('application/json')
        .send(JSON.stringify({ jsonrpc: '2.0', id: null, error: failure.toObject() }));
    });

    app.setNotFoundHandler((_request, reply) => {
      reply
        .code(404)
        .type('application/json')
        .send('{"error":"not found: POST / for JSON-RPC, /ws, /health, /metrics"}');
    });

    // Every request costs one token before anything is read; a batch pays the rest once parsed.
    app.addHook('onRequest', async (request, reply) => {
      const limited = dispatcher.charge({ ip: request.ip, transport: 'http' }, 1);
      if (limited) {
        reply
          .code(429)
          .header('retry-after', String(Math.ceil(((limited.data?.retryAfterMs as number) ?? 1000) / 1000)))
          .type('application/json')
          .send(JSON.stringify({ jsonrpc: '2.0', id: null, error: limited.toObject() }));
        return reply;
      }
    });

    app.post('/', async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const outcome = await dispatcher.handle(body, { ip: request.ip, transport: 'http', charged: 1 });
      if (outcome.body === undefined) reply.code(204).send();
      else reply.code(outcome.httpStatus).type('application/json').send(outcome.body);
      runDeferred(outcome, log);
      return reply;
    });

    app.get('/health', async (_request, reply) => {
      try {
        const health = await this.backend.health();
        const view = healthView(this.backend.chainId, this.backend.devnet, health);
        reply
          .code(health.healthy ? 200 : 503)
          .type('application/json')
          .send(JSON.stringify(view));
      } catch (e) {
        log.error({ err: e }, 'health check failed');
        reply
          .code(503)
          .type('application/json')
          .send('{"status":"unhealthy","message":"health check failed"}');
      }
      return reply;
    });

    app.get('/metrics', async (_request, reply) => {
      reply.type(this.metrics.contentType).send(await this.metrics.render());
      return reply;
    });

    await app.register(websocket, {
      options: { maxPayload: limits.maxWsMessageBytes },
      errorHandler: (error, socket) => {
        log.error({ err: error }, 'WebSocket handler failed');
        socket.terminate();
      },
    });

    const socketsPerIp = new Map<string, number>();
    await app.register(async (scope) => {
      scope.get(
        '/ws',
        {
          websocket: true,
          preValidation: async (request, reply) => {
            if ((socketsPerIp.get(request.ip) ?? 0) >= limits.maxSocketsPerIp) {
              reply
                .code(429)
                .type('application/json')
                .send('{"error":"too many WebSocket connections from this address"}');
              return reply;
            }
          },
        },
        (socket: WebSocket, request) => {
          const ip = request.ip;
          socketsPerIp.set(ip, (socketsPerIp.get(ip) ?? 0) + 1);
          const session = hub.addSession(socket, ip);
          let alive = true;
          const ping = setInterval(() => {
            if (!alive) return socket.terminate();
            alive = false;
            socket.ping();
          }, limits.wsPingIntervalMs);
          ping.unref();
          socket.on('pong', () => {
            alive = true;
          });
          socket.on('message', (data, isBinary) => {
            alive = true;
            void onMessage(session, data, isBinary);
          });
          socket.on('error', () => socket.terminate());
          socket.on('close', () => {
            clearInterval(ping);
            hub.removeSession(session);
            const left = (socketsPerIp.get(ip) ?? 1) - 1;
            if (left <= 0) socketsPerIp.delete(ip);
            else socketsPerIp.set(ip, left);
          });
        },
      );
    });

    const onMessage = async (session: Session, data: unknown, isBinary: boolean) => {
      try {
        if (isBinary) {
          session.send(
            JSON.stringify({
              jsonrpc: '2.0',
              id: null,
              error: failures.invalidRequest('send text frames').toObject(),
            }),
          );
          return;
        }
        const text = textOf(data);
        const outcome = await dispatcher.handle(text, {
          ip: session.ip,
          transport: 'ws',
          methods: session.methods,
          charged: 0,
        });
        if (outcome.body !== undefined) session.send(outcome.body);
        runDeferred(outcome, log);
      } catch (e) {
        log.error({ err: e }, 'WebSocket message failed');
      }
    };

    hub.start();
    if (this.rateLimiter) {
      const limiter = this.rateLimiter;
      const sweep = setInterval(() => limiter.sweep(), 60_000);
      sweep.unref();
      this.timers.push(sweep);
    }

    const host = listen.host ?? '127.0.0.1';
    try {
      await app.listen({ host, port: listen.port });
    } catch (e) {
      await this.stop();
      throw e;
    }
    const bound = app.server.address();
    const port = typeof bound === 'object' && bound ? bound.port : listen.port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    this.listening = { host, port, url: `http://${urlHost}:${port}/`, wsUrl: `ws://${urlHost}:${port}/ws` };
    return this.listening;
  }

  /** Stops listening, ends subscriptions and closes sockets; idempotent. */
  async stop(): Promise<void> {
    const app = this.app;
    if (!app) return;
    this.app = undefined;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.hub?.stop();
    this.hub = undefined;
    await app.close();
    this.listening = undefined;
  }
}

/** A `ws` text message: a Buffer, fragments of one, or an ArrayBuffer. */
function textOf(data: unknown): string {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return (data as Buffer).toString('utf8');
}

function runDeferred(outcome: RpcOutcome, log: RpcLogger): void {
  for (const task of outcome.deferred) {
    Promise.resolve()
      .then(task)
      .catch((e: unknown) => log.error({ err: e }, 'deferred API task failed'));
  }
}
