/**
 * Mempool admission rate: Mempool.submit end to end (decode, checks, ed25519 verify on the
 * verifier threads, group-committed durable LMDB writes through storage/) with 1 and 2
 * verifier threads. Pre-signed transfers from many senders (each sender's nonces 0..7, inside
 * the window), WINDOW admissions outstanding, as many concurrent clients would keep.
 * Reference rows: submit with the signature check stubbed out (the main thread's and the
 * store's own cost), the verifier pool alone (1 and 2 threads), and the check inline on one
 * thread (what this shared machine gives at that moment). CPU µs per tx counts every thread of
 * the process. Each figure is the median of RUNS interleaved runs, a fresh store each.
 * Run: node_modules/.bin/tsx bench/admission.ts (under the pinned Node 24: npm run bench admission).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Mempool,
  SignatureVerifierPool,
  type TransactionVerifier,
} from '../packages/node/src/mempool/index.ts';
import { verifyEncoded } from '../packages/node/src/mempool/verify-batch.ts';
import { openStorage } from '../packages/node/src/storage/index.ts';
import {
  decodeTransaction,
  encodeTransaction,
  keypairFromSeed,
  signTransaction,
  TX_VERSION,
  transactionId,
} from '../packages/sdk/src/index.ts';
import { seededUint32 } from './lib/random.ts';
import { report } from './lib/report.ts';

const CHAIN_ID = 0x4c32;
const SENDERS = 2_000;
const NONCES = 8;
/**
 * Admissions outstanding (concurrent clients). It must exceed what the verifier holds in
 * flight (threads × 2 × 128) plus a commit group, or the store stage starves the threads.
 */
const WINDOW = 1024;
const RUNS = 5;

const random = seededUint32(0xad31);
const seedBytes = () => Uint8Array.from({ length: 32 }, () => random() & 0xff);

console.error(`signing ${SENDERS * NONCES} transactions…`);
const transactions: Uint8Array[] = [];
const keypairs = Array.from({ length: SENDERS }, () => keypairFromSeed(seedBytes()));
for (let nonce = 0; nonce < NONCES; nonce++) {
  for (const kp of keypairs) {
    const to = seedBytes();
    const tx = signTransaction(
      {
        version: TX_VERSION,
        chainId: CHAIN_ID,
        sender: kp.publicKey,
        nonce: BigInt(nonce),
        kind: 'fast',
        operation: {
          op: 'transfer',
          to,
          asset: { kind: 'lamports' },
          amount: BigInt(1 + (random() % 1_000_000)),
        },
      },
      kp,
    );
    transactions.push(encodeTransaction(tx));
  }
}
const averageBytes = Math.round(transactions.reduce((n, t) => n + t.length, 0) / transactions.length);
const firstId = transactionId(decodeTransaction(transactions[0]!));

/** Stand-in without signature checks, for the reference row. */
const noVerification: TransactionVerifier = { verify: async () => ({ ok: true }) };

interface Sample {
  readonly perSecond: number;
  /** CPU time of the whole process (main + verifier threads + LMDB's writer) per transaction. */
  readonly cpuMicros: number;
  /** Transactions per message to a verifier thread; null without threads. */
  readonly perBatch: number | null;
  /** Transactions per durable store commit; null without a store. */
  readonly perCommit: number | null;
}

/** Runs `work` over every transaction and times it (wall and whole-process CPU). */
async function timed(work: () => Promise<void> | void): Promise<{ perSecond: number; cpuMicros: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const elapsed = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  return {
    perSecond: (transactions.length / elapsed) * 1000,
    cpuMicros: (user + system) / transactions.length,
  };
}

