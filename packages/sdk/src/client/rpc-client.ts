/**
 * Typed JSON-RPC 2.0 client for the node API over HTTP POST, on the global `fetch` (Node 24,
 * browsers). Every method mirrors one server method; amounts come back as bigints, errors as
 * RpcError (JSON-RPC code and stable name) or RpcTransportError (the node could not be asked).
 */
import { encodeBase58 } from '../codec/base58.ts';
import { toBase64 } from '../codec/hash.ts';
import { encodeTransaction } from '../tx/codec.ts';
import type { Transaction } from '../tx/types.ts';
import { RpcError, type RpcErrorObject, RpcTransportError } from './errors.ts';
import { parseAccount, parseCurve, parseQuote, parseTransactionStatus } from './parse.ts';
import type {
  RpcAccount,
  RpcBlock,
  RpcCurve,
  RpcHealth,
  RpcQuote,
  RpcQuoteRequest,
  RpcTransactionStatus,
  RpcValidator,
} from './types.ts';

export interface RpcClientOptions {
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
}

export interface RpcCall {
  readonly method: string;
  readonly params?: readonly unknown[];
}

interface Response {
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: RpcErrorObject;
}

/** Addresses and curve ids may be given as base58 text or as their 32 bytes. */
export type AddressLike = string | Uint8Array;

function base58Of(value: AddressLike): string {
  return typeof value === 'string' ? value : encodeBase58(value);
}

export class RpcClient {
  readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private nextId = 1;

  constructor(url: string, options: RpcClientOptions = {}) {
    this.url = url;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.headers = { 'content-type': 'application/json', ...options.headers };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  // ---------------------------------------------------------------- methods

  getHealth(): Promise<RpcHealth> {
    return this.call('getHealth') as Promise<RpcHealth>;
  }

  getLatestBlock(): Promise<RpcBlock> {
    return this.call('getLatestBlock') as Promise<RpcBlock>;
  }

  /** RpcError NOT_FOUND (data.code BLOCK_NOT_FOUND) above the latest height. */
  getBlock(height: number | bigint): Promise<RpcBlock> {
    return this.call('getBlock', [Number(height)]) as Promise<RpcBlock>;
  }

  /** Submits a signed transaction; resolves to its id (base58 signature) once admitted. */
  async sendTransaction(tx: Transaction | Uint8Array): Promise<string> {
    const bytes = tx instanceof Uint8Array ? tx : encodeTransaction(tx);
    return (await this.call('sendTransaction', [toBase64(bytes)])) as string;
  }

  async getTransactionStatus(txId: string): Promise<RpcTransactionStatus> {
    return parseTransactionStatus(
      (await this.call('getTransactionStatus', [txId])) as RpcTransactionStatus<string>,
    );
  }

  async getAccount(address: AddressLike): Promise<RpcAccount> {
    return parseAccount((await this.call('getAccount', [base58Of(address)])) as RpcAccount<string>);
  }

  /** RpcError NOT_FOUND (data.code UNKNOWN_CURVE) for a curve that does not exist. */
  async getCurve(curveId: AddressLike): Promise<RpcCurve> {
    return parseCurve((await this.call('getCurve', [base58Of(curveId)])) as RpcCurve<string>);
  }

  async quote(curveId: AddressLike, request: RpcQuoteRequest): Promise<RpcQuote> {
    const [[key, amount] = []] = Object.entries(request);
    const wire = { [key as string]: String(amount) };
    return parseQuote((await this.call('quote', [base58Of(curveId), wire])) as RpcQuote<string>);
  }

  getValidators(): Promise<RpcValidator[]> {
    return this.call('getValidators') as Promise<RpcValidator[]>;
  }

  /** Devnets only (RpcError METHOD_NOT_FOUND elsewhere); resolves to the airdrop's txId. */
  async requestAirdrop(address: AddressLike, lamports: bigint): Promise<string> {
    return (await this.call('requestAirdrop', [base58Of(address), lamports.toString()])) as string;
  }

  // ---------------------------------------------------------------- transport

  /** One call; its result as JSON (no amount parsing), or RpcError. */
  async call(method: string, params?: readonly unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const body = { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) };
    const { status, json } = await this.post(body);
    const response = json as Response;
    if (response === null || typeof response !== 'object' || Array.isArray(response)) {
      throw new RpcTransportError(`malformed response from ${this.url} (HTTP ${status})`);
    }
    if (response.error) throw new RpcError(response.error, status);
    if (!('result' in response)) {
      throw new RpcTransportError(`response without result or error from ${this.url} (HTTP ${status})`);
    }
    return response.result;
  }

  /**
   * Several calls in one JSON-RPC batch; one settled outcome per call, in order (an error
   * answering the whole batch, e.g. over the batch limit, rejects).
   */
  async batch(calls: readonly RpcCall[]): Promise<PromiseSettledResult<unknown>[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    const body = calls.map((c, i) => ({
      jsonrpc: '2.0',
      id: first + i,
      method: c.method,
      ...(c.params === undefined ? {} : { params: c.params }),
    }));
    const { status, json } = await this.post(body);
    if (!Array.isArray(json)) {
      const error = (json as Response | null)?.error;
      if (error) throw new RpcError(error, status);
      throw new RpcTransportError(`malformed batch response from ${this.url} (HTTP ${status})`);
    }
    const byId = new Map<unknown, Response>();
    for (const r of json as Response[]) byId.set(r?.id, r);
    return calls.map((_, i): PromiseSettledResult<unknown> => {
      const r = byId.get(first + i);
      if (!r)
        return { status: 'rejected', reason: new RpcTransportError('batch response is missing a call') };
      if (r.error) return { status: 'rejected', reason: new RpcError(r.error, status) };
      return { status: 'fulfilled', value: r.result };
    });
  }

  private async post(body: unknown): Promise<{ status: number; json: unknown }> {
    let response: globalThis.Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const reason =
        e instanceof Error && e.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : String(e);
      throw new RpcTransportError(`cannot reach ${this.url}: ${reason}`, { cause: e });
    }
    const text = await response.text().catch((e: unknown) => {
      throw new RpcTransportError(`reading the response from ${this.url} failed`, { cause: e });
    });
    try {
      return { status: response.status, json: JSON.parse(text) };
    } catch {
      throw new RpcTransportError(`the node at ${this.url} answered HTTP ${response.status} without JSON`);
    }
  }
}
