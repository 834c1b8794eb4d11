/**
 * JSON-RPC 2.0 envelopes, shared by HTTP and WebSocket: parse, validate the request objects,
 * batches (sequential, so that a batch of one sender's transactions is admitted in nonce
 * order), notifications (no id: run, no answer), the rate limit per call, a timeout per call,
 * latency and error metrics. Whatever the input, the outcome is a JSON-RPC answer: handlers'
 * exceptions go through toRpcFailure and internal ones are logged, not shown.
 */
import { RPC_CODES } from '@assetl2/sdk';
import type { NodeBackend } from './backend.ts';
import { failures, type RpcFailure, toRpcFailure } from './errors.ts';
import type { CallContext, MethodSpec } from './methods.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';
import { describeIssue } from './schemas.ts';

export interface RpcLogger {
  error(object: unknown, message: string): void;
}

export interface DispatcherOptions {
  readonly backend: NodeBackend;
  readonly methods: ReadonlyMap<string, MethodSpec>;
  readonly metrics: Metrics;
  readonly log: RpcLogger;
  readonly rateLimiter: RateLimiter | undefined;
  readonly maxBatchSize: number;
  readonly requestTimeoutMs: number;
}

export interface Caller {
  readonly ip: string;
  readonly transport: 'http' | 'ws';
  /** Extra methods of this caller (a WebSocket session's subscriptions). */
  readonly methods?: ReadonlyMap<string, MethodSpec>;
  /** Tokens already taken for this message (HTTP takes one before reading the body). */
  readonly charged: number;
}

export interface RpcOutcome {
  /** The answer, or undefined when there is none (only notifications). */
  readonly body: string | undefined;
  readonly httpStatus: number;
  /** To run once the answer is written. */
  readonly deferred: readonly (() => void | Promise<void>)[];
}

type Id = string | number | null;

interface Response {
  readonly jsonrpc: '2.0';
  readonly id: Id;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** Methods only WebSocket sessions have: over HTTP they are unknown, with a hint. */
const WS_ONLY = /^(block|curve|signature)(Subscribe|Unsubscribe)$/;

export class RpcDispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /** One HTTP body or WebSocket message. */
  async handle(text: string, caller: Caller): Promise<RpcOutcome> {
    // Every message costs a token before it is parsed (HTTP took it before reading the body).
    const first = this.charge(caller, 1 - caller.charged);
    if (first) return single(errorResponse(null, first), first.httpStatus);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (e) {
      const detail = e instanceof SyntaxError ? 'the body is not valid JSON' : 'unreadable body';
      return single(errorResponse(null, failures.parse(detail)), 200);
    }
    const calls = Array.isArray(message) ? message.length : 1;
    if (Array.isArray(message)) {
      if (message.length === 0)
        return single(errorResponse(null, failures.invalidRequest('empty batch')), 200);
      if (message.length > this.options.maxBatchSize) {
        const failure = failures.api(
          RPC_CODES.LIMIT_EXCEEDED,
          'BATCH_TOO_LARGE',
          `a batch holds at most ${this.options.maxBatchSize} calls, this one ${message.length}`,
          { limit: this.options.maxBatchSize },
        );
        return single(errorResponse(null, failure), 200);
      }
    }
    const limited = this.charge(caller, calls - 1);
    if (limited) return single(errorResponse(null, limited), limited.httpStatus);

    const deferred: (() => void | Promise<void>)[] = [];
    if (!Array.isArray(message)) {
      const response = await this.call(message, caller, deferred);
      return { body: response === undefined ? undefined : serialize(response), httpStatus: 200, deferred };
    }
    const responses: Response[] = [];
    for (const request of message) {
      const response = await this.call(request, caller, deferred);
      if (response !== undefined) responses.push(response);
    }
    return {
      body: responses.length === 0 ? undefined : `[${responses.map(serialize).join(',')}]`,
      httpStatus: 200,
      deferred,
    };
  }

