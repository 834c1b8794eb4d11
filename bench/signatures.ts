/**
 * Signatures and transaction codec throughput: ed25519 sign and verify through node:crypto
 * (with and without cached KeyObjects) and @noble/curves (the browser path), transaction
 * encode/decode, signingHash, end-to-end verifyTransactionSignature, base58 addresses.
 * Single thread; each figure is the median of RUNS interleaved runs of at least MIN_MS.
 * Run: node_modules/.bin/tsx bench/signatures.ts (under the pinned Node 24: npm run bench).
 */
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { decodeAddress, encodeAddress } from '../packages/sdk/src/codec/base58.ts';
import * as browser from '../packages/sdk/src/platform/browser/ed25519.ts';
import * as node from '../packages/sdk/src/platform/node/ed25519.ts';
import {
  decodeTransaction,
  encodeTransaction,
  encodeUnsignedTransaction,
} from '../packages/sdk/src/tx/codec.ts';
import { SAMPLE_OPERATIONS, sampleTransaction } from '../packages/sdk/src/tx/fixtures/transactions.ts';
import { keypairFromSeed } from '../packages/sdk/src/tx/keys.ts';
import { verifyTransactionSignature } from '../packages/sdk/src/tx/sign.ts';
import { signingHash, TX_DOMAIN } from '../packages/sdk/src/tx/signing.ts';
import { seededUint32 } from './lib/random.ts';
import { report } from './lib/report.ts';

const MIN_MS = 200;
const RUNS = 5;
/** Keys that stay in the KeyObject cache (a validator's active senders)… */
const WARM_KEYS = 64;
/** …and more keys than the cache holds (4096), so that every verify rebuilds its KeyObject. */
const COLD_KEYS = 8192;

/** Seeded bytes: the same inputs on every run. */
function bytes(seed: number, length: number): Uint8Array {
  const next = seededUint32(seed);
  return Uint8Array.from({ length }, () => next() & 0xff);
}

