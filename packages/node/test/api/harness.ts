/**
 * A real ApiServer on 127.0.0.1 (port 0) over the VM test backend, with SDK clients pointed
 * at it, and helpers to build signed transactions and raw JSON-RPC calls.
 */
import {
  compileCurveScript,
  type Keypair,
  type Operation,
  RpcClient,
  SubscriptionClient,
  signTransaction,
  type Transaction,
} from '@assetl2/sdk';
import type { NodeBackend } from '../../src/api/backend.ts';
import { Metrics } from '../../src/api/metrics.ts';
import { type ApiAddress, type ApiLimits, ApiServer } from '../../src/api/server.ts';
import { VmTestBackend, type VmTestBackendOptions } from './vm-test-backend.ts';

export interface Harness {
  readonly backend: VmTestBackend;
  readonly server: ApiServer;
  readonly address: ApiAddress;
  readonly rpc: RpcClient;
  readonly subscriptions: SubscriptionClient;
  readonly metrics: Metrics;
  /** Signs `operation` as `keypair` with its next nonce (from the VM). */
  tx(keypair: Keypair, operation: Operation, nonceOffset?: bigint): Transaction;
  close(): Promise<void>;
}

export async function startHarness(
  options: { limits?: Partial<ApiLimits>; backend?: VmTestBackendOptions } = {},
): Promise<Harness> {
  const metrics = new Metrics();
  const backend = new VmTestBackend({ metrics, ...options.backend });
  const server = new ApiServer({
    backend,
    metrics,
    limits: { rateLimit: false, ...options.limits },
  });
  const address = await server.start({ host: '127.0.0.1', port: 0 });
  const rpc = new RpcClient(address.url);
  const subscriptions = new SubscriptionClient(address.wsUrl);
  return {
    backend,
    server,
    address,
    rpc,
    subscriptions,
    metrics,
    tx: (keypair, operation, nonceOffset = 0n) =>
      signTransaction(
        {
          version: 1,
          chainId: backend.chainId,
          sender: keypair.publicKey,
          nonce: backend.vm.nextNonce(keypair.publicKey) + nonceOffset,
          kind: operation.op === 'create_curve' ? 'big' : 'fast',
          operation,
        },
        keypair,
      ),
    close: async () => {
      subscriptions.close();
      await server.stop();
    },
  };
}

/** An ApiServer over any backend (for failure injection). */
export async function startServer(backend: NodeBackend, limits: Partial<ApiLimits> = {}) {
  const server = new ApiServer({ backend, limits: { rateLimit: false, ...limits } });
  const address = await server.start({ host: '127.0.0.1', port: 0 });
  return { server, address };
}

/** A POST with any body; the status and the parsed JSON (or the text when it is not JSON). */
export async function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

export function call(url: string, method: string, params?: unknown, id: unknown = 1) {
  return post(
    url,
    JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }),
  );
}

export const LINE_SCRIPT = `
launch "Test Line" symbol TLIN
decimals 6
supply 1_000_000 tokens
curve linear
  start_price 1_000 lamports
  end_price 100_000 lamports
  sell 800_000 tokens
fee 1%
migrate when sold 10_000 tokens to amm fee 0.3% lp burn
`;

export const SEALED_SCRIPT = LINE_SCRIPT.replace('fee 1%', 'fee 1%\nsealed 3 blocks').replace(
  'Test Line',
  'Test Sealed',
);

export function templateOf(script: string): Uint8Array {
  const result = compileCurveScript(script);
  if (!result.compiled) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.compiled.bytes;
}

/** Messages of a raw WebSocket, as parsed JSON, with a wait for the next matching one. */
export class RawSocket {
  readonly messages: unknown[] = [];
  private waiters: { match: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data));
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })),
    );
  }

  static open(url: string): Promise<RawSocket> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(new RawSocket(socket)));
      socket.addEventListener('error', () => reject(new Error(`cannot open ${url}`)));
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or next) that matches. */
  next(match: (m: unknown) => boolean, timeoutMs = 5_000): Promise<unknown> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Sends a request and waits for the answer with its id. */
  async request(id: number, method: string, params?: unknown): Promise<Record<string, unknown>> {
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return (await this.next((m) => (m as { id?: unknown }).id === id)) as Record<string, unknown>;
  }

  close(): void {
    this.socket.close();
  }
}