  /** Takes `cost` tokens (nothing when ≤ 0); the failure to answer with when over the limit. */
  charge(caller: Pick<Caller, 'ip' | 'transport'>, cost: number): RpcFailure | undefined {
    const limiter = this.options.rateLimiter;
    if (!limiter || cost <= 0) return undefined;
    const wait = limiter.take(caller.ip, cost);
    if (wait === 0) return undefined;
    this.options.metrics.rateLimited.inc({ transport: caller.transport });
    const retryAfterMs = Number.isFinite(wait) ? wait : null;
    return failures.api(
      RPC_CODES.RATE_LIMITED,
      'RATE_LIMITED',
      'too many requests from this address: slow down',
      { retryAfterMs },
      429,
    );
  }

  private async call(
    request: unknown,
    caller: Caller,
    deferred: (() => void | Promise<void>)[],
  ): Promise<Response | undefined> {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return errorResponse(null, failures.invalidRequest('expected a request object'));
    }
    const r = request as Record<string, unknown>;
    const hasId = Object.hasOwn(r, 'id');
    const id = r.id;
    if (hasId && id !== null && typeof id !== 'string' && typeof id !== 'number') {
      return errorResponse(null, failures.invalidRequest('id must be a string, a number or null'));
    }
    const answerId = (hasId ? id : null) as Id;
    if (r.jsonrpc !== '2.0') return errorResponse(answerId, failures.invalidRequest('jsonrpc must be "2.0"'));
    if (typeof r.method !== 'string') {
      return errorResponse(answerId, failures.invalidRequest('method must be a string'));
    }
    const method = r.method;
    const started = performance.now();
    let label = 'other';
    let outcome: Response;
    try {
      const spec = this.lookup(method, caller);
      label = method;
      if (r.params !== undefined && !Array.isArray(r.params)) {
        throw failures.invalidParams('params must be an array of positional values');
      }
      const parsed = spec.params.safeParse(r.params ?? []);
      if (!parsed.success) throw failures.invalidParams(describeIssue(parsed.error, spec.names));
      const ctx: CallContext = { backend: this.options.backend, defer: (task) => deferred.push(task) };
      const result = await this.withTimeout(spec.run(parsed.data, ctx));
      outcome = { jsonrpc: '2.0', id: answerId, result };
      this.options.metrics.rpcObserved(label, (performance.now() - started) / 1000);
    } catch (e) {
      const spec = label === 'other' ? undefined : this.lookupQuiet(method, caller);
      const failure = toRpcFailure(e, spec?.context ?? 'read', (error) =>
        this.options.log.error({ err: error, method: label }, 'internal error in a JSON-RPC call'),
      );
      outcome = errorResponse(answerId, failure);
      this.options.metrics.rpcObserved(label, (performance.now() - started) / 1000, failure.rpcCode);
    }
    return hasId ? outcome : undefined;
  }

  private lookupQuiet(method: string, caller: Caller): MethodSpec | undefined {
    return caller.methods?.get(method) ?? this.options.methods.get(method);
  }

  private lookup(method: string, caller: Caller): MethodSpec {
    const spec = this.lookupQuiet(method, caller);
    if (!spec) {
      const hint =
        caller.transport === 'http' && WS_ONLY.test(method)
          ? ' (subscriptions are served over WebSocket at /ws)'
          : '';
      throw failures.methodNotFound(method, hint);
    }
    if (spec.devnetOnly && !this.options.backend.devnet) {
      throw failures.methodNotFound(method, ' (only on devnets)');
    }
    return spec;
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    const ms = this.options.requestTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(failures.api(RPC_CODES.TIMEOUT, 'REQUEST_TIMEOUT', `no answer within ${ms} ms`)),
        ms,
      );
    });
    // The work may still settle after the timeout: its outcome is dropped, not unhandled.
    work.catch(() => {});
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

function errorResponse(id: Id, failure: RpcFailure): Response {
  return { jsonrpc: '2.0', id, error: failure.toObject() };
}

function single(response: Response, httpStatus: number): RpcOutcome {
  return { body: serialize(response), httpStatus, deferred: [] };
}

/** A result that cannot be serialized is a bug: answered as an internal error. */
function serialize(response: Response): string {
  try {
    return JSON.stringify(response);
  } catch {
    return JSON.stringify(errorResponse(response.id, failures.internal()));
  }
}
