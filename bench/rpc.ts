/**
 * JSON-RPC throughput of the node API: an ApiServer in this process, load from a separate
 * process (this file re-run with --load: keep-alive HTTP, one request in flight per
 * connection, bodies prepared in advance, pre-signed transactions), so that the load
 * generator's CPU is not charged to the server.
 *
 * Scenarios: sendTransaction against the VM test backend (decode, ed25519 verify, nonce check,
 * then a one-transaction block with both roots: the API plus a whole commit per call);
 * sendTransaction against an admission-only backend (decode and verify, nothing executed: the
 * API's cost plus what any admission pays); getAccount single and in batches of 20.
 * Each scenario runs RUNS times; the table shows the median run. Server CPU is this process's
 * CPU time per call (user + system; "of which kernel" is the system part: loopback TCP).
 *
 * Run: node_modules/.bin/tsx bench/rpc.ts
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib/report.ts';

const RUNS = 5;
const CONCURRENCY = 32;
const SENDERS = 256;
const CALLS = { sendVm: 6_000, sendAdmission: 12_000, getAccount: 20_000, getAccountBatch: 1_500 } as const;
const BATCH = 20;

interface LoadConfig {
  readonly url: string;
  readonly bodiesFile: string;
  readonly concurrency: number;
}

interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
}

// ---------------------------------------------------------------- load generator (child)

async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const workers = JSON.parse(readFileSync(config.bodiesFile, 'utf8')) as string[][];
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const target = new URL(config.url);
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const postOnce = (body: string) =>
    new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: '/',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const started = performance.now();
  await Promise.all(
    workers.map(async (bodies) => {
      for (const body of bodies) {
        const t = performance.now();
        const answer = await postOnce(body).catch((e: unknown) => `transport error: ${e}`);
        latenciesMs.push(performance.now() - t);
        if (answer.includes('"error"') || !answer.includes('"result"')) {
          errors++;
          firstError ??= answer.slice(0, 300);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { requests: latenciesMs.length, errors, firstError, elapsedMs, latenciesMs };
}

if (process.argv.includes('--load')) {
  process.once('message', (config: LoadConfig) => {
    runLoad(config).then(
      (result) => process.send!(result, () => process.exit(0)),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}

// ---------------------------------------------------------------- server side (parent)

async function main(): Promise<void> {
  const sdk = await import('@assetl2/sdk');
  const { ApiServer } = await import('../packages/node/src/api/server.ts');
  const { VmTestBackend } = await import('../packages/node/test/api/vm-test-backend.ts');
  type Transaction = import('@assetl2/sdk').Transaction;

  const dir = mkdtempSync(join(tmpdir(), 'assetl2-rpc-bench-'));
  const self = fileURLToPath(import.meta.url);
  let fileNo = 0;

  /** Runs the load process over these per-connection body lists; returns its result and our CPU. */
  async function load(
    url: string,
    workers: string[][],
  ): Promise<LoadResult & { serverCpuMs: number; serverSysMs: number }> {
    const bodiesFile = join(dir, `bodies-${fileNo++}.json`);
    writeFileSync(bodiesFile, JSON.stringify(workers));
    const child = fork(self, ['--load'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const done = new Promise<LoadResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as LoadResult));
      child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    });
    // Let the child boot before counting CPU: start the clock when it asks for nothing but the config.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cpu = process.cpuUsage();
    child.send({ url, bodiesFile, concurrency: workers.length } satisfies LoadConfig);
    const result = await done;
    const used = process.cpuUsage(cpu);
    rmSync(bodiesFile);
    return { ...result, serverCpuMs: (used.user + used.system) / 1000, serverSysMs: used.system / 1000 };
  }

  const rpcBody = (id: number, method: string, params: unknown[]) =>
    JSON.stringify({ jsonrpc: '2.0', id, method, params });

  /** Pre-signed transfers: sender s's transactions on connection s mod CONCURRENCY, in nonce order. */
  function signedTransfers(backend: InstanceType<typeof VmTestBackend>, count: number, firstNonce: bigint[]) {
    const workers: string[][] = Array.from({ length: CONCURRENCY }, () => []);
    const recipients = Array.from(
      { length: 64 },
      (_, i) => sdk.keypairFromSeed(new Uint8Array(32).fill(i + 1)).publicKey,
    );
    for (let i = 0; i < count; i++) {
      const s = i % SENDERS;
      const key = backend.keypairs[s]!;
      const tx: Transaction = sdk.signTransaction(
        {
          version: 1,
          chainId: backend.chainId,
          sender: key.publicKey,
          nonce: firstNonce[s]!,
          kind: 'fast',
          operation: { op: 'transfer', to: recipients[i % 64]!, asset: { kind: 'lamports' }, amount: 1_000n },
        },
        key,
      );
      firstNonce[s]!++;
      workers[s % CONCURRENCY]!.push(
        rpcBody(i, 'sendTransaction', [sdk.toBase64(sdk.encodeTransaction(tx))]),
      );
    }
    return workers;
  }

  function accountReads(backend: InstanceType<typeof VmTestBackend>, requests: number, perRequest: number) {
    const workers: string[][] = Array.from({ length: CONCURRENCY }, () => []);
    const addresses = backend.keypairs.map((k) => sdk.addressOf(k));
    for (let i = 0; i < requests; i++) {
      const calls = Array.from({ length: perRequest }, (_, j) => ({
        jsonrpc: '2.0',
        id: j,
        method: 'getAccount',
        params: [addresses[(i * perRequest + j * 7) % addresses.length]],
      }));
      workers[i % CONCURRENCY]!.push(JSON.stringify(perRequest === 1 ? calls[0] : calls));
    }
    return workers;
  }

  /** Decodes and verifies like an admission would, executes nothing. */
  class AdmissionOnlyBackend extends VmTestBackend {
    override async submit(bytes: Uint8Array): Promise<{ txId: string }> {
      const tx = sdk.decodeTransaction(bytes);
      sdk.verifyTransaction(tx, this.chainId);
      return { txId: sdk.transactionId(tx) };
    }
  }

  const limits = { rateLimit: false as const };
  const rows: Record<string, string | number>[] = [];
  const quantile = (sorted: number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

  async function scenario(
    name: string,
    url: string,
    callsPerRequest: number,
    prepare: (run: number) => string[][],
  ): Promise<void> {
    const runs: (LoadResult & { serverCpuMs: number; serverSysMs: number })[] = [];
    for (let run = 0; run < RUNS; run++) {
      const workers = prepare(run);
      const result = await load(url, workers);
      if (result.errors > 0) throw new Error(`${name}: ${result.errors} errors, first: ${result.firstError}`);
      runs.push(result);
    }
    runs.sort((a, b) => b.requests / b.elapsedMs - a.requests / a.elapsedMs);
    const median = runs[Math.floor(runs.length / 2)]!;
    const latencies = [...median.latenciesMs].sort((a, b) => a - b);
    const calls = median.requests * callsPerRequest;
    rows.push({
      scenario: name,
      connections: CONCURRENCY,
      calls,
      'calls/s': Math.round(calls / (median.elapsedMs / 1000)),
      'requests/s': Math.round(median.requests / (median.elapsedMs / 1000)),
      'p50 ms': Number(quantile(latencies, 0.5).toFixed(2)),
      'p99 ms': Number(quantile(latencies, 0.99).toFixed(2)),
      'server CPU µs/call': Math.round((median.serverCpuMs * 1000) / calls),
      'of which kernel': Math.round((median.serverSysMs * 1000) / calls),
      'runs (calls/s)': runs
        .map((r) => Math.round((r.requests * callsPerRequest) / (r.elapsedMs / 1000)))
        .join(' / '),
    });
    console.log(`${name}: done`);
  }

  // sendTransaction, executed: nonces continue from run to run on one chain.
  {
    const backend = new VmTestBackend({ funded: SENDERS });
    const server = new ApiServer({ backend, limits });
    const { url } = await server.start({ host: '127.0.0.1', port: 0 });
    const nonces = new Array<bigint>(SENDERS).fill(0n);
    console.log('signing...');
    const signed = Array.from({ length: RUNS }, () => signedTransfers(backend, CALLS.sendVm, nonces));
    await scenario('sendTransaction → VM test backend (1-tx blocks)', url, 1, (run) => signed[run]!);
    if (backend.vm.height !== BigInt(RUNS * CALLS.sendVm))
      throw new Error('not every transaction was committed');
    await server.stop();
  }
  // sendTransaction, admission only: the same bodies every run (nothing is executed).
  {
    const backend = new AdmissionOnlyBackend({ funded: SENDERS });
    const server = new ApiServer({ backend, limits });
    const { url } = await server.start({ host: '127.0.0.1', port: 0 });
    const bodies = signedTransfers(backend, CALLS.sendAdmission, new Array<bigint>(SENDERS).fill(0n));
    await scenario('sendTransaction → decode + verify only', url, 1, () => bodies);
    await server.stop();
  }
  // getAccount.
  {
    const backend = new VmTestBackend({ funded: SENDERS });
    const server = new ApiServer({ backend, limits });
    const { url } = await server.start({ host: '127.0.0.1', port: 0 });
    const single = accountReads(backend, CALLS.getAccount, 1);
    await scenario('getAccount', url, 1, () => single);
    const batched = accountReads(backend, CALLS.getAccountBatch, BATCH);
    await scenario(`getAccount (batches of ${BATCH})`, url, BATCH, () => batched);
    await server.stop();
  }
  rmSync(dir, { recursive: true, force: true });

  report({
    name: 'rpc',
    title: 'Node API JSON-RPC over HTTP (server in-process, load from a separate process, median of runs)',
    rows,
    meta: {
      runs: RUNS,
      connections: CONCURRENCY,
      inFlightPerConnection: 1,
      senders: SENDERS,
      transaction: 'lamport transfer, pre-signed, base64 in sendTransaction',
      vmBackend:
        'VmTestBackend: decode, verify, nonce check, one block per transaction with state and withdrawals roots',
      note: 'load generator and server share the machine; server CPU = this process, user + system',
    },
  });
}