interface Signed {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

function signedSet(count: number, offset: number): Signed[] {
  return Array.from({ length: count }, (_, i) => {
    const seed = bytes(offset + i, 32);
    const message = bytes(1_000_000 + offset + i, 32); // what we sign is always a 32-byte hash
    return { seed, publicKey: node.getPublicKey(seed), message, signature: node.sign(message, seed) };
  });
}

interface Case {
  readonly operation: string;
  readonly implementation: string;
  /** One timed pass of at least MIN_MS; returns operations per second. */
  readonly pass: () => number;
}

function timed<T>(inputs: readonly T[], op: (input: T) => unknown): () => number {
  let i = 0;
  return () => {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let j = 0; j < 64; j++) {
        op(inputs[i]!);
        i = i + 1 === inputs.length ? 0 : i + 1;
      }
      count += 64;
      elapsed = performance.now() - start;
    } while (elapsed < MIN_MS);
    return (count / elapsed) * 1000;
  };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench input broken: ${what}`);
}

const warm = signedSet(WARM_KEYS, 0);
const cold = signedSet(COLD_KEYS, 10_000);
check(
  warm.every((s) => node.verify(s.signature, s.message, s.publicKey)),
  'warm signatures',
);
check(
  cold.slice(0, 16).every((s) => browser.verify(s.signature, s.message, s.publicKey)),
  'browser verify',
);

const transactions = SAMPLE_OPERATIONS.map((operation, i) => sampleTransaction(operation, BigInt(i)));
const fastTransactions = transactions.filter((tx) => tx.operation.op !== 'create_curve');
const encodedFast = fastTransactions.map(encodeTransaction);
const createCurve = transactions.find((tx) => tx.operation.op === 'create_curve')!;
const encodedCreate = encodeTransaction(createCurve);
const unsignedBytes = fastTransactions.map(encodeUnsignedTransaction);
const addresses = warm.map((s) => encodeAddress(s.publicKey));
// Keypairs whose seed buffers persist, as a wallet or validator holds its key.
const signers = warm.map((s) => keypairFromSeed(s.seed).secretKey.subarray(0, 32));

const avgFastBytes = Math.round(encodedFast.reduce((n, b) => n + b.length, 0) / encodedFast.length);

const cases: Case[] = [
  {
    operation: 'ed25519 sign',
    implementation: 'node:crypto, cached private KeyObject (one key)',
    pass: timed(warm, (s) => node.sign(s.message, signers[0]!)),
  },
  {
    operation: 'ed25519 sign',
    implementation: 'node:crypto, key imported per call',
    pass: timed(warm, (s) => node.sign(s.message, s.seed.slice())),
  },
  {
    operation: 'ed25519 sign',
    implementation: '@noble/curves',
    pass: timed(warm, (s) => browser.sign(s.message, s.seed)),
  },
  {
    operation: 'ed25519 verify',
    implementation: `node:crypto, cached KeyObject (${WARM_KEYS} keys)`,
    pass: timed(warm, (s) => node.verify(s.signature, s.message, s.publicKey)),
  },
  {
    operation: 'ed25519 verify',
    implementation: `node:crypto, cache miss (${COLD_KEYS} keys)`,
    pass: timed(cold, (s) => node.verify(s.signature, s.message, s.publicKey)),
  },
  {
    operation: 'ed25519 verify',
    implementation: '@noble/curves, our rule (browser)',
    pass: timed(warm, (s) => browser.verify(s.signature, s.message, s.publicKey)),
  },
  {
    operation: 'ed25519 verify',
    implementation: "@noble/curves' own verify (reference)",
    pass: timed(warm, (s) => noble.verify(s.signature, s.message, s.publicKey)),
  },
  {
    operation: 'verifyTransactionSignature',
    implementation: 'encode + signingHash + verify (cached)',
    pass: timed(fastTransactions, verifyTransactionSignature),
  },
  {
    operation: `encodeTransaction (~${avgFastBytes} B)`,
    implementation: 'codec',
    pass: timed(fastTransactions, encodeTransaction),
  },
  {
    operation: `decodeTransaction (~${avgFastBytes} B)`,
    implementation: 'codec',
    pass: timed(encodedFast, decodeTransaction),
  },
  {
    operation: `encodeTransaction (create_curve, ${encodedCreate.length} B)`,
    implementation: 'codec',
    pass: timed([createCurve], encodeTransaction),
  },
  {
    operation: `decodeTransaction (create_curve, ${encodedCreate.length} B)`,
    implementation: 'codec',
    pass: timed([encodedCreate], decodeTransaction),
  },
  {
    operation: `signingHash (~${avgFastBytes - 64} B)`,
    implementation: 'sha256 (node:crypto)',
    pass: timed(unsignedBytes, (b) => signingHash(TX_DOMAIN, 1, b)),
  },
  {
    operation: 'encodeAddress (base58, 32 B)',
    implementation: 'codec',
    pass: timed(warm, (s) => encodeAddress(s.publicKey)),
  },
  {
    operation: 'decodeAddress (base58, 32 B)',
    implementation: 'codec',
    pass: timed(addresses, decodeAddress),
  },
];

// Runs interleave the cases, so that load from other processes on a shared machine spreads
// over all of them instead of skewing one; each figure is the median of its runs.
const rates = cases.map(() => [] as number[]);
for (const c of cases) c.pass(); // warm up (JIT, caches)
for (let run = 0; run < RUNS; run++) {
  for (const [i, c] of cases.entries()) rates[i]!.push(c.pass());
  console.error(`run ${run + 1}/${RUNS} done`);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cachedVerify = median(rates[3]!);
const rows = cases.map((c, i) => {
  const perSecond = Math.round(median(rates[i]!));
  const spread = Math.max(...rates[i]!) / Math.min(...rates[i]!);
  return {
    operation: c.operation,
    implementation: c.implementation,
    'per second': perSecond,
    'µs each': Number((1e6 / perSecond).toFixed(2)),
    'vs cached verify': c.operation === 'ed25519 verify' ? `${(perSecond / cachedVerify).toFixed(2)}×` : '',
    'max/min of runs': Number(spread.toFixed(2)),
  };
});

report({
  name: 'signatures',
  title: 'Signatures and transaction codec (single thread, median of runs)',
  rows,
  meta: { minMsPerRun: MIN_MS, runs: RUNS, warmKeys: WARM_KEYS, coldKeys: COLD_KEYS, signedMessageBytes: 32 },
});
