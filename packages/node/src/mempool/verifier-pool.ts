/**
 * Signature verification on worker threads: ed25519 verify (~90 µs) is the costliest step of
 * admitting a transaction, ~11k/s on one thread. N threads (default min(2, cores)) each take a
 * batch of encoded transactions and answer with the failures (verify-batch.ts).
 *
 * - Batching: calls made in the same turn of the event loop are dispatched together; while
 *   every thread is busy the queue grows, and a thread that frees up takes its share of it (up
 *   to `maxBatch`), so batches grow with load and one message carries many transactions.
 * - Order: every request (`verify` or `verifyBatch`) resolves in the order it was made, even
 *   though batches finish out of order on different threads.
 * - Pipelining: each thread holds up to two batches, the one it verifies and the next, so it
 *   does not idle while the main thread handles results and sends more.
 * - Crashes: a thread that dies is replaced; the transactions of the batch it was verifying
 *   are retried, each alone, and one that kills `maxAttempts` threads resolves as
 *   MEMPOOL_UNAVAILABLE (so a poison input cannot take the pool down or fail its neighbours);
 *   a batch queued behind it is simply sent again.
 * - stop() rejects what is still queued with MEMPOOL_STOPPED and terminates every thread.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AssetL2Error } from '@assetl2/sdk';
import {
  type FromVerifier,
  packBatch,
  type ToVerifier,
  type VerifierWorkerData,
  type VerifyFailure,
  type VerifyOutcome,
} from './verify-batch.ts';

export type { VerifyOutcome } from './verify-batch.ts';

/** What the mempool needs from a verifier (the pool, or a stand-in in unit tests). */
export interface TransactionVerifier {
  /** Decode + chain id + signature; rejects only when the verifier is not running. */
  verify(bytes: Uint8Array): Promise<VerifyOutcome>;
}

export interface SignatureVerifierPoolOptions {
  readonly chainId: number;
  /** Worker threads; default min(2, available cores). */
  readonly threads?: number;
  /**
   * Most transactions in one message to a thread (default 128: ~12 ms of work, so a message
   * costs <1% and results still flow on to the store in steady groups). A thread holds two
   * batches, so up to threads × 2 × maxBatch transactions are in flight.
   */
  readonly maxBatch?: number;
  /** Threads a transaction may be in flight on when they crash before it fails (default 2). */
  readonly maxAttempts?: number;
  /** The thread's entry module (default ./verifier-worker.ts); tests substitute a faulty one. */
  readonly workerUrl?: URL;
}

export interface VerifierStats {
  readonly threads: number;
  readonly running: number;
  readonly batches: number;
  readonly verified: number;
  readonly invalid: number;
  readonly crashes: number;
  readonly retried: number;
  /** Transactions resolved MEMPOOL_UNAVAILABLE because threads kept dying on them. */
  readonly unavailable: number;
  /** Transactions verified by each live thread (by worker threadId). */
  readonly perThread: readonly { readonly threadId: number; readonly verified: number }[];
}

interface Request {
  readonly outcomes: VerifyOutcome[];
  remaining: number;
  readonly resolve: (outcomes: VerifyOutcome[]) => void;
  readonly reject: (error: Error) => void;
}

interface WorkItem {
  readonly request: Request;
  readonly index: number;
  readonly bytes: Uint8Array;
  attempts: number;
}

interface Batch {
  readonly id: number;
  readonly items: WorkItem[];
  /** A retried item, alone on its thread: nothing else is queued behind it there. */
  readonly solo: boolean;
}

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  /** Sent and not answered, in the order the thread works through them. */
  readonly inFlight: Batch[];
  verified: number;
  error: Error | null;
  readonly whenReady: Promise<void>;
}

const WORKER_URL = new URL('./verifier-worker.ts', import.meta.url);
/** tsx's loader by absolute URL: the threads run TypeScript whatever the working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const OK: VerifyOutcome = { ok: true };
/**
 * Batches a thread may hold: the one it works on and the next, already in its message queue,
 * so it never idles for the round trip to the main thread (which may be busy with the results).
 */
const DEPTH = 2;

export class SignatureVerifierPool implements TransactionVerifier {
  readonly threadCount: number;
  private readonly chainId: number;
  private readonly maxBatch: number;
  private readonly maxAttempts: number;
  private readonly workerUrl: URL;
  private state: 'idle' | 'starting' | 'started' | 'stopping' = 'idle';
  private stopping: Promise<void> | null = null;
  private threads: Thread[] = [];
  /** Requests in the order they were made; resolved from the front only. */
  private requests: (Request | undefined)[] = [];
  private requestsHead = 0;
  private queue: (WorkItem | undefined)[] = [];
  private queueHead = 0;
  private dispatchScheduled = false;
  private nextBatchId = 1;
  /** Threads that died before becoming ready, in a row: spaces out respawns. */
  private startFailures = 0;
  private readonly respawnTimers = new Set<NodeJS.Timeout>();
  private counters = { batches: 0, verified: 0, invalid: 0, crashes: 0, retried: 0, unavailable: 0 };

