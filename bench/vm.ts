/**
 * CurveVM throughput on a realistic mix: 2,000 senders, five curves (every shape), about 70%
 * curve buys and sells, lamport and token transfers, withdrawals, claims and ~8% transactions
 * that fail (slippage, overdrawn sells and transfers, unknown curves). Blocks of 1k and 10k
 * transactions, signature checks excluded and included, the VM alone (changes encoded for the
 * commitment, trees replaced by no-ops) and with the state and withdrawals roots computed per
 * block. Every configuration replays the same signed stream from genesis on a fresh VM.
 * Run: node_modules/.bin/tsx bench/vm.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCurveScript } from '../packages/sdk/src/curvescript/compiler.ts';
import { decodeTemplate } from '../packages/sdk/src/curvescript/template-codec.ts';
import type { StateProof } from '../packages/sdk/src/state/index.ts';
import { generateKeypair, type Keypair, signTransaction } from '../packages/sdk/src/tx/index.ts';
import type { Bytes32, Operation, Transaction } from '../packages/sdk/src/tx/types.ts';
import { type Block, CurveVM, type CurveVMOptions, type Genesis } from '../packages/sdk/src/vm/index.ts';
import { seededUint32 } from './lib/random.ts';
import { report } from './lib/report.ts';

const CHAIN_ID = 1;
const SOL = 1_000_000_000n;
const SENDERS = 2_000;
const MEASURED_BLOCKS = { 1000: 40, 10000: 6 } as const;
/** Signature verification is ~80 µs a transaction: fewer blocks keep the run short. */
const MEASURED_BLOCKS_SIGNED = { 1000: 5, 10000: 2 } as const;
const CURVES = ['pump', 'linear', 'exponential', 'piecewise', 'sigmoid'];
/** Senders 10..14 create the curves (and claim their fees). */
const CREATORS = 10;

/** Uniform in [0, 1) from the seeded generator. */
function rng(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 2 ** 32;
}

const examples = join(import.meta.dirname, '..', 'examples');
const templates = CURVES.map((name) => {
  const compiled = compileCurveScript(readFileSync(join(examples, `${name}.curve`), 'utf8')).compiled;
  if (!compiled) throw new Error(`${name}.curve does not compile`);
  return compiled.bytes;
});

/** 10^(decimals − 3) per curve: trades of 0.001 to 1 whole token. */
const TOKEN_STEP = templates.map((bytes) => 10n ** BigInt(decodeTemplate(bytes).decimals - 3));

console.log(`generating keys and signing the stream (${SENDERS} senders)...`);
const keys: Keypair[] = Array.from({ length: SENDERS }, () => generateKeypair());
const genesis: Genesis = {
  chainId: CHAIN_ID,
  accounts: keys.map((k) => [k.publicKey, 10_000n * SOL] as const),
  protocolAccount: keys[0]!.publicKey,
  bridgeAuthorities: [keys[1]!.publicKey],
  computeLimitPerBlock: 1e15,
};

/** A signed stream: setup blocks (curves, sealed windows, seed buys), then measured blocks. */
function stream(
  blockSize: number,
  measured: number,
): { setup: Transaction[][]; measured: Transaction[][]; curves: Bytes32[] } {
  const random = rng(blockSize);
  const nonces = new Array<bigint>(SENDERS).fill(0n);
  const tx = (i: number, operation: Operation): Transaction => {
    const k = keys[i]!;
    const t = signTransaction(
      { version: 1, chainId: CHAIN_ID, sender: k.publicKey, nonce: nonces[i]!, kind: 'fast', operation },
      k,
    );
    nonces[i]!++;
    return t;
  };
  // Curve ids are the CREATE_CURVE transactions' hashes: learn them from a dry run.
  const creates = templates.map((template, i) => tx(CREATORS + i, { op: 'create_curve', template }));
  const probe = new CurveVM(genesis, NULL_STORES());
  const created = probe.applyBlock(
    { height: 1n, timestamp: 1n, transactions: creates },
    { verifySignatures: false },
  );
  const curves = created.receipts.map((r) => r.txId);
  const setup: Transaction[][] = [creates, [], [], [], [], [], []]; // past the 5-block sealed window
  // Every sender buys every curve once, so that sells and token transfers have something to move.
  const seeds: Transaction[] = [];
  for (let i = 0; i < SENDERS; i++) {
    for (const curve of curves) {
      seeds.push(tx(i, { op: 'buy', curve, order: { kind: 'budget', lamports: SOL / 500n, minTokens: 0n } }));
    }
  }
  for (let at = 0; at < seeds.length; at += 2_000) setup.push(seeds.slice(at, at + 2_000));

  const blocks: Transaction[][] = [];
  const ghost = new Uint8Array(32).fill(0xee);
  for (let b = 0; b < measured; b++) {
    const block: Transaction[] = [];
    for (let n = 0; n < blockSize; n++) {
      let i = Math.floor(random() * SENDERS);
      const c = Math.floor(random() * curves.length);
      const curve = curves[c]!;
      const r = random();
      const other = keys[(i + 1 + Math.floor(random() * (SENDERS - 1))) % SENDERS]!.publicKey;
      const small = BigInt(Math.floor(random() * 1_000)) + 1n;
      // Up to ~1 whole token (10^decimals base units) per trade.
      const tokens = small * TOKEN_STEP[c]!;
      let op: Operation;
      if (r < 0.22)
        op = { op: 'buy', curve, order: { kind: 'budget', lamports: small * 1_000n, minTokens: 0n } };
      else if (r < 0.4) op = { op: 'buy', curve, order: { kind: 'exact_tokens', tokens, maxTotal: SOL } };
      else if (r < 0.7) op = { op: 'sell', curve, tokens, minOut: 0n };
      else if (r < 0.84)
        op = { op: 'transfer', to: other, asset: { kind: 'lamports' }, amount: small * 1_000n };
      else if (r < 0.9) op = { op: 'transfer', to: other, asset: { kind: 'token', curve }, amount: tokens };
      else if (r < 0.91) op = { op: 'withdraw', l1Recipient: other, lamports: small * 1_000n };
      else if (r < 0.92) {
        i = CREATORS + c; // the curve's creator takes its accrued fees
        op = { op: 'claim', curve };
      }
      // Failures: slippage, overdrawn sells and transfers, unknown curves.
      else if (r < 0.95) op = { op: 'buy', curve, order: { kind: 'exact_tokens', tokens, maxTotal: 1n } };
      else if (r < 0.97) op = { op: 'sell', curve, tokens: 10n ** 17n, minOut: 0n };
      else if (r < 0.99) op = { op: 'transfer', to: other, asset: { kind: 'lamports' }, amount: 10n ** 18n };
      else op = { op: 'buy', curve: ghost, order: { kind: 'budget', lamports: SOL, minTokens: 0n } };
      block.push(tx(i, op));
    }
    blocks.push(block);
  }
  return { setup, measured: blocks, curves };
}