/** Mempool.submit of every transaction, WINDOW outstanding, on a fresh durable store. */
async function admitAll(threads: number): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'assetl2-bench-admission-'));
  const storage = openStorage({ path: dir });
  const pool = threads > 0 ? new SignatureVerifierPool({ chainId: CHAIN_ID, threads }) : null;
  await pool?.start();
  const mempool = new Mempool({
    chainId: CHAIN_ID,
    store: storage.mempool,
    verifier: pool ?? noVerification,
    nonceOf: () => 0n,
    pruneIntervalMs: 0,
  });
  await mempool.start();
  let next = 0;
  const lane = async () => {
    while (next < transactions.length) await mempool.submit(transactions[next++]!);
  };
  const time = await timed(() => Promise.all(Array.from({ length: WINDOW }, lane)).then(() => {}));
  if (!mempool.pending(firstId)) throw new Error('bench broken: a transaction is not pending');
  const stats = mempool.stats();
  if (stats.admitted !== transactions.length) throw new Error(`bench broken: ${stats.admitted} admitted`);
  const verifier = pool?.stats();
  await mempool.stop();
  await pool?.stop();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    ...time,
    perBatch: verifier ? verifier.verified / verifier.batches : null,
    perCommit: stats.store.putEntries / stats.store.puts,
  };
}

/** The verifier pool alone (no mempool, no store): every transaction queued at once. */
async function verifyOnThreads(threads: number): Promise<Sample> {
  const pool = new SignatureVerifierPool({ chainId: CHAIN_ID, threads });
  await pool.start();
  const time = await timed(async () => {
    const outcomes = await Promise.all(transactions.map((tx) => pool.verify(tx)));
    if (!outcomes.every((o) => o.ok)) throw new Error('bench broken: an invalid transaction');
  });
  const stats = pool.stats();
  await pool.stop();
  return { ...time, perBatch: stats.verified / stats.batches, perCommit: null };
}

/** Calibration: decode + chain + signature inline on this thread, nothing else. */
async function verifyInline(): Promise<Sample> {
  const time = await timed(() => {
    for (const tx of transactions) {
      if (!verifyEncoded(tx, CHAIN_ID).ok) throw new Error('bench broken: an invalid transaction');
    }
  });
  return { ...time, perBatch: null, perCommit: null };
}

const configurations: readonly { readonly label: string; readonly run: () => Promise<Sample> }[] = [
  { label: 'submit, 1 verifier thread', run: () => admitAll(1) },
  { label: 'submit, 2 verifier threads', run: () => admitAll(2) },
  { label: 'submit, no signature check (reference)', run: () => admitAll(0) },
  { label: 'verifier pool alone, 1 thread', run: () => verifyOnThreads(1) },
  { label: 'verifier pool alone, 2 threads', run: () => verifyOnThreads(2) },
  { label: 'verify inline on 1 thread (calibration)', run: verifyInline },
];
const samples = configurations.map(() => [] as Sample[]);
await admitAll(1); // warm up (JIT, tsx cache, LMDB)
// Runs interleave the configurations, so load from other processes on a shared machine
// spreads over all of them; each figure is the median of its runs.
for (let run = 0; run < RUNS; run++) {
  for (const [i, configuration] of configurations.entries()) samples[i]!.push(await configuration.run());
  console.error(`run ${run + 1}/${RUNS} done`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianOf = (values: (number | null)[]) =>
  values[0] === null ? null : Number(median(values as number[]).toFixed(1));
const oneThread = median(samples[0]!.map((s) => s.perSecond));
const rows = configurations.map(({ label }, i) => {
  const rates = samples[i]!.map((s) => s.perSecond);
  const perSecond = Math.round(median(rates));
  return {
    what: label,
    transactions: transactions.length,
    'per second': perSecond,
    'µs each (wall)': Number((1e6 / perSecond).toFixed(1)),
    'vs submit, 1 thread': `${(perSecond / oneThread).toFixed(2)}×`,
    'CPU µs per tx': medianOf(samples[i]!.map((s) => s.cpuMicros)),
    'txs per verify batch': medianOf(samples[i]!.map((s) => s.perBatch)),
    'txs per durable commit': medianOf(samples[i]!.map((s) => s.perCommit)),
    'max/min of runs': Number((Math.max(...rates) / Math.min(...rates)).toFixed(2)),
  };
});

report({
  name: 'admission',
  title: 'Mempool admission with signature checks and a durable LMDB store (median of runs)',
  rows,
  meta: {
    senders: SENDERS,
    noncesPerSender: NONCES,
    outstanding: WINDOW,
    runs: RUNS,
    averageTransactionBytes: averageBytes,
    cores: availableParallelism(),
    store: 'storage/ LMDB mempool repository (synced commit per group)',
  },
});