  constructor(options: SignatureVerifierPoolOptions) {
    this.chainId = options.chainId;
    this.threadCount = options.threads ?? Math.min(2, availableParallelism());
    this.maxBatch = options.maxBatch ?? 128;
    this.maxAttempts = options.maxAttempts ?? 2;
    this.workerUrl = options.workerUrl ?? WORKER_URL;
    if (!Number.isInteger(this.threadCount) || this.threadCount < 1) {
      throw new RangeError(`a verifier pool needs at least one thread, not ${this.threadCount}`);
    }
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, not ${this.maxBatch}`);
    }
  }

  /** Starts the threads and resolves once each has loaded the SDK (throws if one cannot). */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`the verifier pool is ${this.state}`);
    this.state = 'starting';
    const threads = Array.from({ length: this.threadCount }, () => this.spawn());
    try {
      await Promise.all(threads.map((t) => t.whenReady));
    } catch (e) {
      if (this.state === 'starting') {
        await this.terminateAll();
        this.state = 'idle';
      }
      throw e;
    }
    if (this.state !== 'starting') {
      throw new AssetL2Error('MEMPOOL_STOPPED', 'the signature verifier was stopped while starting');
    }
    this.state = 'started';
    this.startFailures = 0;
    this.scheduleDispatch();
  }

  /** Rejects queued requests with MEMPOOL_STOPPED and terminates every thread. */
  stop(): Promise<void> {
    if (this.state === 'started' || this.state === 'starting') this.stopping = this.shutDown();
    return this.stopping ?? Promise.resolve();
  }

  private async shutDown(): Promise<void> {
    this.state = 'stopping';
    for (const timer of this.respawnTimers) clearTimeout(timer);
    this.respawnTimers.clear();
    const stopped = new AssetL2Error('MEMPOOL_STOPPED', 'the signature verifier stopped');
    for (let i = this.requestsHead; i < this.requests.length; i++) this.requests[i]!.reject(stopped);
    this.requests = [];
    this.requestsHead = 0;
    this.queue = [];
    this.queueHead = 0;
    await this.terminateAll();
    this.state = 'idle';
    this.stopping = null;
  }

  verify(bytes: Uint8Array): Promise<VerifyOutcome> {
    return new Promise((resolve, reject) =>
      this.enqueue([bytes], (outcomes) => resolve(outcomes[0]!), reject),
    );
  }

  /** One outcome per transaction, in order (e.g. a block's transactions). */
  verifyBatch(items: readonly Uint8Array[]): Promise<VerifyOutcome[]> {
    return new Promise((resolve, reject) => this.enqueue(items, resolve, reject));
  }

  stats(): VerifierStats {
    return {
      threads: this.threadCount,
      running: this.threads.filter((t) => t.ready).length,
      ...this.counters,
      perThread: this.threads.map((t) => ({ threadId: t.worker.threadId, verified: t.verified })),
    };
  }

  // ------------------------------------------------------------------ requests

  /** Both request kinds settle through the same path, so their order is observable as is. */
  private enqueue(
    items: readonly Uint8Array[],
    resolve: (outcomes: VerifyOutcome[]) => void,
    reject: (error: Error) => void,
  ): void {
    if (this.state !== 'started') {
      reject(new AssetL2Error('MEMPOOL_STOPPED', 'the signature verifier is not running'));
      return;
    }
    const request: Request = { outcomes: new Array(items.length), remaining: items.length, resolve, reject };
    this.requests.push(request);
    for (let i = 0; i < items.length; i++) {
      this.queue.push({ request, index: i, bytes: items[i]!, attempts: 0 });
    }
    if (items.length === 0) this.settle();
    else this.scheduleDispatch();
  }

  private complete(item: WorkItem, outcome: VerifyOutcome): void {
    item.request.outcomes[item.index] = outcome;
    item.request.remaining--;
  }

  /** Resolves finished requests from the front: requests resolve in the order they were made. */
  private settle(): void {
    const requests = this.requests;
    while (this.requestsHead < requests.length && requests[this.requestsHead]!.remaining === 0) {
      const request = requests[this.requestsHead]!;
      requests[this.requestsHead++] = undefined;
      request.resolve(request.outcomes);
    }
    if (this.requestsHead === requests.length) {
      this.requests = [];
      this.requestsHead = 0;
    } else if (this.requestsHead > 1024 && this.requestsHead * 2 > requests.length) {
      this.requests = requests.slice(this.requestsHead);
      this.requestsHead = 0;
    }
  }

  // ------------------------------------------------------------------ dispatch

  /** Same-turn calls are collected into one dispatch (a microtask runs after the caller's turn). */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    queueMicrotask(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.state !== 'started') return;
    // Threads with nothing to do first, then a second batch to each thread working on one.
    for (let depth = 0; depth < DEPTH && this.queueHead < this.queue.length; depth++) {
      const free = this.threads.filter(
        (t) => t.ready && t.inFlight.length === depth && !t.inFlight.some((b) => b.solo),
      );
      while (free.length > 0 && this.queueHead < this.queue.length) {
        const thread = free.shift()!;
        const head = this.queue[this.queueHead]!;
        // An item retried after a crash goes alone to an otherwise empty thread, so a poison
        // input only ever kills a thread on its own.
        if (head.attempts > 0) {
          if (depth > 0) break;
          this.queue[this.queueHead++] = undefined;
          this.send(thread, [head], true);
          continue;
        }
        // Spread what is queued over the free threads.
        const queued = this.queue.length - this.queueHead;
        const take = Math.min(this.maxBatch, Math.ceil(queued / (free.length + 1)));
        const items: WorkItem[] = [];
        while (items.length < take && this.queueHead < this.queue.length) {
          const item = this.queue[this.queueHead]!;
          if (item.attempts > 0) break;
          items.push(item);
          this.queue[this.queueHead++] = undefined;
        }
        this.send(thread, items, false);
      }
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      // Under sustained load the queue never empties: drop the taken front now and then.
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  private send(thread: Thread, items: WorkItem[], solo: boolean): void {
    const { data, ends } = packBatch(items.map((item) => item.bytes));
    const id = this.nextBatchId++;
    thread.inFlight.push({ id, items, solo });
    const message: ToVerifier = { type: 'verify', id, data, ends };
    thread.worker.postMessage(message, [data.buffer, ends.buffer]);
  }

  // ------------------------------------------------------------------ threads

  private spawn(): Thread {
    const workerData: VerifierWorkerData = { chainId: this.chainId };
    const worker = new Worker(this.workerUrl, {
      workerData,
      // Replaces the inherited flags (a parent started with `--import tsx` would register it twice).
      execArgv: ['--import', TSX_LOADER],
    });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const whenReady = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    whenReady.catch(() => {}); // a replacement's failure is handled in onExit
    const thread: Thread = { worker, ready: false, inFlight: [], verified: 0, error: null, whenReady };
    this.threads.push(thread);
    worker.on('message', (message: FromVerifier) => {
      if (message.type === 'ready') {
        thread.ready = true;
        this.startFailures = 0;
        markReady();
        this.scheduleDispatch();
      } else if (message.type === 'verified') {
        this.onVerified(thread, message.id, message.failures);
      }
    });
    worker.on('error', (error) => {
      thread.error = error;
    });
    worker.on('exit', (code) => {
      if (!thread.ready) {
        failStart(
          thread.error ?? new Error(`a verifier thread exited with code ${code} before it was ready`),
        );
      }
      this.onExit(thread);
    });
    return thread;
  }

  private onVerified(thread: Thread, id: number, failures: readonly VerifyFailure[]): void {
    const at = thread.inFlight.findIndex((b) => b.id === id);
    if (at < 0) return;
    const batch = thread.inFlight.splice(at, 1)[0]!;
    const outcomes: VerifyOutcome[] = new Array(batch.items.length).fill(OK);
    for (const [index, code, message] of failures) {
      outcomes[index] = { ok: false, code, message };
    }
    for (let i = 0; i < batch.items.length; i++) this.complete(batch.items[i]!, outcomes[i]!);
    thread.verified += batch.items.length;
    this.counters.batches++;
    this.counters.verified += batch.items.length;
    this.counters.invalid += failures.length;
    this.settle();
    this.dispatch();
  }

  private onExit(thread: Thread): void {
    this.threads = this.threads.filter((t) => t !== thread);
    if (this.state !== 'started') return;
    this.counters.crashes++;
    if (!thread.ready) this.startFailures++;
    // The first batch in flight was being verified when the thread died: its items count an
    // attempt. Those queued behind it never ran and go back as they were.
    const [running, ...waiting] = thread.inFlight.splice(0);
    const retry: WorkItem[] = [];
    for (const item of running?.items ?? []) {
      item.attempts++;
      if (item.attempts < this.maxAttempts) {
        retry.push(item);
        continue;
      }
      this.counters.unavailable++;
      this.complete(item, {
        ok: false,
        code: 'MEMPOOL_UNAVAILABLE',
        message: `the transaction could not be verified: ${item.attempts} verifier threads crashed on it`,
      });
    }
    this.counters.retried += retry.length;
    for (const batch of waiting) retry.push(...batch.items);
    this.queue.splice(this.queueHead, 0, ...retry);
    if (this.startFailures > 0 && !this.threads.some((t) => t.ready)) {
      // No thread can start: fail what waits instead of holding callers forever.
      for (let i = this.queueHead; i < this.queue.length; i++) {
        this.counters.unavailable++;
        this.complete(this.queue[i]!, {
          ok: false,
          code: 'MEMPOOL_UNAVAILABLE',
          message: 'no signature verifier thread is running; try again',
        });
      }
      this.queue = [];
      this.queueHead = 0;
    }
    this.settle();
    const delay = this.startFailures === 0 ? 0 : Math.min(5_000, 50 * 2 ** this.startFailures);
    const timer = setTimeout(() => {
      this.respawnTimers.delete(timer);
      if (this.state === 'started') this.spawn();
    }, delay);
    timer.unref();
    this.respawnTimers.add(timer);
    this.dispatch();
  }

  private async terminateAll(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