/** Trees that do nothing: the VM alone (it still encodes every changed record). */
function NULL_STORES(): CurveVMOptions {
  const zero = new Uint8Array(32);
  return {
    state: {
      applyChanges: () => {},
      root: () => zero,
      prove: (): StateProof => ({ siblings: [], terminal: { kind: 'empty' } }),
    },
    withdrawals: { append: () => 0, root: () => zero, prove: () => [] },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Run {
  readonly txPerSecond: number;
  readonly msPerBlock: number;
  readonly failed: number;
}

/**
 * The same blocks on two fresh VMs (VM only, VM + roots), alternating block by block so that
 * both see the same machine load (these machines are shared: compare within a run).
 */
function runPair(s: ReturnType<typeof stream>, blocks: number, signatures: boolean): [Run, Run] {
  const vms = [new CurveVM(genesis, NULL_STORES()), new CurveVM(genesis)];
  const times: number[][] = [[], []];
  let failed = 0;
  const block = (height: number, transactions: Transaction[]): Block => ({
    height: BigInt(height),
    timestamp: BigInt(height) * 250n,
    transactions,
  });
  s.setup.forEach((txs, i) => {
    for (const vm of vms) vm.applyBlock(block(i + 1, txs), { verifySignatures: false }); // and warm-up
  });
  s.measured.slice(0, blocks).forEach((txs, i) => {
    vms.forEach((vm, v) => {
      const start = performance.now();
      const result = vm.applyBlock(block(s.setup.length + i + 1, txs), { verifySignatures: signatures });
      times[v]!.push(performance.now() - start);
      if (v === 0) for (const r of result.receipts) if (r.status === 'failed') failed++;
    });
  });
  const size = s.measured[0]!.length;
  return times.map((t) => {
    const ms = median(t);
    return {
      txPerSecond: Math.round((size / ms) * 1000),
      msPerBlock: Number(ms.toFixed(2)),
      failed: failed / (size * blocks),
    };
  }) as [Run, Run];
}

const rows: Record<string, string | number>[] = [];
for (const size of [1_000, 10_000] as const) {
  const s = stream(size, MEASURED_BLOCKS[size]);
  for (const signatures of [false, true]) {
    const blocks = signatures ? MEASURED_BLOCKS_SIGNED[size] : MEASURED_BLOCKS[size];
    runPair(s, blocks, signatures).forEach((r, roots) => {
      rows.push({
        'block txs': size,
        signatures: signatures ? 'verified' : 'skipped',
        commitment: roots ? 'VM + roots' : 'VM only',
        'tx/s (median block)': r.txPerSecond,
        'ms / block': r.msPerBlock,
        'failed %': Number((r.failed * 100).toFixed(1)),
        blocks,
      });
      console.log(JSON.stringify(rows.at(-1)));
    });
  }
}

report({
  name: 'vm',
  title: 'CurveVM transactions per second (single thread)',
  rows,
  meta: {
    senders: SENDERS,
    curves: CURVES,
    mix: '22% budget buys, 18% exact buys, 30% sells, 14% lamport and 6% token transfers, 1% withdrawals, 1% claims, 8% failing',
    measuredBlocks: MEASURED_BLOCKS,
    measuredBlocksSigned: MEASURED_BLOCKS_SIGNED,
  },
});
